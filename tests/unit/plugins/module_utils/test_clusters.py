# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _clusters
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _connection
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors

CONNECTION = _connection.Connection("https://cdm.example.com", "p")
API_CLUSTER = {
    "id": "6ec9a0a4-76be-4262-8697-e7af1fac7920", "name": "cdm-demo", "status": "200", "statusDetail": "Normal",
    "isFrozen": "0", "created": "2024-01-01T00:00:00", "updated": "2024-01-02T00:00:00",
    "publicEndpoint": "cdm-demo.example.com", "azName": "cn-north-4a", "flavorName": "cdm.medium",
}


class FakeClient(object):
    """Answers every call with one body."""

    def __init__(self, body, request_id="req-1"):
        self.body = body
        self.request_id = request_id
        self.calls = []

    def call(self, method, url, body=None):
        self.calls.append((method, url, body))
        return self.body, self.request_id


def cluster(cluster_id, name, **fields):
    return dict(fields, id=cluster_id, name=name)


# The list call

def test_the_list_is_one_get_of_the_project_clusters_path():
    client = FakeClient({"clusters": [cluster("c-1", "etl")]}, "req-9")
    clusters, request_id = _clusters.list_clusters(client, CONNECTION)
    assert client.calls == [("GET", "https://cdm.example.com/v1.1/p/clusters", None)]
    assert (clusters, request_id) == ([{"id": "c-1", "name": "etl"}], "req-9")


def test_entries_that_are_not_objects_are_left_out():
    clusters, _request_id = _clusters.list_clusters(FakeClient({"clusters": [None, "c-1", cluster("c-2", "b")]}), CONNECTION)
    assert clusters == [{"id": "c-2", "name": "b"}]


@pytest.mark.parametrize("body", [{}, {"clusters": {"id": "c-1"}}, [], "text", None])
def test_an_answer_without_a_clusters_list_is_a_clear_error_with_the_request_id(body):
    with pytest.raises(_errors.CdmError) as caught:
        _clusters.list_clusters(FakeClient(body, "req-odd"), CONNECTION)
    assert "no clusters list in the answer" in caught.value.message
    assert "req-odd" in caught.value.message


# Normalising one cluster

def test_every_field_is_named_in_the_collection_s_words():
    raw = {"id": "c-1", "name": "etl", "status": "200", "statusDetail": "Normal", "isFrozen": "0",
           "created": "2024-01-01T00:00:00", "updated": "2024-02-01T00:00:00", "publicEndpoint": "1.2.3.4",
           "azName": "cn-north-4a", "flavorName": "cdm.medium", "dbuser": "cdm"}
    assert _clusters.normalise(raw) == {
        "id": "c-1", "name": "etl", "status": "200", "state": "normal", "frozen": False,
        "created": "2024-01-01T00:00:00", "updated": "2024-02-01T00:00:00", "endpoint": "1.2.3.4",
        "az": "cn-north-4a", "flavor": "cdm.medium",
    }


@pytest.mark.parametrize("status, state", [
    ("100", "creating"), ("200", "normal"), ("300", "failed"), ("303", "create_failed"), ("500", "restarting"),
    ("800", "frozen"), ("900", "stopped"), ("910", "stopping"), ("920", "starting"),
])
def test_each_documented_status_code_has_its_word(status, state):
    assert _clusters.normalise({"status": status})["state"] == state


def test_a_status_sent_as_a_number_reads_as_its_string():
    assert (_clusters.normalise({"status": 200})["status"], _clusters.normalise({"status": 200})["state"]) == ("200", "normal")


def test_an_undocumented_status_code_is_kept_as_it_came():
    assert _clusters.normalise({"status": "404"})["state"] == "404"


def test_a_missing_status_is_unknown():
    assert (_clusters.normalise({})["status"], _clusters.normalise({})["state"]) == (None, "unknown")


@pytest.mark.parametrize("value, frozen", [("1", True), (1, True), (True, True), ("0", False), (0, False),
                                           (False, False), (None, False)])
def test_frozen_reads_the_api_s_flag(value, frozen):
    assert _clusters.normalise({"isFrozen": value})["frozen"] is frozen


def test_missing_fields_are_null():
    normalised = _clusters.normalise({})
    assert [key for key, value in normalised.items() if value is not None] == ["state", "frozen"]


# Resolving a name

def test_the_one_cluster_with_the_name_gives_its_id():
    clusters = [cluster("c-1", "etl"), cluster("c-2", "reports")]
    assert _clusters.resolve_name(clusters, "reports") == "c-2"


def test_names_are_compared_exactly():
    with pytest.raises(_clusters.ClusterNameError):
        _clusters.resolve_name([cluster("c-1", "ETL")], "etl")


def test_an_unknown_name_lists_the_names_that_exist():
    with pytest.raises(_clusters.ClusterNameError) as caught:
        _clusters.resolve_name([cluster("c-2", "reports"), cluster("c-1", "etl")], "nosuch")
    assert str(caught.value) == "cluster_name 'nosuch' names no cluster of the project; it has: etl, reports"


def test_an_unknown_name_lists_a_few_names_and_how_many_more():
    clusters = [cluster("c-%d" % index, "cluster-%02d" % index) for index in range(12)]
    with pytest.raises(_clusters.ClusterNameError) as caught:
        _clusters.resolve_name(clusters, "zzz")
    assert str(caught.value) == ("cluster_name 'zzz' names no cluster of the project; it has: cluster-00, cluster-01, "
                                 "cluster-02, cluster-03, cluster-04 and 7 more")


def test_an_unknown_name_lists_the_closest_names_first():
    clusters = [cluster("c-%d" % index, "aaa-%02d" % index) for index in range(8)] + [cluster("c-p", "cdm-prod")]
    with pytest.raises(_clusters.ClusterNameError) as caught:
        _clusters.resolve_name(clusters, "cdm-prd")
    assert str(caught.value).endswith("it has: cdm-prod, aaa-00, aaa-01, aaa-02, aaa-03 and 4 more")


def test_a_name_shared_by_several_clusters_fails_listing_their_ids():
    clusters = [cluster("c-1", "shared"), cluster("c-2", "other"), cluster("c-3", "shared")]
    with pytest.raises(_clusters.ClusterNameError) as caught:
        _clusters.resolve_name(clusters, "shared")
    assert str(caught.value) == "cluster_name 'shared' matches 2 clusters (IDs c-1, c-3): give cluster_id instead"


def test_a_project_without_clusters_says_so():
    with pytest.raises(_clusters.ClusterNameError) as caught:
        _clusters.resolve_name([], "etl")
    assert str(caught.value) == "cluster_name 'etl': the project has no CDM cluster"


def test_clusters_without_names_are_not_listed_as_names():
    with pytest.raises(_clusters.ClusterNameError) as caught:
        _clusters.resolve_name([{"id": "c-1"}, cluster("c-2", None)], "etl")
    assert str(caught.value) == "cluster_name 'etl': no cluster of the project has a name"


def test_a_match_without_an_id_is_not_taken_for_one():
    with pytest.raises(_clusters.ClusterNameError) as caught:
        _clusters.resolve_name([cluster("", "etl")], "etl")
    assert "gives no ID for that cluster; give cluster_id instead" in str(caught.value)


def test_a_numeric_id_comes_back_as_text():
    assert _clusters.resolve_name([cluster(42, "etl")], "etl") == "42"


def test_cluster_id_for_name_makes_one_list_call():
    client = FakeClient({"clusters": [cluster("c-1", "etl"), cluster("c-2", "reports")]})
    assert _clusters.cluster_id_for_name(client, CONNECTION, "etl") == "c-1"
    assert len(client.calls) == 1


def test_cluster_id_for_name_raises_the_name_error_after_the_one_call():
    client = FakeClient({"clusters": []})
    with pytest.raises(_clusters.ClusterNameError):
        _clusters.cluster_id_for_name(client, CONNECTION, "etl")
    assert len(client.calls) == 1


# One cluster

@pytest.mark.parametrize("body", [API_CLUSTER, {"cluster": API_CLUSTER}])
def test_one_cluster_is_one_get_of_its_path(body):
    client = FakeClient(body)
    assert _clusters.show_cluster(client, CONNECTION, "a/b") == API_CLUSTER
    assert client.calls == [("GET", "https://cdm.example.com/v1.1/p/clusters/a%2Fb", None)]


@pytest.mark.parametrize("body", [None, [], {}, {"cluster": "x"}, {"name": "no id"}])
def test_one_cluster_answer_without_a_cluster_is_a_clear_error(body):
    with pytest.raises(_errors.CdmError) as caught:
        _clusters.show_cluster(FakeClient(body), CONNECTION, "c")
    assert "no cluster in the answer" in caught.value.message and "req-1" in caught.value.message
