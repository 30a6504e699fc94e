# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import sys

import pytest
from hypothesis import given, strategies as st

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _waiter
from ansible_collections.huaweicloud.cdm.plugins.module_utils._waiter import ERROR, FAILED, NEVER_RUN, PENDING, SUCCEEDED

pytest.importorskip("jmespath")


def poll(status="RUNNING", submission_id=7, **extra):
    """A cdm_job_status result, as registered."""
    result = {"job_name": "jdbc2hive", "status": status, "submission_id": submission_id, "progress": 50.0,
              "counters": {}, "finished": status in ("SUCCEEDED", "FAILED", "FAILURE_ON_SUBMIT")}
    result.update(extra)
    return result


def call_failed(retryable, **extra):
    result = {"failed": True, "msg": "the CDM API answered HTTP ...", "retryable": retryable, "finished": False,
              "succeeded": False}
    result.update(extra)
    return result


def batch(*jobs, **extra):
    result = {"jobs": list(jobs), "finished": all(job.get("finished") for job in jobs)}
    result.update(extra)
    return result


# The job's status

@pytest.mark.parametrize("status, state", [
    ("SUCCEEDED", SUCCEEDED),
    ("FAILED", FAILED),
    ("FAILURE_ON_SUBMIT", FAILED),
    ("BOOTING", PENDING),
    ("RUNNING", PENDING),
    ("UNKNOWN", PENDING),
    ("NEVER_EXECUTED", NEVER_RUN),  # no run and none announced: nothing to wait for
    ("PENDING_NEW", PENDING),  # a status the API may add later
])
def test_status_alone_decides_without_conditions(status, state):
    assert _waiter.wait_state(poll(status)) == state


def test_a_result_that_is_not_a_dict_is_pending():
    assert _waiter.wait_state(None) == PENDING
    assert _waiter.wait_state(["SUCCEEDED"]) == PENDING


# Failed status calls

def test_a_transient_failure_is_pending():
    assert _waiter.wait_state(call_failed(retryable=True, http_status=503)) == PENDING


def test_a_permanent_failure_is_an_error():
    assert _waiter.wait_state(call_failed(retryable=False, http_status=400, error_code="Cdm.0100")) == ERROR


def test_a_failure_without_retryable_is_an_error():
    assert _waiter.wait_state({"failed": True, "msg": "boom"}) == ERROR


def test_a_failed_call_wins_over_conditions():
    result = call_failed(retryable=True)
    assert _waiter.wait_state(result, success_when="`true`", failure_when="`true`") == PENDING


# Stale submissions

def test_an_older_submission_is_pending_even_when_it_succeeded():
    assert _waiter.wait_state(poll("SUCCEEDED", submission_id=6), submission_id=7) == PENDING


def test_an_older_failed_submission_is_pending_too():
    assert _waiter.wait_state(poll("FAILED", submission_id=6), submission_id=7) == PENDING


def test_the_awaited_submission_decides():
    assert _waiter.wait_state(poll("SUCCEEDED", submission_id=7), submission_id=7) == SUCCEEDED


def test_a_newer_submission_decides():
    assert _waiter.wait_state(poll("FAILED", submission_id=9), submission_id=7) == FAILED


def test_a_result_without_submission_id_is_pending_when_one_is_awaited():
    assert _waiter.wait_state(poll("SUCCEEDED", submission_id=None), submission_id=7) == PENDING


def test_submission_ids_as_strings_compare_as_numbers():
    # -e job_wait_submission_id=10 arrives as a string; "9" < "10" as text but not as a number
    assert _waiter.wait_state(poll("SUCCEEDED", submission_id=9), submission_id="10") == PENDING
    assert _waiter.wait_state(poll("SUCCEEDED", submission_id="10"), submission_id="10") == SUCCEEDED


def test_an_unreadable_awaited_submission_id_filters_nothing():
    assert _waiter.wait_state(poll("SUCCEEDED", submission_id=1), submission_id="latest") == SUCCEEDED


def test_a_stale_result_is_pending_even_when_a_condition_matches():
    assert _waiter.wait_state(poll("SUCCEEDED", submission_id=6), submission_id=7, success_when="`true`") == PENDING


# success_when / failure_when

def test_success_when_ends_the_wait_while_the_job_runs():
    assert _waiter.wait_state(poll("RUNNING", progress=60.0), success_when="progress > `50`") == SUCCEEDED


def test_success_when_that_does_not_match_leaves_the_status_to_decide():
    assert _waiter.wait_state(poll("RUNNING", progress=10.0), success_when="progress > `50`") == PENDING
    assert _waiter.wait_state(poll("FAILED"), success_when="progress > `50`") == FAILED


def test_failure_when_fails_a_job_that_succeeded():
    result = poll("SUCCEEDED", counters={"rows_written": 10})
    assert _waiter.wait_state(result, failure_when="counters.rows_written < `1000`") == FAILED


def test_failure_when_is_checked_before_success_when():
    assert _waiter.wait_state(poll("RUNNING"), success_when="`true`", failure_when="`true`") == FAILED


def test_success_when_is_checked_when_failure_when_does_not_match():
    assert _waiter.wait_state(poll("RUNNING"), success_when="`true`", failure_when="`false`") == SUCCEEDED


def test_empty_expressions_are_ignored():
    assert _waiter.wait_state(poll("RUNNING"), success_when="", failure_when="") == PENDING


def test_an_expression_that_reads_a_missing_key_does_not_match():
    assert _waiter.wait_state(poll("RUNNING"), success_when="counters.rows_written > `5`") == PENDING


@pytest.mark.parametrize("option", ["success_when", "failure_when"])
def test_an_invalid_expression_is_a_query_error(option):
    with pytest.raises(_waiter.QueryError, match=r"'counters\.\[' is not a valid JMESPath expression"):
        _waiter.wait_state(poll("RUNNING"), **{option: "counters.["})


def test_a_type_error_on_one_result_is_a_query_error_naming_the_expression():
    with pytest.raises(_waiter.QueryError, match=r"'abs\(status\)' is not a valid JMESPath expression"):
        _waiter.wait_state(poll("RUNNING"), success_when="abs(status)")


def test_compile_condition_gives_an_expression_to_search_with():
    assert _waiter.compile_condition("progress > `40`").search(poll("RUNNING")) is True


def test_compile_condition_reads_no_result_so_type_errors_wait_for_one():
    # Whether a function gets the right type depends on the result it reads.
    assert _waiter.compile_condition("abs(status)").search({"status": -3}) == 3


def test_compile_condition_names_an_expression_that_does_not_compile():
    with pytest.raises(_waiter.QueryError, match=r"^'status ==' is not a valid JMESPath expression: "):
        _waiter.compile_condition("status ==")


def test_without_jmespath_compile_condition_says_what_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "jmespath", None)
    with pytest.raises(_waiter.QueryError, match="need the jmespath Python library on the controller"):
        _waiter.compile_condition("`true`")


def test_without_jmespath_an_expression_is_a_query_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "jmespath", None)
    with pytest.raises(_waiter.QueryError, match="jmespath"):
        _waiter.wait_state(poll("RUNNING"), success_when="`true`")


def test_without_jmespath_no_expression_is_fine(monkeypatch):
    monkeypatch.setitem(sys.modules, "jmespath", None)
    assert _waiter.wait_state(poll("SUCCEEDED")) == SUCCEEDED


# Batch results (job_names)

def test_a_batch_succeeds_when_every_job_succeeded():
    assert _waiter.wait_state(batch(poll("SUCCEEDED"), poll("SUCCEEDED"))) == SUCCEEDED


def test_a_batch_is_pending_while_any_job_runs():
    assert _waiter.wait_state(batch(poll("FAILED"), poll("RUNNING"), poll("SUCCEEDED"))) == PENDING


def test_a_batch_fails_when_all_ended_and_one_failed():
    assert _waiter.wait_state(batch(poll("SUCCEEDED"), poll("FAILURE_ON_SUBMIT"))) == FAILED


def test_a_batch_errs_at_once_when_one_job_errs_even_while_others_run():
    jobs = batch(poll("RUNNING"), call_failed(retryable=False, job_name="gone"))
    assert _waiter.wait_state(jobs) == ERROR


def test_a_transient_failure_of_one_job_keeps_the_batch_pending():
    assert _waiter.wait_state(batch(poll("SUCCEEDED"), call_failed(retryable=True))) == PENDING


def test_an_empty_batch_is_pending():
    assert _waiter.wait_state(batch()) == PENDING


def test_a_failed_batch_call_is_judged_as_one_result():
    assert _waiter.wait_state(batch(poll("SUCCEEDED"), failed=True, retryable=True)) == PENDING
    assert _waiter.wait_state(batch(poll("SUCCEEDED"), failed=True, retryable=False)) == ERROR


def test_a_batch_takes_a_submission_id_per_job():
    jobs = batch(poll("SUCCEEDED", submission_id=5, job_name="a"), poll("SUCCEEDED", submission_id=8, job_name="b"))
    assert _waiter.wait_state(jobs, submission_id={"a": 5, "b": 8}) == SUCCEEDED
    assert _waiter.wait_state(jobs, submission_id={"a": 5, "b": 9}) == PENDING


def test_a_job_missing_from_the_submission_id_dict_is_not_filtered():
    jobs = batch(poll("SUCCEEDED", submission_id=5, job_name="a"), poll("SUCCEEDED", submission_id=1, job_name="b"))
    assert _waiter.wait_state(jobs, submission_id={"a": 5}) == SUCCEEDED


@pytest.mark.parametrize("job, submission_id, wanted", [
    ({"job_name": "a"}, 7, 7),
    ({"job_name": "a"}, None, None),
    ({"job_name": "a"}, {"a": 5, "b": 8}, 5),
    ({"job_name": "c"}, {"a": 5}, None),
    ({}, {"a": 5}, None),
    ({"job_name": ["a"]}, {"a": 5}, None),
    ("not a result", {"a": 5}, None),
    ("not a result", 7, 7),
])
def test_submission_for_a_job_is_the_one_id_or_the_job_s_entry(job, submission_id, wanted):
    assert _waiter.submission_for(job, submission_id) == wanted


def test_one_submission_id_applies_to_every_job_of_a_batch():
    jobs = batch(poll("SUCCEEDED", submission_id=5, job_name="a"), poll("SUCCEEDED", submission_id=4, job_name="b"))
    assert _waiter.wait_state(jobs, submission_id=5) == PENDING


def test_conditions_apply_to_each_job_of_a_batch():
    jobs = batch(poll("RUNNING", progress=80.0), poll("RUNNING", progress=20.0))
    assert _waiter.wait_state(jobs, success_when="progress > `50`") == PENDING
    assert _waiter.wait_state(jobs, success_when="progress > `10`") == SUCCEEDED


# is_done and robustness

@pytest.mark.parametrize("result, done", [
    (poll("SUCCEEDED"), True),
    (poll("FAILED"), True),
    (call_failed(retryable=False), True),
    (call_failed(retryable=True), False),
    (poll("RUNNING"), False),
])
def test_is_done_for_every_final_state(result, done):
    assert _waiter.is_done(result) is done


def test_is_done_passes_its_options_on():
    assert _waiter.is_done(poll("RUNNING"), success_when="`true`")
    assert not _waiter.is_done(poll("SUCCEEDED", submission_id=1), submission_id=2)


scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12)
json_values = st.recursive(
    scalars, lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
result_like = st.fixed_dictionaries({}, optional={
    "status": scalars, "submission_id": json_values, "failed": json_values, "retryable": json_values,
    "job_name": scalars, "progress": json_values, "finished": json_values})
batch_like = st.fixed_dictionaries({"jobs": st.lists(result_like, max_size=3)})


@given(result=json_values | result_like | batch_like,
       submission_id=json_values | st.dictionaries(st.text(max_size=8), json_values, max_size=3))
def test_any_json_value_gives_one_of_the_four_states(result, submission_id):
    assert _waiter.wait_state(result, submission_id=submission_id) in (SUCCEEDED, FAILED, ERROR, PENDING)


# Inputs the module never returns, but a filter may be given anything. Each
# raises today (see the reasons); remove the marks with the fix.
@pytest.mark.parametrize("result, submission_id", [
    ({"status": ["SUCCEEDED"]}, None),
    ({"status": {"name": "SUCCEEDED"}}, None),
    ({"jobs": [1]}, {"a": 1}),
    ({"jobs": [{"job_name": ["a"]}]}, {"a": 1}),
])
def test_a_value_of_the_wrong_json_type_is_pending(result, submission_id):
    assert _waiter.wait_state(result, submission_id=submission_id) == PENDING
