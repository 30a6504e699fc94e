# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _clusters
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _connection
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors

API_CLUSTER = {
    "id": "6ec9a0a4-76be-4262-8697-e7af1fac7920", "name": "cdm-demo", "status": "200", "statusDetail": "Normal",
    "isFrozen": "0", "created": "2024-01-01T00:00:00", "updated": "2024-01-02T00:00:00",
    "publicEndpoint": "cdm-demo.example.com", "azName": "cn-north-4a", "flavorName": "cdm.medium",
}


class FakeClient(object):
    def __init__(self, body):
        self.body = body
        self.calls = []

    def call(self, method, url, body=None):
        self.calls.append((method, url))
        return self.body, "req-1"


CONNECTION = _connection.Connection("https://cdm.example.com", "p")


@pytest.mark.parametrize("body", [API_CLUSTER, {"cluster": API_CLUSTER}])
def test_one_cluster_is_one_get_of_its_path(body):
    client = FakeClient(body)
    assert _clusters.show_cluster(client, CONNECTION, "a/b") == API_CLUSTER
    assert client.calls == [("GET", "https://cdm.example.com/v1.1/p/clusters/a%2Fb")]


@pytest.mark.parametrize("body", [None, [], {}, {"cluster": "x"}, {"name": "no id"}])
def test_one_cluster_answer_without_a_cluster_is_a_clear_error(body):
    with pytest.raises(_errors.CdmError) as caught:
        _clusters.show_cluster(FakeClient(body), CONNECTION, "c")
    assert "no cluster in the answer" in caught.value.message and "req-1" in caught.value.message


def test_normalised_cluster_has_the_collections_words():
    assert _clusters.normalise(API_CLUSTER) == {
        "id": "6ec9a0a4-76be-4262-8697-e7af1fac7920", "name": "cdm-demo", "status": "200", "state": "normal",
        "frozen": False, "created": "2024-01-01T00:00:00", "updated": "2024-01-02T00:00:00",
        "endpoint": "cdm-demo.example.com", "az": "cn-north-4a", "flavor": "cdm.medium"}


@pytest.mark.parametrize("status, frozen, state", [
    (900, "1", "stopped"), ("100", 0, "creating"), ("777", "0", "777"), (None, None, "unknown")])
def test_status_codes_become_words_and_unknown_codes_pass_through(status, frozen, state):
    cluster = _clusters.normalise(dict(API_CLUSTER, status=status, isFrozen=frozen))
    assert cluster["state"] == state
    assert cluster["frozen"] is (frozen == "1")


def test_an_ambiguous_name_lists_the_ids_and_an_unknown_one_lists_names():
    clusters = [{"id": "a", "name": "same"}, {"id": "b", "name": "same"}, {"id": "c", "name": "other"}]
    with pytest.raises(_clusters.ClusterNameError, match="matches 2 clusters \\(a, b\\)"):
        _clusters.resolve_name(clusters, "same")
    with pytest.raises(_clusters.ClusterNameError, match="it has: other, same, same"):
        _clusters.resolve_name(clusters, "nope")
    assert _clusters.resolve_name(clusters, "other") == "c"
