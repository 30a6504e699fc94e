# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from ansible_collections.huaweicloud.cdm.plugins.modules import cdm_cluster_info  # noqa: E402

TOKEN = "TOKEN-SECRET-c1u5"
CLUSTER_KEYS = {"id", "name", "status", "state", "frozen", "created", "updated", "endpoint", "az", "flavor"}


@pytest.fixture(scope="module")
def sim_scenario():
    """Three clusters: one stopped and frozen; two that share a name."""
    return {
        "tokens": [TOKEN],
        "region": "cn-north-4",
        "clusters": [
            {"id": "cluster-1", "name": "alpha",
             "details": {"publicEndpoint": "10.0.0.1", "status": "900", "isFrozen": "1", "flavorName": "cdm.large"}},
            {"id": "cluster-2", "name": "twin"},
            {"id": "cluster-3", "name": "twin"},
        ],
    }


@pytest.fixture
def args(api):
    return {"project_id": "project-1", "endpoint": api.url, "auth_token": TOKEN, "timeout": 5, "retries": 0}


@pytest.fixture
def run(run_module):
    return lambda module_args, check_mode=False: run_module(cdm_cluster_info.main, module_args, check_mode=check_mode)


def paths(api):
    return [request.path for request in api.requests]


def test_without_a_cluster_every_cluster_is_listed_in_one_call(run, args, api):
    result, code = run(args)
    assert code == 0 and result["changed"] is False
    assert [cluster["id"] for cluster in result["clusters"]] == ["cluster-1", "cluster-2", "cluster-3"]
    assert all(set(cluster) == CLUSTER_KEYS for cluster in result["clusters"])
    assert paths(api) == ["/v1.1/project-1/clusters"]
    assert "ansible_facts" not in result


def test_each_cluster_is_normalised(run, args):
    result, _code = run(args)
    alpha, twin = result["clusters"][0], result["clusters"][1]
    assert alpha == {"id": "cluster-1", "name": "alpha", "status": "900", "state": "stopped", "frozen": True,
                     "created": "2024-01-01T00:00:00", "updated": "2024-01-01T00:00:00", "endpoint": "10.0.0.1",
                     "az": "cn-north-4a", "flavor": "cdm.large"}
    assert (twin["state"], twin["frozen"], twin["endpoint"]) == ("normal", False, "192.0.2.11")


def test_one_cluster_by_id_is_one_get_of_its_path(run, args, api):
    result, code = run(dict(args, cluster_id="cluster-2"))
    assert code == 0
    assert [cluster["id"] for cluster in result["clusters"]] == ["cluster-2"]
    assert paths(api) == ["/v1.1/project-1/clusters/cluster-2"]


def test_one_cluster_by_name_is_found_in_the_list(run, args, api):
    result, code = run(dict(args, cluster_name="alpha"))
    assert code == 0
    assert [cluster["id"] for cluster in result["clusters"]] == ["cluster-1"]
    assert paths(api) == ["/v1.1/project-1/clusters"]


def test_an_unknown_cluster_id_fails_with_the_api_error_and_the_hint(run, args):
    # The one-cluster call answers 404 (as Terraform assumes), with CDM's Cdm.0001 body.
    result, code = run(dict(args, cluster_id="no-such-cluster"))
    assert code == 1 and result["failed"] is True
    assert (result["http_status"], result["error_code"], result["retryable"]) == (404, "Cdm.0001", False)
    assert len(result["request_id"]) == 32 and result["request_id"] in result["msg"]
    assert "not the cluster's name" in result["msg"]


def test_an_unknown_cluster_id_answered_400_is_the_same_failure(run, args, api):
    # The other reading of the docs: a 400, as the job calls answer an unknown cluster.
    api.faults({"kind": "custom", "route": "cluster_show", "status": 400,
                "body": {"errCode": "Cdm.0001", "externalMessage": "Cluster[no-such-cluster] doesn't exist."}})
    result, code = run(dict(args, cluster_id="no-such-cluster"))
    assert code == 1 and (result["http_status"], result["error_code"], result["retryable"]) == (400, "Cdm.0001", False)
    assert "not the cluster's name" in result["msg"]


def test_an_unknown_cluster_name_fails_listing_the_names_there_are(run, args, api):
    result, code = run(dict(args, cluster_name="gamma"))
    assert code == 1 and result["retryable"] is False
    assert result["msg"] == "cluster_name 'gamma' names no cluster of the project; it has: alpha, twin"


def test_an_ambiguous_cluster_name_fails_listing_the_ids(run, args):
    result, code = run(dict(args, cluster_name="twin"))
    assert code == 1
    assert "matches 2 clusters (IDs cluster-2, cluster-3): give cluster_id instead" in result["msg"]


def test_cluster_id_and_cluster_name_together_are_refused_before_any_call(run, args, api):
    result, code = run(dict(args, cluster_id="cluster-1", cluster_name="alpha"))
    assert code == 1 and "mutually exclusive" in result["msg"]
    assert api.requests == []


@pytest.mark.parametrize("option", ["cluster_id", "cluster_name"])
def test_an_empty_cluster_option_is_refused_before_any_call(run, args, api, option):
    result, code = run(dict(args, **{option: ""}))
    assert code == 1 and result["msg"] == "%s must not be empty" % option
    assert api.requests == []


def test_a_persistent_503_fails_as_retryable(run, args, api):
    api.faults({"kind": "http_503", "route": "cluster_list", "count": -1})
    result, code = run(args)
    assert code == 1 and result["retryable"] is True and result["http_status"] == 503


def test_an_answer_without_a_clusters_list_fails_clearly(run, args, api):
    api.faults({"kind": "custom", "route": "cluster_list", "status": 200, "body": {"items": []}})
    result, code = run(args)
    assert code == 1 and "no clusters list in the answer" in result["msg"]


def test_a_rejected_token_fails_for_good(run, args):
    result, code = run(dict(args, auth_token="wrong-SECRET"))
    assert code == 1 and result["http_status"] == 401 and result["retryable"] is False
    assert "wrong-SECRET" not in result["_stdout"]


def test_check_mode_returns_the_same_clusters(run, args):
    normal, _code = run(args)
    checked, code = run(args, check_mode=True)
    assert code == 0 and checked["changed"] is False and checked["clusters"] == normal["clusters"]


def test_the_token_never_appears_in_the_output(run, args, api):
    api.faults({"kind": "http_503", "route": "cluster_show", "count": -1})
    for module_args in (args, dict(args, cluster_id="cluster-1"), dict(args, cluster_name="gamma")):
        result, _code = run(module_args)
        assert TOKEN not in result["_stdout"]
