# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from ansible_collections.huaweicloud.cdm.plugins.modules import cdm_job_info  # noqa: E402

TOKEN = "TOKEN-SECRET-j0b5"
BIG = "cluster-big"
SMALL = "cluster-small"
BULK = ["bulk%03d" % number for number in range(250)]
JOB_KEYS = {
    "name", "type", "status", "from_connector", "from_link", "to_connector", "to_link", "id", "enabled",
    "incremental", "group_name", "creation_user", "creation_date", "update_user", "update_date",
    "execute_create_date", "execute_start_date", "execute_update_date", "counters", "definition",
}


@pytest.fixture(scope="module")
def sim_scenario():
    """A cluster of 250 jobs (three pages); a small one with a job run three times, a batch job, odd names."""
    runs = [{"outcome": "succeeded", "finished_ago": 300}, {"outcome": "failed", "finished_ago": 200},
            {"outcome": "succeeded", "finished_ago": 100, "rows_written": 77}]
    return {
        "tokens": [TOKEN],
        "clusters": [
            {"id": BIG, "name": "big", "jobs": [{"name": name} for name in BULK]},
            {"id": SMALL, "name": "small", "jobs": [
                {"name": "jdbc2hive", "history": runs, "from_link": "mysql_link", "to_link": "hive_link",
                 "definition": {"write_rows": 77, "bytes_written": "9856", "from-config-values": {"configs": [
                     {"name": "fromJobConfig", "inputs": [{"name": "fromJobConfig.where", "value": "a%3D1%20and+b"}]}]}}},
                {"name": "never_run"},
                {"name": "whole_db", "definition": {"job_type": "BATCH_JOB"}},
                {"name": "a/b c"},
            ]},
            {"id": "cluster-twin-1", "name": "twin", "jobs": []},
            {"id": "cluster-twin-2", "name": "twin", "jobs": []},
        ],
    }


@pytest.fixture
def args(api):
    return {"project_id": "project-1", "cluster_id": SMALL, "endpoint": api.url, "auth_token": TOKEN, "timeout": 5,
            "retries": 0}


@pytest.fixture
def run(run_module):
    return lambda module_args, check_mode=False: run_module(cdm_job_info.main, module_args, check_mode=check_mode)


def calls(api):
    """(path, query) of each request received."""
    return [(urlsplit(request.path).path, dict(parse_qsl(urlsplit(request.path).query))) for request in api.requests]


def names(result):
    return [job["name"] for job in result["jobs"]]


def test_every_page_is_read_and_joined(run, args, api):
    result, code = run(dict(args, cluster_id=BIG))
    assert code == 0 and result["changed"] is False and result["cluster_id"] == BIG
    assert names(result) == BULK
    assert calls(api) == [("/v1.1/project-1/clusters/%s/cdm/job/all" % BIG, {"page_no": str(page), "page_size": "100"})
                          for page in (1, 2, 3)]
    assert "ansible_facts" not in result and "submissions" not in result


def test_each_listed_job_is_normalised(run, args):
    result, _code = run(args)
    job = result["jobs"][0]
    assert set(job) == JOB_KEYS
    assert (job["name"], job["type"], job["status"]) == ("jdbc2hive", "NORMAL_JOB", "SUCCEEDED")
    assert (job["from_connector"], job["from_link"], job["to_connector"], job["to_link"]) == (
        "generic-jdbc-connector", "mysql_link", "hive-connector", "hive_link")
    assert isinstance(job["creation_date"], int) and job["creation_user"] == "cdm"
    assert job["counters"] == {"rows_read": 77, "rows_written": 77, "rows_updated": 0, "rows_deleted": 0,
                               "bytes_read": 128000, "bytes_written": 9856, "files_read": 0, "files_written": 0}
    # The job list's own status set: NEW for a job never run.
    assert result["jobs"][1]["status"] == "NEW"


def test_the_definition_is_what_create_takes_with_values_decoded(run, args):
    definition = run(args)[0]["jobs"][0]["definition"]
    assert definition["name"] == "jdbc2hive" and definition["from-link-name"] == "mysql_link"
    assert definition["from-config-values"]["configs"][0]["inputs"][0]["value"] == "a=1 and+b"
    assert not set(definition) & {"creation-user", "creation-date", "update-date", "status", "write_rows", "type"}


def test_the_api_lists_normal_jobs_unless_job_type_says_otherwise(run, args, api):
    assert names(run(args)[0]) == ["jdbc2hive", "never_run", "a/b c"]
    result, code = run(dict(args, job_type="BATCH_JOB"))
    assert code == 0 and names(result) == ["whole_db"] and result["jobs"][0]["type"] == "BATCH_JOB"
    assert calls(api)[-1][1]["jobType"] == "BATCH_JOB"


def test_filter_is_sent_to_the_api_encoded(run, args, api):
    result, code = run(dict(args, filter="b c"))
    assert code == 0 and names(result) == ["a/b c"]
    assert api.requests[0].path.endswith("&filter=b%20c")
    assert names(run(dict(args, filter="2hive"))[0]) == ["jdbc2hive"]
    assert run(dict(args, filter="nothing like it"))[0]["jobs"] == []


def test_one_job_is_one_get_of_its_path(run, args, api):
    result, code = run(dict(args, job_name="a/b c"))
    assert code == 0 and names(result) == ["a/b c"]
    assert [request.path for request in api.requests] == ["/v1.1/project-1/clusters/%s/cdm/job/a%%2Fb%%20c" % SMALL]


def test_history_returns_the_runs_newest_first_normalised_like_the_status(run, args, api):
    result, code = run(dict(args, job_name="jdbc2hive", history=True))
    assert code == 0
    runs = result["submissions"]
    ids = [run_["submission_id"] for run_ in runs]
    assert len(runs) == 3 and ids == sorted(ids, reverse=True)
    assert [run_["status"] for run_ in runs] == ["SUCCEEDED", "FAILED", "SUCCEEDED"]
    assert runs[0]["counters"]["rows_written"] == 77 and runs[1]["progress"] == -1.0
    assert runs[1]["error_summary"] and runs[0]["job_name"] == "jdbc2hive"
    assert calls(api)[1] == ("/v1.1/project-1/clusters/%s/cdm/submissions" % SMALL, {"jname": "jdbc2hive"})


def test_history_of_more_runs_than_a_page_reads_every_page(run, args, api, simulator):
    start = "%s/v1.1/project-1/clusters/%s/cdm/job/never_run/start" % (api.url, SMALL)
    for _number in range(12):
        assert requests.put(start, headers={"X-Auth-Token": TOKEN}, timeout=5).status_code == 200
        assert simulator.finish_job("never_run")
    result, code = run(dict(args, job_name="never_run", history=True))
    assert code == 0 and len(result["submissions"]) == 12
    assert [query.get("page_no") for path, query in calls(api) if path.endswith("/submissions")] == [None, "2"]


def test_history_of_a_job_never_run_is_empty(run, args):
    result, code = run(dict(args, job_name="never_run", history=True))
    assert code == 0 and result["submissions"] == [] and result["jobs"][0]["status"] == "NEW"


def test_history_needs_a_job_name_and_nothing_is_sent(run, args, api):
    result, code = run(dict(args, history=True))
    assert code == 1 and "history is True but all of the following are missing: job_name" in result["msg"]
    assert api.requests == []


@pytest.mark.parametrize("extra", [{"filter": "x"}, {"job_type": "BATCH_JOB"}])
def test_job_name_with_a_list_option_is_refused(run, args, api, extra):
    result, code = run(dict(args, job_name="jdbc2hive", **extra))
    assert code == 1 and "mutually exclusive" in result["msg"]
    assert api.requests == []


def test_an_unknown_job_type_is_refused(run, args, api):
    result, code = run(dict(args, job_type="NIGHTLY"))
    assert code == 1 and "job_type must be one of" in result["msg"]
    assert api.requests == []


def test_an_unknown_job_fails_with_the_api_error(run, args):
    result, code = run(dict(args, job_name="no_such_job"))
    assert code == 1 and result["failed"] is True
    assert (result["http_status"], result["error_code"], result["retryable"]) == (400, "Cdm.0100", False)
    assert result["job_name"] == "no_such_job" and result["cluster_id"] == SMALL
    assert result["request_id"] in result["msg"] and "check job_name and cluster_id" in result["msg"]


def test_the_cluster_by_name_costs_one_cluster_list_call(run, args, api):
    module_args = dict(args, cluster_name="small")
    del module_args["cluster_id"]
    result, code = run(module_args)
    assert code == 0 and result["cluster_id"] == SMALL and names(result)[0] == "jdbc2hive"
    assert [path for path, _query in calls(api)] == ["/v1.1/project-1/clusters",
                                                     "/v1.1/project-1/clusters/%s/cdm/job/all" % SMALL]


@pytest.mark.parametrize("name, message", [
    ("nowhere", "cluster_name 'nowhere' names no cluster of the project; it has: big, small, twin"),
    ("twin", "cluster_name 'twin' matches 2 clusters (IDs cluster-twin-1, cluster-twin-2): give cluster_id instead"),
])
def test_an_unknown_or_ambiguous_cluster_name_fails_before_any_job_call(run, args, api, name, message):
    module_args = dict(args, cluster_name=name)
    del module_args["cluster_id"]
    result, code = run(module_args)
    assert code == 1 and result["msg"] == message and result["retryable"] is False
    assert [path for path, _query in calls(api)] == ["/v1.1/project-1/clusters"]


def test_an_unknown_cluster_id_fails_with_the_hint(run, args):
    result, code = run(dict(args, cluster_id="no-such-cluster"))
    assert code == 1 and result["error_code"] == "Cdm.0001" and "not the cluster's name" in result["msg"]


def test_a_failing_second_page_fails_the_module_with_its_request_id(run, args, api):
    api.faults({"kind": "http_503", "route": "job_list", "after": 1, "count": -1})
    result, code = run(dict(args, cluster_id=BIG))
    assert code == 1 and result["http_status"] == 503 and result["retryable"] is True
    assert result["request_id"] == api.requests[-1].request_id
    assert "jobs" not in result


def test_a_throttled_page_is_retried_and_the_list_completes(run, args, api):
    api.faults({"kind": "throttle", "route": "job_list", "after": 1, "retry_after": "0"})
    result, code = run(dict(args, cluster_id=BIG, retries=2))
    assert code == 0 and names(result) == BULK
    assert [request.status for request in api.requests] == [200, 429, 200, 200]


def test_a_page_without_a_jobs_list_fails_clearly(run, args, api):
    api.faults({"kind": "custom", "route": "job_list", "status": 200, "body": {"total": 3}})
    result, code = run(args)
    assert code == 1 and "no jobs list in the answer" in result["msg"] and result["retryable"] is True


def test_check_mode_returns_the_same_jobs(run, args):
    normal, _code = run(dict(args, job_name="jdbc2hive", history=True))
    checked, code = run(dict(args, job_name="jdbc2hive", history=True), check_mode=True)
    assert code == 0 and checked["changed"] is False
    assert checked["jobs"] == normal["jobs"] and checked["submissions"] == normal["submissions"]


def test_the_token_never_appears_in_the_output(run, args, api):
    api.faults({"kind": "http_503", "route": "submissions", "count": -1})
    for module_args in (args, dict(args, job_name="jdbc2hive", history=True), dict(args, job_name="nope")):
        result, _code = run(module_args)
        assert TOKEN not in result["_stdout"]
