# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime

import pytest

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _verdict

STARTED = 1_800_000_000.0   # when the wait began (epoch seconds)
SETTINGS = {"job_name": "jdbc2hive", "job_names": None, "cluster_id": None, "cluster_name": None, "timeout": 600,
            "delay": 5, "first_answer_timeout": 60, "submission_id": None, "success_when": None, "failure_when": None,
            "fail_on_failure": True}


def poll(status="RUNNING", began=STARTED + 5, ended=None, **extra):
    """A registered cdm_job_status result (with the task keys Ansible adds) for one run."""
    run = {"status": status, "submission_id": 7, "execute_date": int(began * 1000),
           "last_update_date": int((ended or began) * 1000)}
    result = {"job_name": "jdbc2hive", "status": status, "progress": 45.0, "submission_id": 7, "submission": run,
              "finished": status in ("SUCCEEDED", "FAILED"), "succeeded": status == "SUCCEEDED",
              "error_summary": "disk full" if status == "FAILED" else None, "counters": {},
              "failed": False, "failed_when_result": False, "attempts": 1, "invocation": {"module_args": {}}}
    result.update(extra)
    return result


def failure(retryable, msg="the CDM API answered HTTP 503", **extra):
    result = {"failed": False, "failed_when_result": False, "msg": msg, "retryable": retryable,
              "finished": False, "succeeded": False, "job_name": "jdbc2hive"}
    result.update(extra)
    return result


@pytest.fixture(autouse=True)
def new_worker():
    """Each test is a new wait in a fresh Ansible worker: no wait has had an answer yet."""
    _verdict._ANSWERED.clear()
    _verdict._FINAL.clear()


def verdict(result, settings=None, elapsed=10.0, **kwargs):
    return _verdict.verdict(result, dict(SETTINGS, **(settings or {})), STARTED, now=STARTED + elapsed, **kwargs)


# What ends a wait

def test_a_running_job_is_pending_and_answered():
    outcome = verdict(poll("RUNNING"))
    assert (outcome["state"], outcome["done"], outcome["answered"], outcome["fails"]) == ("pending", False, True, False)


def test_a_succeeded_job_ends_the_wait_without_failing():
    outcome = verdict(poll("SUCCEEDED", ended=STARTED + 8))
    assert (outcome["state"], outcome["done"], outcome["fails"]) == ("succeeded", True, False)
    assert outcome["result"]["message"] == "CDM job jdbc2hive (submission id 7) ended SUCCEEDED"


def test_a_failed_job_fails_with_its_error_summary_unless_told_not_to():
    outcome = verdict(poll("FAILED", ended=STARTED + 8))
    assert outcome["state"] == "failed" and outcome["fails"]
    assert outcome["result"]["message"] == "CDM job jdbc2hive (submission id 7) ended FAILED: disk full"
    assert not verdict(poll("FAILED", ended=STARTED + 8), {"fail_on_failure": False})["fails"]


@pytest.mark.parametrize("result", [
    failure(False, "the CDM API answered HTTP 400: [Cdm.0100] Job[x] doesn't exist."),
    {"failed": False, "msg": "Module result deserialization failed: No start of json char found"},
    # the same module that printed no JSON, as ansible-core 2.16 reports it
    {"failed": False, "msg": "MODULE FAILURE\nSee stdout/stderr for the exact error", "rc": 0,
     "module_stdout": "this is not python\n", "module_stderr": ""},
    {"failed": False, "msg": "missing required arguments: project_id"},
])
def test_a_failure_that_cannot_heal_ends_the_wait_at_the_first_poll(result):
    outcome = verdict(result, elapsed=1.0)
    assert (outcome["state"], outcome["done"], outcome["fails"]) == ("error", True, True)
    assert outcome["result"]["message"].startswith(
        "Waiting for CDM job jdbc2hive stopped at once, as waiting longer would not help: ")
    assert result["msg"] in outcome["result"]["message"]


@pytest.mark.parametrize("settings", [{"job_name": "jdbc2hive"}, {"job_name": None, "job_names": ["a", "b"]}])
def test_a_cluster_name_that_names_no_cluster_ends_the_wait_at_once_with_the_names(settings):
    # As cdm_job_status refuses it: before any job call, so about no job.
    refused = failure(False, "cluster_name 'nosuch' names no cluster of the project; it has: etl, reports")
    del refused["job_name"]
    outcome = verdict(refused, dict(settings, cluster_name="nosuch"), elapsed=1.0)
    assert (outcome["state"], outcome["done"], outcome["fails"]) == ("error", True, True)
    assert outcome["result"]["message"].endswith(
        "stopped at once, as waiting longer would not help: cluster_name 'nosuch' names no cluster of the project; "
        "it has: etl, reports")


def test_the_cluster_id_a_name_resolved_to_is_in_the_result():
    outcome = verdict(poll("SUCCEEDED", ended=STARTED + 8, cluster_id="c-1"), {"cluster_name": "etl"})
    assert outcome["result"]["cluster_id"] == "c-1"


def test_a_module_that_could_not_run_is_named_so():
    outcome = verdict({"failed": False, "msg": "Module result deserialization failed"})
    assert "the status call could not be made: Module result deserialization failed" in outcome["result"]["message"]
    assert outcome["result"]["failed"] is True


def test_a_transient_failure_before_any_answer_is_waited_out_only_for_the_grace():
    assert verdict(failure(True), elapsed=59.0)["state"] == "pending"
    outcome = verdict(failure(True, "could not reach host: [Errno 111] Connection refused"), elapsed=61.0)
    assert (outcome["state"], outcome["fails"]) == ("error", True)
    assert "after 1 min 1 s without a single answer from the CDM API, so the cause is the setup, not the job" in (
        outcome["result"]["message"])
    assert "Connection refused" in outcome["result"]["message"]


def test_a_transient_failure_after_an_answer_is_waited_out_until_the_timeout():
    verdict(poll("RUNNING"), elapsed=5.0)   # an earlier poll of the same wait was answered
    assert verdict(failure(True), elapsed=300.0)["state"] == "pending"
    outcome = verdict(failure(True), elapsed=600.0)
    assert outcome["state"] == "timeout"
    assert "last seen: jdbc2hive: the last poll failed: the CDM API answered HTTP 503" in outcome["result"]["message"]


def test_another_wait_s_answer_does_not_count():
    _verdict.verdict(poll("RUNNING"), SETTINGS, STARTED - 1000, now=STARTED)
    assert verdict(failure(True), elapsed=61.0)["state"] == "error"


def test_the_final_look_at_a_loop_that_ended_on_the_grace_is_the_setup_error():
    # The record task runs in another worker: it tells the grace's end from the deadline by the time.
    outcome = verdict(failure(True, "could not reach host: [Errno 111] Connection refused"), elapsed=62.0, final=True)
    assert (outcome["state"], outcome["fails"]) == ("error", True)
    assert "so the cause is the setup, not the job" in outcome["result"]["message"]
    assert verdict(failure(True), elapsed=601.0, final=True, polls=9)["state"] == "timeout"


def test_the_deadline_and_the_final_look_turn_pending_into_timeout():
    assert verdict(poll("RUNNING"), elapsed=600.0)["state"] == "timeout"
    outcome = verdict(poll("RUNNING"), elapsed=30.0, final=True, polls=4)
    assert (outcome["state"], outcome["fails"]) == ("timeout", True)
    assert outcome["result"]["message"] == (
        "CDM job jdbc2hive did not finish within 600 seconds (4 polls); last seen: jdbc2hive RUNNING at 45.0% "
        "(submission id 7)")


# A job that never ran

def test_a_job_that_never_ran_ends_the_wait_at_once_with_how_to_start_it():
    never = dict(poll("NEVER_EXECUTED"), submission=None, submission_id=None, progress=None)
    outcome = verdict(never)
    assert (outcome["state"], outcome["done"], outcome["fails"]) == ("never_run", True, True)
    assert outcome["result"]["message"].startswith("CDM job jdbc2hive has never run, so there is no run to wait for")
    assert "huaweicloud.cdm.start_and_wait" in outcome["result"]["message"]


def test_a_job_that_never_ran_is_waited_for_when_a_run_was_announced():
    never = dict(poll("NEVER_EXECUTED"), submission=None, submission_id=None, progress=None)
    assert verdict(never, {"submission_id": 8})["state"] == "pending"


def test_in_a_batch_the_jobs_that_never_ran_are_named():
    never = dict(poll("NEVER_EXECUTED"), job_name="mysql2obs", submission=None, submission_id=None)
    batch = {"jobs": [poll("RUNNING"), never], "finished": False, "succeeded": False, "failed": False}
    outcome = verdict(batch, {"job_name": None, "job_names": ["jdbc2hive", "mysql2obs"]})
    assert outcome["state"] == "never_run"
    assert outcome["result"]["message"].startswith("CDM job mysql2obs has never run")


# A run older than the wait

def test_a_run_that_ended_before_the_wait_says_when_and_how_long_ago():
    old = poll("SUCCEEDED", began=STARTED - 12 * 3600 - 60, ended=STARTED - 12 * 3600)
    outcome = verdict(old, elapsed=2.0)
    result = outcome["result"]
    assert outcome["state"] == "succeeded"
    assert result["ran_before_wait"] is True
    assert result["run_started_at"] == "2027-01-14T19:59:00Z"
    assert result["run_ended_at"] == "2027-01-14T20:00:00Z"
    assert result["run_ended_ago"] == 12 * 3600 + 2.0
    assert ("jdbc2hive's run (submission id 7) started 2027-01-14T19:59:00Z and ended 2027-01-14T20:00:00Z, "
            "12 h 0 min ago, before this wait began: it is not a new run") in result["message"]
    assert result["message"].endswith("to wait for a new run, start the job and give job_wait_submission_id")


def test_a_run_started_before_the_wait_and_ended_during_it_is_marked_but_not_called_old():
    outcome = verdict(poll("SUCCEEDED", began=STARTED - 30, ended=STARTED + 5))
    assert outcome["result"]["ran_before_wait"] is True
    assert "not a new run" not in outcome["result"]["message"]


def test_a_run_started_during_the_wait_is_not_marked():
    assert "ran_before_wait" not in verdict(poll("SUCCEEDED", began=STARTED + 1, ended=STARTED + 5))["result"]


# The result handed back

def test_the_result_drops_the_task_keys_and_adds_the_wait_facts():
    result = verdict(poll("RUNNING"), elapsed=12.34, polls=3)["result"]
    assert not set(result) & {"invocation", "attempts", "failed_when_result"}
    assert (result["state"], result["elapsed"], result["polls"], result["failed"]) == ("pending", 12.3, 3, False)


def test_success_when_on_a_running_job_says_it_matched():
    outcome = verdict(poll("RUNNING"), {"success_when": "progress > `40`"})
    assert outcome["state"] == "succeeded"
    assert outcome["result"]["message"] == "CDM job jdbc2hive (submission id 7) is RUNNING: job_wait_success_when matched"


def test_failure_when_is_named_as_the_reason():
    outcome = verdict(poll("RUNNING"), {"failure_when": "progress > `40`"})
    assert outcome["state"] == "failed"
    assert outcome["result"]["message"].endswith("job_wait_failure_when matched: progress > `40`")


@pytest.mark.parametrize("seconds, words", [(0, "0 s"), (45.4, "45 s"), (190, "3 min 10 s"), (43230, "12 h 0 min")])
def test_durations_read_at_a_glance(seconds, words):
    assert _verdict.duration(seconds) == words


def test_a_run_the_caller_named_is_not_called_old():
    outcome = verdict(poll("SUCCEEDED", began=STARTED - 5, ended=STARTED - 2), {"submission_id": 7})
    assert outcome["state"] == "succeeded"
    assert outcome["result"]["ran_before_wait"] is True
    assert "not a new run" not in outcome["result"]["message"]


def test_a_timeout_on_an_older_run_names_the_awaited_submission():
    outcome = verdict(poll("SUCCEEDED", ended=STARTED + 6), {"submission_id": 9}, final=True)
    assert outcome["state"] == "timeout"
    assert "jdbc2hive SUCCEEDED at 45.0% (submission id 7), older than the awaited submission id 9" in (
        outcome["result"]["message"])


def test_the_last_look_is_taken_once_per_wait():
    first = verdict(poll("SUCCEEDED", ended=STARTED + 5), elapsed=10.0, final=True, polls=2)
    again = verdict(poll("SUCCEEDED", ended=STARTED + 5), elapsed=10.4, final=True, polls=2)
    assert again is first
    other_wait = _verdict.verdict(poll("SUCCEEDED"), SETTINGS, STARTED + 100, polls=2, final=True, now=STARTED + 110)
    assert other_wait is not first


def test_a_batch_result_is_marked_on_copies_of_the_jobs():
    old = dict(poll("SUCCEEDED", began=STARTED - 600, ended=STARTED - 500))
    batch = {"jobs": [old], "finished": True, "succeeded": True, "failed": False}
    result = verdict(batch, {"job_name": None, "job_names": ["jdbc2hive"]}, final=True)["result"]
    assert result["jobs"][0]["ran_before_wait"] is True
    assert "ran_before_wait" not in old


# What the role watches for (issue 15): a stall, a deadline, a failed job in a batch, and the stop

BATCH = {"job_name": None, "job_names": ["jdbc2hive", "orders"]}


def batch(*jobs):
    return {"jobs": list(jobs), "finished": False, "succeeded": False, "failed": False}


def test_a_running_job_idle_for_the_stall_timeout_ends_the_wait_as_stalled():
    outcome = verdict(poll("RUNNING", idle_seconds=725), {"stall_timeout": 600}, elapsed=1200.0 - 600)
    assert (outcome["state"], outcome["done"], outcome["fails"]) == ("stalled", True, True)
    assert outcome["result"]["stalled_jobs"] == ["jdbc2hive"]
    assert outcome["result"]["message"] == (
        "CDM job jdbc2hive RUNNING at 45.0% (submission id 7) has stalled: no change for 12 min 5 s, longer than "
        "job_wait_stall_timeout (600 s), 10 min 0 s into the wait")


def test_a_job_idle_for_less_than_the_stall_timeout_is_still_pending():
    assert verdict(poll("RUNNING", idle_seconds=599), {"stall_timeout": 600})["state"] == "pending"


def test_without_a_stall_timeout_no_idle_time_is_a_stall():
    assert verdict(poll("RUNNING", idle_seconds=10 ** 6))["state"] == "pending"


@pytest.mark.parametrize("status", ["PENDING", "BOOTING", "UNKNOWN"])
def test_only_a_running_run_can_stall(status):
    assert verdict(poll(status, idle_seconds=10 ** 6), {"stall_timeout": 60})["state"] == "pending"


def test_a_finished_run_idle_for_long_is_its_outcome_not_a_stall():
    outcome = verdict(poll("SUCCEEDED", ended=STARTED - 5, idle_seconds=10 ** 6), {"stall_timeout": 60})
    assert outcome["state"] == "succeeded"


@pytest.mark.parametrize("idle", [None, "725", True], ids=["no-idle-seconds", "a-string", "a-boolean"])
def test_a_result_without_a_number_of_idle_seconds_never_stalls(idle):
    assert verdict(poll("RUNNING", idle_seconds=idle), {"stall_timeout": 60})["state"] == "pending"


def test_a_failed_poll_does_not_stall_the_wait():
    verdict(poll("RUNNING"))   # answered once: the transient failure is waited out
    assert verdict(failure(True, idle_seconds=10 ** 6), {"stall_timeout": 60})["state"] == "pending"


def test_a_stalled_run_older_than_the_awaited_one_is_not_a_stall():
    assert verdict(poll("RUNNING", idle_seconds=900), {"stall_timeout": 60, "submission_id": 8})["state"] == "pending"


def test_in_a_batch_the_stalled_job_is_named_and_the_others_are_shown():
    stuck = poll("RUNNING", idle_seconds=900)
    moving = dict(poll("RUNNING", idle_seconds=3), job_name="orders", submission_id=9, progress=30)
    outcome = verdict(batch(stuck, moving), dict(BATCH, stall_timeout=600))
    assert outcome["state"] == "stalled" and outcome["result"]["stalled_jobs"] == ["jdbc2hive"]
    assert outcome["result"]["message"].startswith("CDM job jdbc2hive RUNNING at 45.0% (submission id 7) has stalled")
    assert outcome["result"]["message"].endswith("; still running: orders RUNNING at 30% (submission id 9)")


def test_a_stall_is_kept_by_the_last_look():
    outcome = verdict(poll("RUNNING", idle_seconds=900), {"stall_timeout": 60}, final=True)
    assert outcome["state"] == "stalled" and outcome["fails"]


def test_fail_fast_ends_a_batch_at_the_first_failed_job_naming_those_not_waited_for():
    failed = dict(poll("FAILED", ended=STARTED + 8), job_name="orders", submission_id=9)
    outcome = verdict(batch(poll("RUNNING"), failed), dict(BATCH, fail_fast=True))
    assert (outcome["state"], outcome["done"], outcome["fails"], outcome["stop"]) == ("failed", True, True, [])
    assert outcome["result"]["message"] == (
        "CDM job orders (submission id 9) ended FAILED: disk full; not waited for (job_wait_fail_fast): "
        "jdbc2hive RUNNING at 45.0% (submission id 7)")
    assert not verdict(batch(poll("RUNNING"), failed), dict(BATCH, fail_fast=True, fail_on_failure=False))["fails"]


def test_without_fail_fast_a_batch_waits_for_the_others_after_a_failure():
    failed = dict(poll("FAILED", ended=STARTED + 8), job_name="orders")
    assert verdict(batch(poll("RUNNING"), failed), BATCH)["state"] == "pending"


def test_fail_fast_wins_over_a_stall_in_the_same_poll():
    failed = dict(poll("FAILED", ended=STARTED + 8), job_name="orders")
    outcome = verdict(batch(poll("RUNNING", idle_seconds=900), failed), dict(BATCH, fail_fast=True, stall_timeout=60))
    assert outcome["state"] == "failed"


def test_fail_fast_does_not_hide_an_error_in_the_batch():
    failed = dict(poll("FAILED", ended=STARTED + 8), job_name="orders")
    gone = failure(False, "the CDM API answered HTTP 400: [Cdm.0100] Job[x] doesn't exist.", job_name="x")
    assert verdict(batch(failed, gone), dict(BATCH, fail_fast=True))["state"] == "error"


DEADLINE = "2027-01-15T08:10:00Z"   # STARTED + 600 s is 2027-01-15T08:00:00Z


def test_a_deadline_before_the_timeout_ends_the_wait_and_is_named():
    settings = {"deadline": "2027-01-15T08:05:00+00:00", "timeout": 3600}
    assert verdict(poll("RUNNING"), settings, elapsed=299.0)["state"] == "pending"
    outcome = verdict(poll("RUNNING"), settings, elapsed=300.0, polls=3)
    assert (outcome["state"], outcome["fails"]) == ("timeout", True)
    assert outcome["result"]["message"] == (
        "CDM job jdbc2hive did not finish by its deadline 2027-01-15T08:05:00Z (job_wait_deadline) (3 polls); "
        "last seen: jdbc2hive RUNNING at 45.0% (submission id 7)")


def test_a_timeout_before_the_deadline_ends_the_wait_as_a_timeout():
    outcome = verdict(poll("RUNNING"), {"deadline": DEADLINE, "timeout": 600}, elapsed=600.0)
    assert outcome["state"] == "timeout"
    assert outcome["result"]["message"].startswith("CDM job jdbc2hive did not finish within 600 seconds (1 poll)")


def test_a_deadline_with_an_offset_is_the_same_moment_in_utc():
    outcome = verdict(poll("RUNNING"), {"deadline": "2027-01-15T09:05:00+01:00", "timeout": 3600}, elapsed=300.0)
    assert "by its deadline 2027-01-15T08:05:00Z" in outcome["result"]["message"]


def test_a_deadline_already_past_allows_one_poll_then_says_so():
    settings = {"deadline": "2027-01-14T20:00:00Z"}
    assert verdict(poll("SUCCEEDED", ended=STARTED + 1), settings, elapsed=1.0)["state"] == "succeeded"
    outcome = verdict(poll("RUNNING"), settings, elapsed=1.0)
    assert outcome["state"] == "timeout"
    assert ("did not finish by its deadline 2027-01-14T20:00:00Z (job_wait_deadline), which had passed when the "
            "wait began (1 poll)") in outcome["result"]["message"]


def test_a_deadline_as_yaml_reads_it_an_aware_datetime_is_taken():
    moment = datetime.datetime(2027, 1, 15, 8, 5, tzinfo=datetime.timezone.utc)
    assert verdict(poll("RUNNING"), {"deadline": moment, "timeout": 3600}, elapsed=300.0)["state"] == "timeout"


def test_stop_on_timeout_names_the_jobs_not_known_to_have_ended():
    done = dict(poll("SUCCEEDED", ended=STARTED + 8), job_name="orders")
    lost = failure(True, job_name="logs")
    settings = {"job_name": None, "job_names": ["jdbc2hive", "orders", "logs"], "stop_on_timeout": True}
    assert verdict(batch(poll("RUNNING"), done, lost), settings, final=True)["stop"] == ["jdbc2hive", "logs"]


def test_a_stall_with_stop_on_timeout_names_every_job_still_running():
    moving = dict(poll("RUNNING", idle_seconds=3), job_name="orders")
    outcome = verdict(batch(poll("RUNNING", idle_seconds=900), moving), dict(BATCH, stall_timeout=60,
                                                                             stop_on_timeout=True))
    assert outcome["stop"] == ["jdbc2hive", "orders"]


@pytest.mark.parametrize("outcome_of", [
    lambda: verdict(poll("RUNNING"), {"stop_on_timeout": False}, final=True),
    lambda: verdict(poll("RUNNING"), {"stop_on_timeout": True}, elapsed=10.0),
    lambda: verdict(poll("SUCCEEDED", ended=STARTED + 8), {"stop_on_timeout": True}, final=True),
    lambda: verdict(batch(poll("RUNNING"), dict(poll("FAILED"), job_name="orders")),
                    dict(BATCH, fail_fast=True, stop_on_timeout=True)),
], ids=["not-asked", "still-waiting", "succeeded", "failed-fast"])
def test_nothing_is_stopped_unless_a_timeout_or_stall_ends_the_wait_and_stop_on_timeout_asks(outcome_of):
    assert outcome_of()["stop"] == []


def stop(name, action=None, msg=None, submission_id=7):
    if action is None:
        return {"item": name, "failed": False, "msg": msg, "retryable": True, "job_name": name}
    return {"item": name, "failed": False, "changed": action == "stopped", "action": action, "job_name": name,
            "submission_id": submission_id, "status": "RUNNING"}


def test_the_message_says_which_jobs_were_stopped_and_which_stop_failed():
    settings = {"job_name": None, "job_names": ["jdbc2hive", "orders", "logs"], "stop_on_timeout": True}
    stops = [stop("jdbc2hive", "stopped"), stop("orders", "not_running"),
             stop("logs", msg="could not stop job logs: the CDM API answered HTTP 503")]
    result = verdict(batch(poll("RUNNING")), settings, final=True, stops=stops)["result"]
    assert (result["stopped_jobs"], result["stop_failed_jobs"]) == (["jdbc2hive"], ["logs"])
    assert result["message"].endswith(
        "; stopped jdbc2hive (submission id 7); orders had ended before the stop; the stop of logs failed: could not "
        "stop job logs: the CDM API answered HTTP 503 (job_wait_stop_on_timeout)")


def test_both_facts_of_the_last_look_say_the_same_stops():
    stops = [stop("jdbc2hive", "stopped")]
    first = verdict(poll("RUNNING"), {"stop_on_timeout": True}, final=True, stops=stops)
    again = verdict(poll("RUNNING"), {"stop_on_timeout": True}, final=True, stops=stops, elapsed=12.0)
    assert first == again and first["result"]["stopped_jobs"] == ["jdbc2hive"]


def test_a_stop_in_check_mode_is_worded_as_not_made():
    result = verdict(poll("RUNNING"), {"stop_on_timeout": True, "check_mode": True}, final=True,
                     stops=[stop("jdbc2hive", "stopped")])["result"]
    assert "would have stopped (check mode) jdbc2hive" in result["message"]


def test_without_stops_the_result_has_no_stop_keys():
    result = verdict(poll("RUNNING"), {"stop_on_timeout": True}, final=True, stops=[])["result"]
    assert "stopped_jobs" not in result and "stop_failed_jobs" not in result


def test_a_batch_whose_last_poll_failed_as_a_whole_stops_every_job():
    verdict(batch(poll("RUNNING")), BATCH)   # answered once, then the transient failure until the timeout
    outcome = verdict(failure(True, job_name=None), dict(BATCH, stop_on_timeout=True), final=True, elapsed=600.0)
    assert (outcome["state"], outcome["stop"]) == ("timeout", ["jdbc2hive", "orders"])
