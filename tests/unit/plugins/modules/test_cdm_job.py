# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _waiter  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.modules import cdm_job  # noqa: E402

TOKEN = "TOKEN-SECRET-a1b2c3d4"
ACCESS_KEY = "AKEXAMPLE0123456789"
SECRET_KEY = "SK-SECRET-e5f6a7b8c9"
SECURITY_TOKEN = "STS-SECRET-0d1e2f3a"
PASSWORD = "PASSWORD-SECRET-4b5c6d"
SECRETS = (TOKEN, SECRET_KEY, SECURITY_TOKEN, PASSWORD)
JOB_PATH = "/v1.1/project-1/clusters/cluster-1/cdm/job/"


@pytest.fixture(scope="module")
def sim_scenario():
    """``idle`` ran once; ``running`` has a run in progress; ``never`` has never run. Runs last an hour, and a
    new one is BOOTING for its first 10 real seconds however slow the machine (speed 60)."""
    finished = [{"outcome": "succeeded", "finished_ago": 60}]
    return {
        "tokens": [TOKEN],
        "access_keys": [{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "security_token": SECURITY_TOKEN}],
        "users": [{"name": "alice", "password": PASSWORD, "domain": "corp"}],
        "clusters": [{"id": "cluster-1", "name": "cdm-one", "jobs": [
            {"name": "idle", "duration": 3600, "boot": 600, "history": finished},
            {"name": "running", "duration": 36000, "boot": 0, "autostart": True},
            {"name": "never", "duration": 3600, "boot": 600},
        ]}],
    }


@pytest.fixture
def args(api):
    return {"project_id": "project-1", "cluster_id": "cluster-1", "job_name": "idle", "state": "started",
            "endpoint": api.url, "auth_token": TOKEN, "timeout": 5}


@pytest.fixture
def run(run_module):
    return lambda module_args, check_mode=False: run_module(cdm_job.main, module_args, check_mode=check_mode)


@pytest.fixture
def warned(monkeypatch):
    """The warnings the module gave, recorded at its warn() (where Ansible keeps them varies by version)."""
    from ansible_collections.huaweicloud.cdm.plugins.module_utils import _module

    given = []
    monkeypatch.setattr(_module.CdmModule, "warn", lambda self, warning, **kwargs: given.append(warning))
    return given


def sent(api):
    """(method, what) of every request: ``what`` is the job path's tail, such as ``idle/start``."""
    return [(request.method, request.path.split(JOB_PATH, 1)[-1]) for request in api.requests]


def runs(api, job):
    """The simulator's own view of a job: (number of runs, newest run's id, its variables)."""
    seen = next(item for item in api.simulator.state.job_overview() if item["name"] == job)
    return seen["submissions"], seen["submission_id"], seen["variables"]


def cdm_error(code, message, status=400, **where):
    return dict(where, kind="custom", status=status, body={"errCode": code, "externalMessage": message})


def answer(body, **where):
    return dict(where, kind="custom", status=200, body=body)


# state: started

def test_a_job_without_an_active_run_is_started(run, args, api):
    result, code = run(args)
    assert code == 0
    assert (result["changed"], result["action"], result["status"]) == (True, "started", "BOOTING")
    assert sent(api) == [("GET", "idle/status"), ("PUT", "idle/start")]
    assert api.requests[1].body == b""
    assert result["submission_id"] == runs(api, "idle")[1] and runs(api, "idle")[0] == 2
    expected = ("idle", "cluster-1", api.requests[1].request_id)
    assert (result["job_name"], result["cluster_id"], result["request_id"]) == expected
    assert (result["finished"], result["succeeded"], result["progress"]) == (False, False, 0.0)


def test_the_started_run_is_normalised_as_cdm_job_status_does(run, args, api):
    result, _code = run(args)
    start_answer = [request for request in api.requests if request.method == "PUT"][0]
    assert start_answer.status == 200
    assert set(result["submission"]) >= set(_submission.normalise_submission({}))
    assert result["submission"]["submission_id"] == result["submission_id"]
    assert isinstance(result["submission"]["creation_date"], int)
    # The start answer's quirks ("isStopingIncrement": "", an integer progress) repaired as cdm_job_status does.
    assert result["submission"]["is_stopping_increment"] is False
    assert result["submission"]["progress"] == 0.0 and isinstance(result["submission"]["progress"], float)


def test_the_started_run_has_its_time_facts_from_the_start_answers_date(run, args, api):
    api.faults(answer({"submissions": [{"job-name": "idle", "submission-id": 99, "status": "BOOTING", "progress": 0,
                                        "execute-date": 1699999990000, "last-update-date": 1699999998000}]},
                      route="start", count=1, headers={"Date": "Tue, 14 Nov 2023 22:13:20 GMT"}))
    result, code = run(args)
    assert code == 0 and result["submission_id"] == 99
    assert (result["run_seconds"], result["eta_seconds"], result["idle_seconds"], result["service_time"]) == \
        (10, None, 2, 1700000000)


def test_a_run_found_running_has_its_time_facts_from_the_status_read(run, args, api):
    result, code = run(dict(args, job_name="running"))
    assert code == 0 and result["action"] == "already_running"
    assert isinstance(result["service_time"], int) and isinstance(result["run_seconds"], int)
    assert result["idle_seconds"] <= 1 and "submissions" not in result


def test_variables_are_sent_as_the_start_body_as_strings(run, args, api):
    result, code = run(dict(args, variables={"load_date": "2024-06-01", "batch": 3, "full": True}))
    assert code == 0 and result["action"] == "started"
    expected = {"load_date": "2024-06-01", "batch": "3", "full": "true"}
    assert json.loads(api.requests[1].body) == {"variables": expected}
    assert api.requests[1].header("Content-Type").startswith("application/json")
    assert runs(api, "idle")[2] == expected


def test_empty_variables_send_no_body(run, args, api):
    run(dict(args, variables={}))
    assert api.requests[1].method == "PUT" and api.requests[1].body == b""


def test_a_job_that_never_ran_is_started(run, args, api):
    result, _code = run(dict(args, job_name="never"))
    assert (result["action"], result["status"], result["submission_id"]) == ("started", "BOOTING", runs(api, "never")[1])


def test_an_active_run_is_returned_and_no_start_is_sent(run, args, api):
    result, code = run(dict(args, job_name="running"))
    assert code == 0
    assert (result["changed"], result["action"], result["status"]) == (False, "already_running", "RUNNING")
    assert sent(api) == [("GET", "running/status")]
    assert result["submission_id"] == runs(api, "running")[1]
    assert result["request_id"] == api.requests[0].request_id


def test_a_second_task_finds_the_run_the_first_started(run, args, api):
    first, _code = run(args)
    second, _code = run(args)
    expected = ("already_running", False, first["submission_id"])
    assert (second["action"], second["changed"], second["submission_id"]) == expected
    assert runs(api, "idle")[0] == 2


def test_a_pending_run_counts_as_active(run, args, api):
    api.job("idle", (200, json.dumps({"submissions": [{"submission-id": 9, "status": "PENDING"}]})))
    result, _code = run(args)
    assert (result["action"], result["submission_id"]) == ("already_running", 9)
    assert [request.method for request in api.requests] == ["GET"]


def test_the_start_race_reports_the_other_pipelines_run_unchanged(run, args, api):
    api.faults({"kind": "concurrent_start", "job": "idle"})
    result, code = run(dict(args, variables={"mine": "yes"}))
    assert code == 0
    assert (result["changed"], result["action"], result["status"]) == (False, "already_running", "BOOTING")
    assert sent(api) == [("GET", "idle/status"), ("PUT", "idle/start"), ("GET", "idle/status")]
    count, other_run, variables = runs(api, "idle")
    assert (count, result["submission_id"], variables) == (2, other_run, {})
    assert result["request_id"] == api.requests[1].request_id
    assert result["submission"]["submission_id"] == other_run


def test_a_run_that_ends_between_the_race_and_the_read_is_still_the_other_run(run, args, api):
    api.faults(cdm_error("Cdm.0052", "Job[idle] is running.", route="start"))
    result, _code = run(args)
    assert (result["action"], result["changed"], result["status"]) == ("already_running", False, "SUCCEEDED")


# A start's answer lost after it was sent

def test_a_lost_answer_to_a_start_that_started_is_learned_from_the_status(run, args, api, warned):
    api.faults({"kind": "lost_answer", "route": "start"})
    result, code = run(args)
    assert code == 0
    assert (result["changed"], result["action"], result["status"]) == (True, "started", "BOOTING")
    assert sent(api) == [("GET", "idle/status"), ("PUT", "idle/start"), ("GET", "idle/status")]
    assert (runs(api, "idle")[0], result["submission_id"]) == (2, runs(api, "idle")[1])
    assert len(warned) == 1 and "got no answer" in warned[0] and str(result["submission_id"]) in warned[0]


def test_a_start_held_past_the_timeout_is_sent_once(run, args, api):
    api.faults({"kind": "lost_answer", "variant": "hold", "delay": 1.0, "route": "start"})
    result, code = run(dict(args, timeout=0.3))
    assert code == 0 and (result["action"], result["changed"]) == ("started", True)
    assert [method for method, _what in sent(api)].count("PUT") == 1
    assert runs(api, "idle")[0] == 2


def test_a_lost_answer_to_a_start_that_did_not_start_fails_as_retryable_without_a_second_start(run, args, api):
    api.faults({"kind": "drop", "route": "start"})
    result, code = run(args)
    assert code == 1
    assert (result["retryable"], result["finished"], result["job_name"]) == (True, False, "idle")
    assert "has not started, and no second start was sent" in result["msg"]
    assert sent(api) == [("GET", "idle/status"), ("PUT", "idle/start"), ("GET", "idle/status")]
    assert runs(api, "idle")[0] == 1
    assert _waiter.wait_state(result) == _waiter.PENDING


def test_a_lost_answer_and_an_unreadable_status_fail_as_retryable(run, args, api):
    api.faults({"kind": "lost_answer", "route": "start"}, {"kind": "http_503", "route": "status", "after": 1, "count": -1})
    result, code = run(dict(args, retries=0))
    assert code == 1 and result["retryable"] is True
    assert "whether a run started is unknown" in result["msg"] and "could not be read" in result["msg"]
    assert [method for method, _what in sent(api)].count("PUT") == 1


def test_a_500_to_a_start_is_not_sent_again_and_the_status_tells(run, args, api):
    api.faults({"kind": "http_500", "route": "start", "count": -1})
    result, code = run(args)
    assert code == 1 and result["retryable"] is True
    assert sent(api) == [("GET", "idle/status"), ("PUT", "idle/start"), ("GET", "idle/status")]


def test_a_throttled_start_is_sent_again(run, args, api):
    api.faults({"kind": "throttle", "route": "start", "retry_after": "0"})
    result, code = run(args)
    assert code == 0 and result["action"] == "started"
    assert sent(api) == [("GET", "idle/status"), ("PUT", "idle/start"), ("PUT", "idle/start")]
    assert runs(api, "idle")[0] == 2


# Starts that are refused or end at once

def test_a_disabled_job_fails_with_the_job_code_message_and_request_id(run, args, api):
    api.faults(cdm_error("Cdm.0059", "Job[idle] is disabled and cannot be submitted.", route="start"))
    result, code = run(args)
    assert code == 1
    assert (result["error_code"], result["http_status"], result["retryable"]) == ("Cdm.0059", 400, False)
    assert result["error_message"] == "Job[idle] is disabled and cannot be submitted."
    request_id = api.requests[1].request_id
    assert result["request_id"] == request_id
    assert "could not start job idle" in result["msg"] and "Cdm.0059" in result["msg"] and request_id in result["msg"]
    assert sent(api) == [("GET", "idle/status"), ("PUT", "idle/start")]
    assert _waiter.wait_state(result) == _waiter.ERROR


def test_bad_variables_refused_by_the_api_fail_for_good(run, args, api):
    api.faults(cdm_error("Cdm.0000", "System error. (variables must be an object)", route="start"))
    result, code = run(dict(args, variables={"a": "b"}))
    assert (code, result["error_code"], result["retryable"]) == (1, "Cdm.0000", False)


@pytest.mark.parametrize("status", ["FAILURE_ON_SUBMIT", "FAILED"])
def test_a_start_answered_with_a_run_that_ended_at_once_fails(run, args, api, status):
    body = {"submissions": [{"job-name": "idle", "submission-id": 77, "status": status, "progress": -1,
                             "error-summary": "No free executor."}]}
    api.faults(answer(body, route="start"))
    result, code = run(args)
    assert code == 1
    assert (result["status"], result["submission_id"], result["finished"], result["retryable"]) == (status, 77, True, False)
    assert result["error_message"] == "No free executor."
    assert "job idle could not be started" in result["msg"] and status in result["msg"]
    assert result["request_id"] == api.requests[1].request_id and result["request_id"] in result["msg"]


def test_a_start_answer_without_a_submission_id_is_completed_from_the_status(run, args, api):
    api.faults({"kind": "shape_change", "variant": "missing_fields", "route": "start"})
    result, code = run(args)
    assert code == 0
    assert (result["action"], result["submission_id"]) == ("started", runs(api, "idle")[1])
    assert result["request_id"] == api.requests[1].request_id


def test_a_start_accepted_with_no_run_anywhere_fails(run, args, api):
    api.faults(answer({}, route="start"))
    result, code = run(args)
    assert code == 1 and "shows no run for it" in result["msg"]


def test_an_unknown_job_fails_before_any_start(run, args, api):
    result, code = run(dict(args, job_name="no_such_job"))
    assert (code, result["error_code"], result["retryable"]) == (1, "Cdm.0100", False)
    assert [request.method for request in api.requests] == ["GET"]


# state: stopped

def test_an_active_run_is_stopped(run, args, api):
    result, code = run(dict(args, job_name="running", state="stopped"))
    assert code == 0
    assert (result["changed"], result["action"]) == (True, "stopped")
    assert sent(api) == [("GET", "running/status"), ("PUT", "running/stop"), ("GET", "running/status")]
    assert (result["status"], result["finished"], result["submission_id"]) == ("FAILED", True, runs(api, "running")[1])
    assert result["submission"]["error_summary"] == "The job was stopped by the user."
    assert result["request_id"] == api.requests[1].request_id


@pytest.mark.parametrize("job, status", [("idle", "SUCCEEDED"), ("never", "NEVER_EXECUTED")])
def test_a_job_without_an_active_run_is_not_stopped(run, args, api, job, status):
    result, code = run(dict(args, job_name=job, state="stopped"))
    assert code == 0
    assert (result["changed"], result["action"], result["status"]) == (False, "not_running", status)
    assert [request.method for request in api.requests] == ["GET"]


def test_a_stop_answered_job_not_running_is_a_no_op(run, args, api):
    api.faults(cdm_error("Cdm.0053", "Job[running] is not running.", route="stop"))
    result, code = run(dict(args, job_name="running", state="stopped"))
    assert code == 0
    assert (result["changed"], result["action"]) == (False, "not_running")
    assert result["request_id"] == api.requests[1].request_id


def test_a_stop_answered_with_an_empty_object_reads_the_status(run, args, api):
    api.faults(answer({}, route="stop"))
    result, _code = run(dict(args, job_name="running", state="stopped"))
    assert (result["action"], result["status"]) == ("stopped", "RUNNING")
    assert [request.method for request in api.requests] == ["GET", "PUT", "GET"]


def test_a_stop_answered_with_submissions_returns_them_without_a_read(run, args, api):
    body = {"submissions": [{"job-name": "running", "submission-id": 5, "status": "RUNNING", "progress": 40.5}]}
    api.faults(answer(body, route="stop"))
    result, _code = run(dict(args, job_name="running", state="stopped"))
    assert (result["action"], result["submission_id"], result["progress"]) == ("stopped", 5, 40.5)
    assert [request.method for request in api.requests] == ["GET", "PUT"]


def test_stop_validation_warnings_become_warnings(run, args, api, warned):
    body = {"validation-result": [{"status": "WARNING", "message": "Incremental state is kept."}, {"status": "OK"}]}
    api.faults(answer(body, route="stop"))
    result, code = run(dict(args, job_name="running", state="stopped"))
    assert (code, result["action"]) == (0, "stopped")
    assert warned == ["stopping job running: Incremental state is kept."]


def test_stop_validation_errors_fail_the_task(run, args, api):
    body = {"validation-result": [{"status": "ERROR", "message": "The job cannot be stopped now."},
                                  {"status": "WARNING", "message": "Also this."}]}
    api.faults(answer(body, route="stop"))
    result, code = run(dict(args, job_name="running", state="stopped"))
    assert code == 1
    assert "CDM refused to stop job running: The job cannot be stopped now." in result["msg"]
    assert (result["http_status"], result["retryable"], result["request_id"]) == (200, False, api.requests[1].request_id)


def test_a_lost_answer_to_a_stop_that_stopped_is_learned_from_the_status(run, args, api, warned):
    api.faults({"kind": "lost_answer", "route": "stop"})
    result, code = run(dict(args, job_name="running", state="stopped"))
    assert code == 0
    assert (result["action"], result["changed"], result["status"]) == ("stopped", True, "FAILED")
    assert len(warned) == 1 and "got no answer" in warned[0]


def test_a_lost_answer_to_a_stop_that_did_not_stop_fails_as_retryable(run, args, api):
    api.faults({"kind": "drop", "route": "stop"})
    result, code = run(dict(args, job_name="running", state="stopped"))
    assert code == 1 and result["retryable"] is True
    assert "is still RUNNING" in result["msg"]
    assert [method for method, _what in sent(api)].count("PUT") == 1


# Check mode reads and sends nothing

@pytest.mark.parametrize("job, state, action, changed", [
    ("idle", "started", "started", True), ("running", "started", "already_running", False),
    ("running", "stopped", "stopped", True), ("idle", "stopped", "not_running", False),
])
def test_check_mode_reads_reports_and_sends_no_put(run, args, api, job, state, action, changed):
    before = runs(api, job)
    result, code = run(dict(args, job_name=job, state=state, variables={"a": "b"} if state == "started" else None),
                       check_mode=True)
    assert code == 0
    assert (result["action"], result["changed"]) == (action, changed)
    assert [request.method for request in api.requests] == ["GET"]
    assert runs(api, job) == before


# Bad input: the option named, nothing sent

@pytest.mark.parametrize("change, remove, message", [
    ({}, "state", "state"),
    ({"state": "present"}, None, "state"),
    ({"variables": "not a dict"}, None, "variables"),
    ({"variables": {"a": {"nested": 1}}}, None, "variables: the value of a must be a string or a number"),
    ({"variables": {"a": None}}, None, "variables: the value of a must be a string or a number, not null"),
    ({"variables": {"a": "b"}, "state": "stopped"}, None, "variables go with state=started only"),
    ({"job_name": ".."}, None, "job_name"),
    ({"job_name": ""}, None, "job_name must not be empty"),
    ({}, "job_name", "job_name"),
    ({"cluster_name": "cdm-one"}, None, "cluster_id|cluster_name"),
], ids=["state-missing", "state-unknown", "variables-not-a-dict", "variables-nested", "variables-null",
        "variables-with-stopped", "job-name-dot-dot", "job-name-empty", "job-name-missing", "two-clusters"])
def test_bad_input_fails_naming_the_option_and_sends_nothing(run, args, api, change, remove, message):
    module_args = dict(args, **change)
    if remove:
        module_args.pop(remove)
    result, code = run(module_args)
    assert code == 1
    assert message in result["msg"]
    assert api.requests == []


def test_cluster_name_is_resolved_once_and_its_id_returned(run, args, api):
    module_args = dict(args, cluster_name="cdm-one")
    module_args.pop("cluster_id")
    result, code = run(module_args)
    assert (code, result["cluster_id"], result["action"]) == (0, "cluster-1", "started")
    assert [request.method for request in api.requests] == ["GET", "GET", "PUT"]


def test_job_name_alias_name_works(run, args, api):
    module_args = dict(args, name="running")
    module_args.pop("job_name")
    result, _code = run(module_args)
    assert (result["job_name"], result["action"]) == ("running", "already_running")


# What the next task reads

def test_a_started_run_is_a_wait_not_yet_finished_and_its_id_awaited(run, args, api):
    result, _code = run(args)
    assert _waiter.wait_state(result) == _waiter.PENDING
    api.simulator.finish_job("idle")
    assert _waiter.wait_state(dict(result, status="SUCCEEDED", submission_id=result["submission_id"]),
                              submission_id=result["submission_id"]) == _waiter.SUCCEEDED


# No secret in the output

def _token(args, api):
    return args


def _aksk(args, api):
    module_args = dict(args, access_key=ACCESS_KEY, secret_key=SECRET_KEY, security_token=SECURITY_TOKEN)
    module_args.pop("auth_token")
    return module_args


def _password(args, api):
    module_args = dict(args, user_name="alice", password=PASSWORD, domain_name="corp", iam_endpoint=api.url)
    module_args.pop("auth_token")
    return module_args


@pytest.mark.parametrize("auth_args", [_token, _aksk, _password], ids=["token", "aksk", "password"])
@pytest.mark.parametrize("job_name, state, fault", [
    ("idle", "started", None), ("running", "stopped", None), ("idle", "started", "drop"),
    ("idle", "started", "Cdm.0059"),
])
def test_no_secret_appears_in_the_output(run, args, api, auth_args, job_name, state, fault):
    if fault == "drop":
        api.faults({"kind": "drop", "route": "start"})
    elif fault:
        api.faults(cdm_error(fault, "Job[idle] is disabled.", route="start"))
    result, _code = run(dict(auth_args(args, api), job_name=job_name, state=state))
    assert ("failed" in result) == (fault is not None)
    assert not [secret for secret in SECRETS + tuple(api.issued_tokens) if secret in result["_stdout"]]
