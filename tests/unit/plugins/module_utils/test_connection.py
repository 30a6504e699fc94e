# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _connection
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils._options import CONNECTION_ARGSPEC

ENDPOINT = "https://cdm.cn-north-4.myhuaweicloud.com"
STATUS_URL = ENDPOINT + "/v1.1/project-1/clusters/cluster-1/cdm/job/jdbc2hive/status"


def params(**given_options):
    """Every connection option at its default, as AnsibleModule hands them over, then the ones given."""
    values = dict((name, spec.get("default")) for name, spec in CONNECTION_ARGSPEC.items())
    values.update(given_options)
    return values


# Computed once from the options

def test_the_connection_holds_the_checked_options():
    connection = _connection.Connection.from_params(params(project_id="project-1", region="cn-north-4",
                                                           timeout=12.5, retries=2, ca_path="/ca.pem"))
    assert (connection.endpoint, connection.project_id, connection.iam_endpoint, connection.timeout,
            connection.retries, connection.verify) == (
        ENDPOINT, "project-1", "https://iam.cn-north-4.myhuaweicloud.com", 12.5, 2, "/ca.pem")


def test_a_bad_option_is_refused_before_there_is_a_connection():
    with pytest.raises(_options.OptionError) as caught:
        _connection.Connection.from_params(params(project_id="project-1"))
    assert str(caught.value).startswith("one of region or endpoint is required")


def test_another_endpoint_can_stand_in_for_cdm_s():
    connection = _connection.Connection.from_params(params(project_id="p"), endpoint="https://iam.example.com")
    assert connection.endpoint == "https://iam.example.com"


# URL building

def test_url_joins_the_api_version_the_project_and_the_segments():
    connection = _connection.Connection(ENDPOINT, "project-1")
    assert connection.url("clusters", "cluster-1", "cdm", "job", "jdbc2hive", "status") == STATUS_URL


def test_endpoint_trailing_slash_is_dropped():
    assert _connection.Connection(ENDPOINT + "/", "p").url() == ENDPOINT + "/v1.1/p"


@pytest.mark.parametrize("value, encoded", [
    ("a/b", "a%2Fb"), ("a?b", "a%3Fb"), ("a#b", "a%23b"), ("100%", "100%25"), ("my job", "my%20job"),
    ("数据", "%E6%95%B0%E6%8D%AE"), ("..", ".."), ("a;b=c", "a%3Bb%3Dc"),
])
def test_path_segment_encodes_every_reserved_character(value, encoded):
    assert _connection.path_segment(value) == encoded


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1))
def test_job_name_is_always_exactly_one_path_segment(job_name):
    url = _connection.Connection(ENDPOINT, "project-1").url("clusters", "cluster-1", "cdm", "job", job_name, "status")
    parts = urlsplit(url)
    assert (parts.query, parts.fragment) == ("", "")
    segments = parts.path.split("/")
    assert len(segments) == 9
    assert unquote(segments[7]) == job_name
    assert segments[8] == "status"
