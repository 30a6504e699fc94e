# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
import socket
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

import pytest

requests = pytest.importorskip("requests")
pytest.importorskip("jmespath")

# pylint: disable=wrong-import-position
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _signer  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.modules import cdm_job_status  # noqa: E402

TOKEN = "TOKEN-SECRET-a1b2c3d4"
ACCESS_KEY = "AKEXAMPLE0123456789"
SECRET_KEY = "SK-SECRET-e5f6a7b8c9"
SECURITY_TOKEN = "STS-SECRET-0d1e2f3a"
PASSWORD = "PASSWORD-SECRET-4b5c6d"
WRONG_PASSWORD = "WRONG-PASSWORD-SECRET-7c8d9e"
SECRETS = (TOKEN, SECRET_KEY, SECURITY_TOKEN, PASSWORD)
STATUS_PATH = "/v1.1/project-1/clusters/cluster-1/cdm/job/jdbc2hive/status"
CLUSTERS_PATH = "/v1.1/project-1/clusters"
RESERVED_NAME = "a/b?c#d e%f 数据"

RESULT_TYPES = {
    "job_name": str, "status": str, "progress": float, "finished": bool, "succeeded": bool, "counters": dict,
    "submission_id": int, "submission": dict, "request_id": str, "changed": bool,
    "run_seconds": int, "eta_seconds": int, "idle_seconds": int, "service_time": int,
}
# 2023-11-14T22:13:20Z, and the Date header that says so.
SERVICE_NOW = 1700000000
SERVICE_DATE = "Tue, 14 Nov 2023 22:13:20 GMT"


def running_body(progress=25.0, started_ago=300, updated_ago=12):
    return json.dumps({"submissions": [
        {"job-name": "jdbc2hive", "submission-id": 7, "status": "RUNNING", "progress": progress,
         "execute-date": (SERVICE_NOW - started_ago) * 1000, "last-update-date": (SERVICE_NOW - updated_ago) * 1000},
        {"job-name": "jdbc2hive", "submission-id": 6, "status": "SUCCEEDED", "progress": 100,
         "execute-date": (SERVICE_NOW - 9000) * 1000, "last-update-date": (SERVICE_NOW - 8000) * 1000}]})


@pytest.fixture(scope="module")
def sim_scenario():
    """The simulator's credentials are the tests'; its jobs each have one SUCCEEDED run."""
    finished = [{"outcome": "succeeded", "finished_ago": 60}]
    return {
        "tokens": [TOKEN],
        "access_keys": [{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "security_token": SECURITY_TOKEN}],
        "users": [{"name": "alice", "password": PASSWORD, "domain": "corp"}],
        "clusters": [{"id": "cluster-1", "name": "etl", "jobs": [{"name": "jdbc2hive", "history": finished},
                                                                 {"name": RESERVED_NAME, "history": finished}]},
                     # Names are unique in the console only: the API may list two clusters with one name.
                     {"id": "cluster-2", "name": "shared"}, {"id": "cluster-3", "name": "shared"}],
    }


@pytest.fixture
def args(api):
    return {"project_id": "project-1", "cluster_id": "cluster-1", "job_name": "jdbc2hive", "endpoint": api.url,
            "auth_token": TOKEN, "timeout": 5}


@pytest.fixture
def run(run_module):
    return lambda module_args, check_mode=False: run_module(cdm_job_status.main, module_args, check_mode=check_mode)


@pytest.fixture
def job(api, fixture_loader):
    """``job('jdbc2hive', 'status_succeeded.json')`` makes the simulator answer 200 with that fixture."""

    def answer(name, fixture, status=200, headers=None):
        api.job(name, (status, fixture_loader(fixture, raw=True), headers or {}))

    return answer


def verify_aksk_signature(request, secret_key):
    """Check a received request's signature the way the gateway does."""
    _access, names, signature = _signer.parse_authorization(request.header("Authorization"))
    parts = urlsplit(request.path)
    headers = dict((name, request.header(name)) for name in names)
    canonical = _signer.canonical_request(request.method, parts.path, parse_qsl(parts.query, keep_blank_values=True),
                                          headers, names, request.body)
    return signature == _signer.signature(secret_key, _signer.string_to_sign(request.header("X-Sdk-Date"), canonical))


# The happy path

def test_succeeded_job_returns_status_counters_and_types(run, args, job, api):
    job("jdbc2hive", "status_succeeded.json")
    result, code = run(args)
    assert code == 0
    assert "failed" not in result
    for key, kind in RESULT_TYPES.items():
        assert isinstance(result[key], kind), key
    assert (result["status"], result["finished"], result["succeeded"], result["changed"]) == ("SUCCEEDED", True, True, False)
    assert result["counters"]["rows_written"] == 1000
    assert result["submission_id"] == 1201
    assert len(api.requests) == 1
    assert result["request_id"] == api.requests[0].request_id


def test_one_get_of_the_status_path_with_the_token(run, args, job, api):
    job("jdbc2hive", "status_succeeded.json")
    run(args)
    request = api.requests[0]
    assert (request.method, request.path) == ("GET", STATUS_PATH)
    assert request.header("X-Auth-Token") == TOKEN


def test_running_job_is_not_finished(run, args, job):
    job("jdbc2hive", "status_seed_example.json")
    result, code = run(args)
    assert code == 0
    assert (result["status"], result["finished"], result["progress"]) == ("BOOTING", False, 1.0)


def test_failed_job_is_data_not_a_module_failure(run, args, job):
    job("obs2dws", "status_failed.json")
    result, code = run(dict(args, job_name="obs2dws"))
    assert code == 0
    assert result.get("failed") is not True
    assert (result["status"], result["finished"], result["succeeded"]) == ("FAILED", True, False)
    assert result["error_summary"] == "Database connection refused"


def test_job_without_submissions_is_never_executed(run, args, job):
    job("jdbc2hive", "status_empty.json")
    result, code = run(args)
    assert code == 0
    assert (result["status"], result["finished"], result["submission"]) == ("NEVER_EXECUTED", False, None)


# Time facts, on the service's clock, and lean results

def test_a_running_job_is_measured_on_the_clock_of_the_answer(run, args, api):
    api.job("jdbc2hive", (200, running_body(progress=25.0, started_ago=300, updated_ago=12), {"Date": SERVICE_DATE}))
    result, code = run(args)
    assert code == 0
    assert (result["run_seconds"], result["eta_seconds"], result["idle_seconds"], result["service_time"]) == \
        (300, 900, 12, SERVICE_NOW)


def test_the_time_facts_ignore_the_module_hosts_clock(run, args, api):
    """The answer's clock says 2023, the host's years later: the facts follow the answer's."""
    api.job("jdbc2hive", (200, running_body(progress=50.0, started_ago=60, updated_ago=1), {"Date": SERVICE_DATE}))
    result, code = run(args)
    assert code == 0
    assert (result["run_seconds"], result["eta_seconds"], result["idle_seconds"]) == (60, 60, 1)


def test_a_finished_run_took_from_execution_to_its_last_update_and_has_nothing_left(run, args, api, fixture_loader):
    api.job("jdbc2hive", (200, fixture_loader("status_succeeded.json", raw=True), {"Date": SERVICE_DATE}))
    result, code = run(args)
    assert code == 0
    # execute-date 1536905778800, last-update-date 1536905999000: 220.2 s.
    assert (result["run_seconds"], result["eta_seconds"]) == (220, 0)
    assert result["idle_seconds"] == SERVICE_NOW - 1536905999


@pytest.mark.parametrize("progress", [0.0, -1.0, None])
def test_no_estimate_without_progress(run, args, api, progress):
    api.job("jdbc2hive", (200, running_body(progress=progress), {"Date": SERVICE_DATE}))
    result, _code = run(args)
    assert (result["run_seconds"], result["eta_seconds"]) == (300, None)


@pytest.mark.parametrize("date", ["", "not a date", "Tue, 99 Nov 2023 25:13:20 GMT"])
def test_without_a_readable_date_header_the_facts_that_need_now_are_null(run, args, api, date, fixture_loader):
    api.job("jdbc2hive", (200, running_body(), {"Date": date}))
    running, code = run(args)
    assert code == 0 and running["status"] == "RUNNING"
    assert (running["run_seconds"], running["eta_seconds"], running["idle_seconds"], running["service_time"]) == \
        (None, None, None, None)
    api.job("obs2dws", (200, fixture_loader("status_succeeded.json", raw=True), {"Date": date}))
    finished, _code = run(dict(args, job_name="obs2dws"))
    # A finished run's length needs no clock but its own dates.
    assert (finished["run_seconds"], finished["eta_seconds"], finished["idle_seconds"]) == (220, 0, None)


def test_a_job_that_never_ran_has_no_time_facts_but_the_services_time(run, args, api, fixture_loader):
    api.job("jdbc2hive", (200, fixture_loader("status_empty.json", raw=True), {"Date": SERVICE_DATE}))
    result, _code = run(args)
    assert (result["run_seconds"], result["eta_seconds"], result["idle_seconds"], result["service_time"]) == \
        (None, None, None, SERVICE_NOW)


def test_the_result_holds_the_newest_run_once_and_no_history(run, args, job):
    job("jdbc2hive", "status_history.json")
    result, code = run(args)
    assert code == 0
    assert "submissions" not in result
    assert (result["submission_id"], result["submission"]["submission_id"]) == (11, 11)


def test_history_returns_every_run_newest_first(run, args, job):
    job("jdbc2hive", "status_history.json")
    result, code = run(dict(args, history=True))
    assert code == 0
    assert [item["submission_id"] for item in result["submissions"]] == [11, 10, 9]
    assert result["submissions"][0] == result["submission"]


def test_batch_entries_carry_the_newest_run_and_its_time_facts_never_the_history(run, args, api):
    api.job("jdbc2hive", (200, running_body(progress=25.0), {"Date": SERVICE_DATE}))
    result, code = run(dict(_without(args, "job_name"), job_names=["jdbc2hive", RESERVED_NAME]))
    assert code == 0
    first, second = result["jobs"]
    assert "submissions" not in first and "submissions" not in second
    assert (first["submission_id"], first["run_seconds"], first["eta_seconds"], first["idle_seconds"]) == (7, 300, 900, 12)
    assert second["status"] == "SUCCEEDED" and isinstance(second["run_seconds"], int) and second["eta_seconds"] == 0


def test_history_is_refused_with_job_names_before_anything_is_sent(run, args, api):
    result, code = run(dict(_without(args, "job_name"), job_names=["jdbc2hive"], history=True))
    assert code == 1
    assert result["msg"].startswith("history works with job_name only")
    assert api.requests == []


def test_job_name_alias_name_works(run, args, job, api):
    job("jdbc2hive", "status_succeeded.json")
    module_args = dict(args)
    module_args["name"] = module_args.pop("job_name")
    result, code = run(module_args)
    assert code == 0
    assert result["job_name"] == "jdbc2hive"
    assert api.requests[0].path == STATUS_PATH


def test_job_name_with_reserved_characters_stays_one_path_segment(run, args, api):
    result, code = run(dict(args, job_name=RESERVED_NAME))
    assert code == 0
    assert (result["job_name"], result["status"]) == (RESERVED_NAME, "SUCCEEDED")
    segments = api.requests[0].path.split("/")
    assert len(segments) == 9
    assert unquote(segments[7]) == RESERVED_NAME


# Failed calls

def test_unknown_job_fails_with_the_api_error(run, args, api):
    result, code = run(dict(args, job_name="nosuchjob"))
    assert code == 1
    assert result["failed"] is True
    assert (result["http_status"], result["error_code"], result["retryable"]) == (400, "Cdm.0100", False)
    assert (result["finished"], result["succeeded"]) == (False, False)
    assert result["request_id"] == api.requests[0].request_id
    assert result["error_message"] == "Job[nosuchjob] doesn't exist."
    assert "Cdm.0100" in result["msg"] and api.requests[0].request_id in result["msg"]
    assert result["job_name"] == "nosuchjob"
    assert len(api.requests) == 1


def test_transient_503_is_retried_and_the_call_succeeds(run, args, api):
    api.faults({"kind": "http_503", "job": "jdbc2hive", "retry_after": "0"})
    result, code = run(dict(args, retries=2))
    assert code == 0
    assert result["status"] == "SUCCEEDED"
    assert len(api.requests) == 2


def test_persistent_503_fails_as_retryable(run, args, api):
    api.faults({"kind": "http_503", "job": "jdbc2hive", "count": -1})
    result, code = run(dict(args, retries=0))
    assert code == 1
    assert (result["http_status"], result["retryable"], result["finished"]) == (503, True, False)


def test_unreachable_endpoint_fails_as_retryable_without_http_status(run, args):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    result, code = run(dict(args, endpoint="http://127.0.0.1:%d" % closed_port, retries=0))
    assert code == 1
    assert (result["http_status"], result["retryable"], result["finished"]) == (None, True, False)
    assert "could not reach 127.0.0.1:%d" % closed_port in result["msg"]
    assert "Traceback" not in result["msg"]


# Bad input: refused before anything is sent

@pytest.mark.parametrize("change, remove, message", [
    ({"job_name": ""}, (), "job_name must not be empty"),
    ({"job_name": ".."}, (), "job_name must not be '..'"),
    ({"job_name": "a\nb"}, (), "job_name must not contain control characters"),
    ({"cluster_id": "."}, (), "cluster_id must not be '.'"),
    ({"project_id": ""}, (), "project_id must not be empty"),
    ({"endpoint": "ftp://x"}, (), "endpoint must be an http:// or https:// URL"),
    ({"endpoint": "https://user:pw@cdm.example.com"}, (), "endpoint must be a plain base URL"),
    ({}, ("auth_token",), "no complete credentials were given; use one of: auth_token"),
    ({"query": "submissions[0"}, (), "query is not a valid JMESPath expression"),
    ({"retries": 99}, (), "retries must be a whole number from 0 to 10"),
    ({"timeout": 0}, (), "timeout must be a number of seconds greater than 0"),
    ({"endpoint": None, "region": "cn-north-4", "cloud": "not a domain"}, (), "cloud must be a domain name"),
    ({"endpoint": None, "region": "CN North 4"}, (), "region must be a region id"),
    ({"endpoint": None}, (), "one of region or endpoint is required"),
    ({"auth_token": None, "user_name": "alice"}, (), "password authentication needs user_name, password and domain_name"),
])
def test_bad_input_fails_naming_the_option_and_sends_nothing(run, args, api, change, remove, message):
    module_args = dict(args, **change)
    for name in remove:
        module_args.pop(name)
    result, code = run(module_args)
    assert code == 1
    assert result["failed"] is True
    assert result["msg"].startswith(message)
    assert (result["retryable"], result["finished"], result["succeeded"]) == (False, False, False)
    assert api.requests == []


def test_half_an_ak_sk_pair_fails_and_sends_nothing(run, args, api):
    module_args = dict(args, access_key=ACCESS_KEY)
    module_args.pop("auth_token")
    result, code = run(module_args)
    assert code == 1
    assert result["msg"] == "access_key and secret_key must be given together"
    assert api.requests == []


def test_bad_iam_endpoint_with_a_token_fails_naming_the_option(run, args, api):
    result, code = run(dict(args, iam_endpoint="ftp://iam.example.com"))
    assert code == 1
    assert result["msg"].startswith("iam_endpoint ")
    assert api.requests == []


def test_broken_ipv6_endpoint_fails_naming_the_option(run, args, api):
    result, code = run(dict(args, endpoint="http://[::1"))
    assert code == 1
    assert result["msg"].startswith("endpoint ")
    assert api.requests == []


# cluster_name: one cluster-list call, then the job calls

def _by_name(args, name="etl"):
    return dict(_without(args, "cluster_id"), cluster_name=name)


def _paths(api):
    return [request.path for request in api.requests]


def test_cluster_name_is_resolved_by_one_list_call_before_the_status_call(run, args, api):
    result, code = run(_by_name(args))
    assert code == 0
    assert [(request.method, request.path) for request in api.requests] == [("GET", CLUSTERS_PATH), ("GET", STATUS_PATH)]
    assert (result["cluster_id"], result["status"]) == ("cluster-1", "SUCCEEDED")


def test_cluster_name_in_the_batch_form_is_resolved_once_for_every_job(run, args, api):
    module_args = dict(_without(_by_name(args), "job_name"), job_names=["jdbc2hive", RESERVED_NAME])
    result, code = run(module_args)
    assert code == 0
    paths = _paths(api)
    assert paths[0] == CLUSTERS_PATH
    assert paths.count(CLUSTERS_PATH) == 1
    assert len(paths) == 4   # the list of clusters, the list of jobs, one status call per job
    assert all(path.startswith(CLUSTERS_PATH + "/cluster-1/cdm/") for path in paths[1:])
    assert result["cluster_id"] == "cluster-1"
    statuses = [(job["job_name"], job["status"]) for job in result["jobs"]]
    assert statuses == [("jdbc2hive", "SUCCEEDED"), (RESERVED_NAME, "SUCCEEDED")]


def test_cluster_id_is_used_as_given_without_a_list_call(run, args, api):
    result, code = run(args)
    assert code == 0
    assert _paths(api) == [STATUS_PATH]
    assert result["cluster_id"] == "cluster-1"


def test_a_failed_job_call_still_says_which_cluster_it_asked(run, args, api):
    result, code = run(dict(_by_name(args), job_name="nosuchjob"))
    assert code == 1
    assert (result["error_code"], result["cluster_id"]) == ("Cdm.0100", "cluster-1")


def test_a_failed_batch_still_says_which_cluster_it_asked(run, args, api):
    result, code = run(dict(_without(_by_name(args), "job_name"), job_names=["jdbc2hive", "nosuchjob"]))
    assert code == 1
    assert result["cluster_id"] == "cluster-1"
    assert result["error_jobs"] == ["nosuchjob"]
    assert result["msg"].startswith("could not read the status of 1 of 2 jobs: nosuchjob: ")
    assert result["retryable"] is False


@pytest.mark.parametrize("batch", [False, True], ids=["single", "batch"])
def test_an_unknown_cluster_name_fails_listing_the_names_before_any_job_call(run, args, api, batch):
    module_args = _by_name(args, "nosuch")
    if batch:
        module_args = dict(_without(module_args, "job_name"), job_names=["jdbc2hive"])
    result, code = run(module_args)
    assert code == 1
    assert result["msg"] == "cluster_name 'nosuch' names no cluster of the project; it has: etl, shared"
    assert (result["retryable"], result["finished"], result["succeeded"]) == (False, False, False)
    assert "cluster_id" not in result
    assert _paths(api) == [CLUSTERS_PATH]


@pytest.mark.parametrize("batch", [False, True], ids=["single", "batch"])
def test_a_cluster_name_shared_by_two_clusters_fails_listing_their_ids_before_any_job_call(run, args, api, batch):
    module_args = _by_name(args, "shared")
    if batch:
        module_args = dict(_without(module_args, "job_name"), job_names=["jdbc2hive"])
    result, code = run(module_args)
    assert code == 1
    assert result["msg"] == "cluster_name 'shared' matches 2 clusters (IDs cluster-2, cluster-3): give cluster_id instead"
    assert (result["retryable"], result["finished"]) == (False, False)
    assert _paths(api) == [CLUSTERS_PATH]


def test_a_refused_cluster_list_fails_with_the_api_error_and_no_job_call(run, args, api):
    api.faults({"kind": "forbidden", "route": "cluster_list"})
    result, code = run(_by_name(args))
    assert code == 1
    assert result["msg"].startswith("could not resolve cluster_name 'etl': ")
    assert (result["http_status"], result["error_code"], result["retryable"]) == (403, "APIG.0302", False)
    assert result["request_id"] == api.requests[0].request_id
    assert _paths(api) == [CLUSTERS_PATH]


def test_a_cluster_list_that_stays_unavailable_fails_as_retryable(run, args, api):
    api.faults({"kind": "http_503", "route": "cluster_list", "count": -1})
    result, code = run(dict(_by_name(args), retries=0))
    assert code == 1
    assert (result["http_status"], result["retryable"], result["finished"]) == (503, True, False)
    assert _paths(api) == [CLUSTERS_PATH]


def test_cluster_name_with_password_auth_fetches_one_token_for_both_calls(run, args, api):
    result, code = run(_by_name(_password_args(args, api)))
    assert code == 0
    assert _paths(api) == ["/v3/auth/tokens", CLUSTERS_PATH, STATUS_PATH]
    assert api.requests[1].header("X-Auth-Token") == api.requests[2].header("X-Auth-Token") == api.issued_token
    assert PASSWORD not in result["_stdout"] and api.issued_token not in result["_stdout"]


def test_cluster_name_in_check_mode_resolves_and_reads_as_usual(run, args, api):
    result, code = run(_by_name(args), check_mode=True)
    assert code == 0
    assert _paths(api) == [CLUSTERS_PATH, STATUS_PATH]
    assert result["cluster_id"] == "cluster-1"


@pytest.mark.parametrize("change, remove, message", [
    ({"cluster_name": "etl"}, (), "parameters are mutually exclusive: cluster_id|cluster_name"),
    ({}, ("cluster_id",), "one of the following is required: cluster_id, cluster_name"),
    ({"cluster_name": ""}, ("cluster_id",), "cluster_name must not be empty"),
    ({"cluster_name": "etl\n"}, ("cluster_id",), "cluster_name must not contain control characters"),
])
def test_cluster_options_are_checked_before_anything_is_sent(run, args, api, change, remove, message):
    result, code = run(dict(_without(args, *remove), **change))
    assert code == 1
    assert result["msg"].startswith(message)
    assert api.requests == []


# query

def test_query_result_is_the_expression_on_the_raw_body(run, args, job):
    job("jdbc2hive", "status_succeeded.json")
    query = 'submissions[0].counters."org.apache.sqoop.submission.counter.SqoopCounters".ROWS_WRITTEN'
    result, code = run(dict(args, query=query))
    assert code == 0
    assert result["query_result"] == 1000


def test_query_reads_kebab_case_keys_as_sent(run, args, job):
    job("jdbc2hive", "status_seed_example.json")
    result, _code = run(dict(args, query='submissions[0]."creation-date"'))
    assert result["query_result"] == "1536905778725"


def test_query_that_matches_nothing_returns_null(run, args, job):
    job("jdbc2hive", "status_succeeded.json")
    result, code = run(dict(args, query="no_such_key"))
    assert code == 0
    assert result["query_result"] is None


def test_without_query_there_is_no_query_result(run, args, job):
    job("jdbc2hive", "status_succeeded.json")
    assert "query_result" not in run(args)[0]


# Check mode

def test_check_mode_returns_the_same_data(run, args, job, api):
    job("jdbc2hive", "status_succeeded.json", headers={"Date": SERVICE_DATE})
    normal, _code = run(dict(args, query="submissions[0].status"))
    checked, code = run(dict(args, query="submissions[0].status"), check_mode=True)
    assert code == 0
    assert len(api.requests) == 2
    for result in (normal, checked):
        for key in ("invocation", "request_id", "_stdout"):
            result.pop(key, None)
    assert checked == normal


# No secret in the output, whichever way the module authenticated

def _token_args(args, api):
    return args


def _aksk_args(args, api):
    module_args = dict(args, access_key=ACCESS_KEY, secret_key=SECRET_KEY, security_token=SECURITY_TOKEN)
    module_args.pop("auth_token")
    return module_args


def _password_args(args, api):
    module_args = dict(args, user_name="alice", password=PASSWORD, domain_name="corp", iam_endpoint=api.url)
    module_args.pop("auth_token")
    return module_args


def _token_renewable_args(args, api):
    return dict(args, user_name="alice", password=PASSWORD, domain_name="corp", iam_endpoint=api.url)


AUTH_ARGS = [_token_args, _aksk_args, _password_args, _token_renewable_args]


@pytest.mark.parametrize("auth_args", AUTH_ARGS, ids=["token", "aksk", "password", "token+password"])
@pytest.mark.parametrize("job_name", ["jdbc2hive", "nosuchjob"], ids=["success", "failure"])
def test_no_secret_appears_in_the_output(run, args, job, api, auth_args, job_name):
    job("jdbc2hive", "status_succeeded.json")
    result, _code = run(dict(auth_args(args, api), job_name=job_name))
    assert "invocation" in result
    assert not [secret for secret in SECRETS + tuple(api.issued_tokens) if secret in result["_stdout"]]


@pytest.mark.parametrize("option", ["auth_token", "security_token"])
def test_secret_with_a_trailing_newline_never_appears_in_the_output(run, args, job, api, option):
    job("jdbc2hive", "status_succeeded.json")
    module_args = _aksk_args(args, api) if option == "security_token" else dict(args)
    secret = TOKEN if option == "auth_token" else SECURITY_TOKEN
    module_args[option] = secret + "\n"
    result, _code = run(dict(module_args, retries=0))
    assert secret not in result["_stdout"]


def test_token_that_expired_is_renewed_with_the_password(run, args, api):
    api.faults({"kind": "token_expired", "job": "jdbc2hive"})
    result, code = run(_token_renewable_args(args, api))
    assert code == 0
    assert result["status"] == "SUCCEEDED"
    assert [(r.method, r.path) for r in api.requests] == [("GET", STATUS_PATH), ("POST", "/v3/auth/tokens"), ("GET", STATUS_PATH)]
    assert api.requests[2].header("X-Auth-Token") == api.issued_token


def test_aksk_request_carries_a_valid_signature(run, args, api):
    # The simulator checks the signature as the gateway does (no canned answer here), and so does this test.
    result, code = run(_aksk_args(args, api))
    assert code == 0, result["msg"] if code else ""
    assert result["status"] == "SUCCEEDED"
    request = api.requests[0]
    assert request.header("X-Auth-Token") is None
    assert request.header("X-Project-Id") == "project-1"
    assert request.header("X-Security-Token") == SECURITY_TOKEN
    assert _signer.parse_authorization(request.header("Authorization"))[0] == ACCESS_KEY
    assert verify_aksk_signature(request, SECRET_KEY)


def test_password_auth_gets_a_token_from_iam_first(run, args, api):
    result, code = run(_password_args(args, api))
    assert code == 0, result.get("msg")
    assert result["status"] == "SUCCEEDED"
    iam, status = api.requests
    assert (iam.method, iam.path) == ("POST", "/v3/auth/tokens")
    assert json.loads(iam.body)["auth"]["scope"] == {"project": {"id": "project-1"}}
    assert status.header("X-Auth-Token") == api.issued_token


def test_wrong_password_fails_with_the_iam_error(run, args, api):
    result, code = run(dict(_password_args(args, api), password=WRONG_PASSWORD))
    assert code == 1
    assert result["msg"].startswith("IAM answered HTTP 401: [401] The username or password is wrong.")
    assert (result["retryable"], result["finished"]) == (False, False)
    assert len(api.requests) == 1
    assert WRONG_PASSWORD not in result["_stdout"]


# Environment variables

def _without(args, *names):
    module_args = dict(args)
    for name in names:
        module_args.pop(name)
    return module_args


def test_project_id_from_huaweicloud_sdk_project_id(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "project-from-sdk-env")
    _result, code = run(_without(args, "project_id"))
    assert code == 0
    assert api.requests[0].path.startswith("/v1.1/project-from-sdk-env/")


def test_huaweicloud_sdk_project_id_wins_over_ansible_hwc_project_id(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("ANSIBLE_HWC_PROJECT_ID", "project-from-hwc-env")
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "project-from-sdk-env")
    run(_without(args, "project_id"))
    assert api.requests[0].path.startswith("/v1.1/project-from-sdk-env/")


def test_ansible_hwc_project_id_is_used_alone(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("ANSIBLE_HWC_PROJECT_ID", "project-from-hwc-env")
    run(_without(args, "project_id"))
    assert api.requests[0].path.startswith("/v1.1/project-from-hwc-env/")


def test_option_wins_over_the_environment(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", "project-from-sdk-env")
    run(args)
    assert api.requests[0].path == STATUS_PATH


def test_endpoint_from_huaweicloud_cdm_endpoint(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("HUAWEICLOUD_CDM_ENDPOINT", api.url)
    _result, code = run(_without(args, "endpoint"))
    assert code == 0
    assert len(api.requests) == 1


def test_token_from_huaweicloud_auth_token(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("HUAWEICLOUD_AUTH_TOKEN", TOKEN)
    result, code = run(_without(args, "auth_token"))
    assert code == 0
    assert api.requests[0].header("X-Auth-Token") == TOKEN
    assert TOKEN not in result["_stdout"]


def test_ak_sk_from_cloud_sdk_variables_of_the_seed_samples(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("CLOUD_SDK_AK", ACCESS_KEY)
    monkeypatch.setenv("CLOUD_SDK_SK", SECRET_KEY)
    result, code = run(_without(args, "auth_token"))
    assert code == 0
    assert _signer.parse_authorization(api.requests[0].header("Authorization"))[0] == ACCESS_KEY
    assert verify_aksk_signature(api.requests[0], SECRET_KEY)
    assert SECRET_KEY not in result["_stdout"]


def test_huaweicloud_sdk_ak_sk_win_over_cloud_sdk_ak_sk(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("CLOUD_SDK_AK", "AK-FROM-CLOUD-SDK")
    monkeypatch.setenv("CLOUD_SDK_SK", "SK-FROM-CLOUD-SDK")
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", ACCESS_KEY)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SECRET_KEY)
    run(_without(args, "auth_token"))
    assert _signer.parse_authorization(api.requests[0].header("Authorization"))[0] == ACCESS_KEY
    assert verify_aksk_signature(api.requests[0], SECRET_KEY)


def test_token_from_the_environment_wins_over_ak_sk_from_the_environment(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", ACCESS_KEY)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SECRET_KEY)
    monkeypatch.setenv("HUAWEICLOUD_AUTH_TOKEN", TOKEN)
    run(_without(args, "auth_token"))
    assert api.requests[0].header("X-Auth-Token") == TOKEN
    assert api.requests[0].header("Authorization") is None


def test_security_token_from_hw_security_token(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    for name, value in (("HW_ACCESS_KEY", ACCESS_KEY), ("HW_SECRET_KEY", SECRET_KEY), ("HW_SECURITY_TOKEN", SECURITY_TOKEN)):
        monkeypatch.setenv(name, value)
    result, _code = run(_without(args, "auth_token"))
    assert api.requests[0].header("X-Security-Token") == SECURITY_TOKEN
    assert verify_aksk_signature(api.requests[0], SECRET_KEY)
    assert SECURITY_TOKEN not in result["_stdout"]


def test_password_identity_from_hw_variables(run, args, job, api, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    for name, value in (("HW_USER_NAME", "alice"), ("HW_PASSWORD", PASSWORD), ("HW_DOMAIN_NAME", "corp"),
                        ("HUAWEICLOUD_SDK_IAM_ENDPOINT", api.url)):
        monkeypatch.setenv(name, value)
    result, code = run(_without(args, "auth_token"))
    assert code == 0
    user = json.loads(api.requests[0].body)["auth"]["identity"]["password"]["user"]
    assert user == {"name": "alice", "password": PASSWORD, "domain": {"name": "corp"}}
    assert PASSWORD not in result["_stdout"]


@pytest.fixture
def public_urls(monkeypatch, api):
    """Send requests for any host to the simulator, recording the URL the module asked for."""
    asked = []
    original = requests.Session.request

    def request(self, method, url, *args, **kwargs):
        asked.append(url)
        parts = urlsplit(url)
        return original(self, method, urlunsplit(("http", api.netloc, parts.path, parts.query, "")), *args, **kwargs)

    monkeypatch.setattr(requests.Session, "request", request)
    return asked


def test_region_from_hw_region_name_builds_the_public_endpoint(run, args, job, public_urls, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("HW_REGION_NAME", "cn-north-4")
    _result, code = run(_without(args, "endpoint"))
    assert code == 0
    assert public_urls == ["https://cdm.cn-north-4.myhuaweicloud.com" + STATUS_PATH]


def test_huaweicloud_region_wins_over_hw_region_name(run, args, job, public_urls, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("ANSIBLE_HWC_REGION", "ap-southeast-3")
    monkeypatch.setenv("HW_REGION_NAME", "cn-north-4")
    monkeypatch.setenv("HUAWEICLOUD_REGION", "cn-east-3")
    run(_without(args, "endpoint"))
    assert urlsplit(public_urls[0]).netloc == "cdm.cn-east-3.myhuaweicloud.com"


def test_hw_region_name_wins_over_ansible_hwc_region(run, args, job, public_urls, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("ANSIBLE_HWC_REGION", "ap-southeast-3")
    monkeypatch.setenv("HW_REGION_NAME", "cn-north-4")
    run(_without(args, "endpoint"))
    assert urlsplit(public_urls[0]).netloc == "cdm.cn-north-4.myhuaweicloud.com"


def test_cloud_from_hw_cloud(run, args, job, public_urls, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("HW_CLOUD", "private.example.org")
    run(dict(_without(args, "endpoint"), region="cn-north-4"))
    assert urlsplit(public_urls[0]).netloc == "cdm.cn-north-4.private.example.org"


def test_password_auth_finds_iam_from_the_region(run, args, job, public_urls, monkeypatch):
    job("jdbc2hive", "status_succeeded.json")
    monkeypatch.setenv("HW_REGION_NAME", "cn-north-4")
    module_args = dict(_without(args, "endpoint", "auth_token"), user_name="alice", password=PASSWORD, domain_name="corp")
    _result, code = run(module_args)
    assert code == 0
    assert public_urls[0] == "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens"


# Secrets put where they do not belong, and credentials that would cross the network in clear

@pytest.mark.parametrize("option", ["endpoint", "iam_endpoint"])
def test_a_password_in_a_url_option_is_refused_and_masked_everywhere(run, args, api, option):
    args[option] = "https://admin:S3cretPW-u1@cdm.example.com/"
    result, code = run(args)
    assert code == 1
    assert result["msg"] == "%s must be a plain base URL without credentials, query or fragment" % option
    assert "S3cretPW-u1" not in result["_stdout"]
    assert result["invocation"]["module_args"][option] == "https://********@cdm.example.com/"
    assert api.requests == []


def test_an_endpoint_with_the_api_path_is_refused_and_nothing_is_sent(run, args, api):
    args["endpoint"] = api.url + "/v1.1/project-1"
    result, code = run(args)
    assert code == 1
    assert result["msg"] == "endpoint must be the base URL, without the API path (/v1.1/project-1): use %s" % api.url
    assert (result["retryable"], result["finished"]) == (False, False)
    assert api.requests == []


def test_credentials_over_plain_http_to_another_machine_get_a_warning(run, args, no_such_host, warnings_of):
    args["endpoint"] = "http://cdm.example.com:8080"
    result, _code = run(args)
    assert warnings_of(result) == ["endpoint is a plain http:// URL to another machine (cdm.example.com:8080): the "
                                   "credentials cross the network unencrypted; use https://"]
    assert result["retryable"] is False


def test_a_password_over_plain_http_gets_a_warning_for_iam_and_for_cdm(run, args, api, no_such_host, warnings_of):
    module_args = dict(_password_args(args, api), endpoint="http://cdm.example.com:8080",
                       iam_endpoint="http://iam.example.com:8080", retries=0)
    result, _code = run(module_args)
    assert warnings_of(result) == [
        "%s is a plain http:// URL to another machine (%s.example.com:8080): the credentials cross the network "
        "unencrypted; use https://" % (option, host) for option, host in (("iam_endpoint", "iam"), ("endpoint", "cdm"))]


def test_plain_http_to_this_machine_gets_no_warning(run, args, job, warnings_of):
    job("jdbc2hive", "status_succeeded.json")
    result, _code = run(args)
    assert warnings_of(result) == []
