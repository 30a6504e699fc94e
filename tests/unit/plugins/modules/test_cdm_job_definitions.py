# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""cdm_job state=present / state=absent: a job's definition as code, against the simulator."""

from __future__ import annotations

import copy
import json

import pytest

pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from ansible_collections.huaweicloud.cdm.plugins.modules import cdm_job  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.modules import cdm_job_info  # noqa: E402
from ansible_collections.huaweicloud.cdm.tests.simulator.cdm_sim.samples import JOB_DEFINITION as DEFINITION  # noqa: E402

TOKEN = "TOKEN-SECRET-a1b2c3d4"
ACCESS_KEY = "AKEXAMPLE0123456789"
SECRET_KEY = "SK-SECRET-e5f6a7b8c9"
JOB_PATH = "/v1.1/project-1/clusters/cluster-1/cdm/job"


@pytest.fixture(scope="module")
def sim_scenario():
    """``legacy`` exists and is idle; ``busy`` and ``slow_stop`` have a run in progress, which a stop ends at once
    or only after a simulated day."""
    return {
        "tokens": [TOKEN],
        "access_keys": [{"access_key": ACCESS_KEY, "secret_key": SECRET_KEY}],
        "clusters": [{"id": "cluster-1", "name": "cdm-one", "jobs": [
            {"name": "legacy", "from_inputs": {"tableName": "legacy", "whereClause": "a = 'b c' AND d > 1%"}},
            {"name": "busy", "duration": 36000, "boot": 0, "autostart": True},
            {"name": "slow_stop", "duration": 360000, "boot": 0, "autostart": True, "stop_delay": 86400},
        ]}],
    }


@pytest.fixture
def args(api):
    return {"project_id": "project-1", "cluster_id": "cluster-1", "job_name": "orders", "state": "present",
            "definition": copy.deepcopy(DEFINITION), "endpoint": api.url, "auth_token": TOKEN, "timeout": 5}


@pytest.fixture
def run(run_module):
    def run_job(module_args, check_mode=False, diff=False):
        if diff:
            module_args = dict(module_args, _ansible_diff=True)
        return run_module(cdm_job.main, module_args, check_mode=check_mode)
    return run_job


def sent(api):
    """(method, what) of every request: ``what`` is the path after .../cdm/job, such as ``/orders``."""
    return [(request.method, request.path.split(JOB_PATH, 1)[-1]) for request in api.requests]


def writes(api):
    return [(method, what) for method, what in sent(api) if method != "GET"]


def held(api, name):
    """The job as the simulator shows it to a read (values URL-encoded), or None."""
    job = api.simulator.state.jobs["cluster-1"].get(name)
    return job.summary(api.simulator.state.clock()) if job else None


def exported(run_module, args, name):
    result, code = run_module(cdm_job_info.main, dict((key, args[key]) for key in (
        "project_id", "cluster_id", "endpoint", "auth_token")) | {"job_name": name})
    assert code == 0, result
    return result["jobs"][0]["definition"]


def cdm_error(code, message, **where):
    return dict(where, kind="custom", status=400, body={"errCode": code, "externalMessage": message})


# state: present

def test_a_missing_job_is_created_from_the_definition(run, args, api):
    result, code = run(args)
    assert code == 0, result
    assert (result["changed"], result["action"]) == (True, "created")
    assert sent(api) == [("GET", "/orders"), ("POST", "")]
    assert json.loads(api.requests[1].body) == {"jobs": [dict(DEFINITION, name="orders")]}
    assert result["request_id"] == api.requests[1].request_id
    assert result["definition"] == dict(DEFINITION, name="orders")
    assert held(api, "orders")["from-config-values"]["configs"][0]["inputs"][0]["value"] == "orders"


def test_the_same_definition_again_changes_nothing_and_writes_nothing(run, args, api):
    run(args)
    result, code = run(args)
    assert (code, result["changed"], result["action"]) == (0, False, "unchanged")
    assert writes(api) == [("POST", "")]


def test_a_definition_differing_in_one_value_is_changed(run, args, api):
    run(args)
    wanted = copy.deepcopy(DEFINITION)
    wanted["driver-config-values"]["configs"][0]["inputs"][0]["value"] = "4"
    result, code = run(dict(args, definition=wanted))
    assert (code, result["changed"], result["action"]) == (0, True, "changed")
    assert writes(api)[-1] == ("PUT", "/orders")
    assert json.loads(api.requests[-1].body) == {"jobs": [dict(wanted, name="orders")]}
    assert held(api, "orders")["driver-config-values"]["configs"][0]["inputs"][0]["value"] == "4"


def test_the_order_of_groups_and_inputs_and_server_keys_in_them_do_not_count(run, args, api):
    run(args)
    wanted = copy.deepcopy(DEFINITION)
    wanted["from-config-values"]["configs"][0]["inputs"].reverse()
    wanted["driver-config-values"]["configs"][0]["inputs"][0]["value"] = 2
    result, _code = run(dict(args, definition=wanted))
    assert (result["changed"], result["action"]) == (False, "unchanged")
    stated = copy.deepcopy(wanted)
    stated["to-config-values"]["configs"][0]["id"] = 7
    result, _code = run(dict(args, definition=stated))
    assert (result["changed"], result["action"]) == (True, "changed")


@pytest.mark.parametrize("edit", ["add_input", "remove_input", "add_group"])
def test_an_input_or_group_added_or_removed_is_a_change(run, args, api, edit):
    run(args)
    wanted = copy.deepcopy(DEFINITION)
    configs = wanted["from-config-values"]["configs"]
    if edit == "add_input":
        configs[0]["inputs"].append({"name": "fromJobConfig.columnList", "value": "id&name"})
    elif edit == "remove_input":
        configs[0]["inputs"].pop()
    else:
        configs.append({"name": "incrementConfig", "inputs": []})
    result, _code = run(dict(args, definition=wanted))
    assert (result["changed"], writes(api)[-1]) == (True, ("PUT", "/orders"))


def test_an_exported_definition_reapplied_changes_nothing(run, run_module, args, api):
    definition = exported(run_module, args, "legacy")
    assert "creation-user" not in definition and "a = 'b c' AND d > 1%" in json.dumps(definition)
    result, code = run(dict(args, job_name="legacy", definition=definition))
    assert (code, result["changed"], result["action"]) == (0, False, "unchanged")
    assert writes(api) == []


def test_a_created_job_exported_and_reapplied_changes_nothing(run, run_module, args, api):
    run(args)
    result, _code = run(dict(args, definition=exported(run_module, args, "orders")))
    assert (result["changed"], writes(api)) == (False, [("POST", "")])


def test_the_diff_shows_the_definitions_without_server_fields(run, args, api):
    result, _code = run(args, diff=True)
    assert result["diff"] == {"before": {}, "after": dict(DEFINITION, name="orders")}
    wanted = copy.deepcopy(DEFINITION)
    wanted["to-link-name"] = "generic_jdbc_link"
    result, _code = run(dict(args, definition=wanted), diff=True)
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert "creation-user" not in before and "status" not in before
    assert [key for key in after if before.get(key) != after[key]] == ["to-link-name"]


def test_no_diff_unless_asked(run, args, api):
    result, _code = run(args)
    assert "diff" not in result


@pytest.mark.parametrize("prepare, state, action", [
    (False, "present", "created"), (True, "present", "changed"), (True, "absent", "deleted"),
])
def test_check_mode_reports_the_change_and_sends_nothing(run, args, api, prepare, state, action):
    if prepare:
        run(args)
    before = len(api.requests)
    wanted = copy.deepcopy(DEFINITION)
    wanted["to-link-name"] = "generic_jdbc_link"
    result, code = run(dict(args, state=state, definition=wanted if state == "present" else None), check_mode=True,
                       diff=True)
    assert (code, result["changed"], result["action"]) == (0, True, action)
    assert [method for method, _what in sent(api)[before:]] == ["GET"]
    assert (held(api, "orders") is None) == (not prepare)
    assert result["diff"]["after"] == ({} if state == "absent" else dict(wanted, name="orders"))


def test_integer_and_boolean_values_are_sent_as_text(run, args, api):
    wanted = copy.deepcopy(DEFINITION)
    wanted["driver-config-values"]["configs"][0]["inputs"] = [
        {"name": "throttlingConfig.numExtractors", "value": 3}, {"name": "throttlingConfig.dirty", "value": True}]
    run(dict(args, definition=wanted))
    inputs = json.loads(api.requests[1].body)["jobs"][0]["driver-config-values"]["configs"][0]["inputs"]
    assert [item["value"] for item in inputs] == ["3", "true"]


# state: absent

def test_a_job_is_deleted(run, args, api):
    run(args)
    result, code = run(dict(args, state="absent", definition=None), diff=True)
    assert (code, result["changed"], result["action"]) == (0, True, "deleted")
    assert writes(api)[-1] == ("DELETE", "/orders") and held(api, "orders") is None
    assert result["diff"] == {"before": dict(DEFINITION, name="orders"), "after": {}}


def test_a_missing_job_is_already_absent(run, args, api):
    result, code = run(dict(args, state="absent", definition=None))
    assert (code, result["changed"], result["action"]) == (0, False, "already_absent")
    assert sent(api) == [("GET", "/orders")]


def test_a_delete_answered_with_an_empty_body_succeeded(run, args, api):
    run(args)
    api.faults({"kind": "empty", "route": "job_delete"})
    result, code = run(dict(args, state="absent", definition=None))
    assert (code, result["action"]) == (0, "deleted")


# A job with an active run

@pytest.mark.parametrize("state", ["present", "absent"])
def test_a_job_with_an_active_run_is_refused_and_not_written(run, args, api, state):
    result, code = run(dict(args, job_name="busy", state=state, definition=DEFINITION if state == "present" else None))
    assert code == 1 and result["error_code"] == "Cdm.0052"
    assert "active run" in result["msg"] and "stop_running" in result["msg"]
    assert writes(api) == []


@pytest.mark.parametrize("state", ["present", "absent"])
def test_stop_running_stops_the_run_waits_and_then_writes(run, args, api, state):
    result, code = run(dict(args, job_name="busy", state=state, stop_running=True,
                            definition=DEFINITION if state == "present" else None))
    assert code == 0, result
    assert writes(api) == [("PUT", "/busy/stop"), ("PUT" if state == "present" else "DELETE", "/busy")]
    assert result["stopped_run"]["status"] == "FAILED" and result["stopped_run"]["submission_id"] is not None
    assert result["action"] == ("changed" if state == "present" else "deleted")
    assert not [name for name in api.simulator.state.job_overview() if name["name"] == "busy"
                and name["submissions"] > 1]


def test_stop_running_in_check_mode_stops_nothing(run, args, api):
    result, code = run(dict(args, job_name="busy", stop_running=True), check_mode=True)
    assert (code, result["changed"], writes(api)) == (0, True, [])


def test_a_run_that_does_not_end_in_time_fails_and_the_job_is_not_written(run, args, api):
    result, code = run(dict(args, job_name="slow_stop", stop_running=True, stop_timeout=1))
    assert code == 1 and result["retryable"] is True
    assert "stop_timeout" in result["msg"] and result["stopped_run"]["status"] in ("BOOTING", "RUNNING")
    assert writes(api) == [("PUT", "/slow_stop/stop")]


def test_a_job_started_between_the_read_and_the_write_is_refused(run, args, api):
    run(args)
    api.faults(cdm_error("Cdm.0052", "Job[orders] is running.", route="job_change"))
    wanted = dict(DEFINITION, **{"to-link-name": "generic_jdbc_link"})
    result, code = run(dict(args, definition=wanted))
    assert code == 1 and result["error_code"] == "Cdm.0052" and "started meanwhile" in result["msg"]


# The API's refusals and answers

@pytest.mark.parametrize("key, value, code", [
    ("from-link-name", "nope_link", "Cdm.0101"), ("to-connector-name", "nope-connector", "Cdm.0102"),
])
def test_unknown_links_and_connectors_fail_with_the_code_and_request_id(run, args, api, key, value, code):
    result, exit_code = run(dict(args, definition=dict(DEFINITION, **{key: value})))
    assert exit_code == 1 and result["error_code"] == code
    assert result["request_id"] == api.requests[-1].request_id and result["request_id"] in result["msg"]
    assert "does not exist" in result["msg"]


def test_a_name_taken_meanwhile_is_a_clear_conflict(run, args, api):
    api.faults(cdm_error("Cdm.0104", "Job name[orders] already exists.", route="job_create"))
    result, code = run(args)
    assert code == 1 and result["error_code"] == "Cdm.0104" and "exists already" in result["msg"]


def test_validation_warnings_become_warnings(run, args, api, warnings_of):
    api.faults({"kind": "custom", "status": 200, "route": "job_create",
                "body": {"name": "orders", "validation-result": [{"status": "WARNING", "message": "no partition"}]}})
    result, code = run(args)
    assert code == 0 and any("no partition" in warning for warning in warnings_of(result))


def test_validation_errors_fail_with_their_messages(run, args, api):
    api.faults({"kind": "custom", "status": 200, "route": "job_create",
                "body": {"validation-result": [{"status": "ERROR", "message": "tableName is required"}]}})
    result, code = run(args)
    assert code == 1 and "tableName is required" in result["msg"] and result["http_status"] == 200


def test_a_lost_answer_to_a_create_that_was_carried_out_is_learned_from_a_read(run, args, api, warnings_of):
    api.faults({"kind": "lost_answer", "route": "job_create"})
    result, code = run(dict(args, retries=0))
    assert (code, result["action"]) == (0, "created")
    assert [method for method, _what in writes(api)] == ["POST"]
    assert any("got no answer" in warning for warning in warnings_of(result))


def test_a_lost_answer_to_a_create_that_was_not_carried_out_fails_as_retryable(run, args, api):
    api.faults({"kind": "http_500", "route": "job_create"})
    result, code = run(dict(args, retries=0))
    assert code == 1 and result["retryable"] is True and held(api, "orders") is None


# Bad input: nothing is sent

@pytest.mark.parametrize("change, message", [
    ({"definition": dict(DEFINITION, name="other")}, "is not job_name"),
    ({"definition": None}, "definition"),
    ({"definition": dict(DEFINITION, schedule="daily")}, "unknown key(s) schedule"),
    ({"definition": dict(DEFINITION, **{"from-config-values": {"configs": [{"inputs": []}]}})}, "needs a name"),
    ({"state": "started"}, "definition goes with state=present only"),
    ({"state": "absent"}, "definition goes with state=present only"),
    ({"stop_timeout": -1}, "stop_timeout"),
])
def test_bad_definitions_fail_naming_the_problem_and_send_nothing(run, args, api, change, message):
    result, code = run(dict(args, **change))
    assert code == 1 and message in result["msg"]
    assert api.requests == []


@pytest.mark.parametrize("state, job", [("present", "orders"), ("absent", "legacy"), ("present", "busy")])
def test_no_secret_appears_in_the_output(run, args, api, state, job):
    module_args = dict(args, state=state, job_name=job, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                       definition=DEFINITION if state == "present" else None)
    module_args.pop("auth_token")
    result, _code = run(module_args, diff=True)
    assert TOKEN not in result["_stdout"] and SECRET_KEY not in result["_stdout"]
