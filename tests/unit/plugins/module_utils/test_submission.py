# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission

RESULT_KEYS = frozenset((
    "job_name", "status", "progress", "finished", "succeeded", "counters", "error_summary",
    "error_details", "submission_id", "submission", "submissions",
))


def only_submission(body, job_name=None):
    result = _submission.summarise(body, job_name=job_name)
    assert len(result["submissions"]) == 1
    return result["submission"]


# The seed's own example

def test_seed_example_string_creation_date_becomes_an_int(fixture_loader):
    submission = only_submission(fixture_loader("status_seed_example.json"))
    assert submission["creation_date"] == 1536905778725


def test_seed_example_int_progress_becomes_a_float(fixture_loader):
    result = _submission.summarise(fixture_loader("status_seed_example.json"))
    assert result["progress"] == 1.0
    assert isinstance(result["progress"], float)


def test_seed_example_is_booting_and_not_finished(fixture_loader):
    result = _submission.summarise(fixture_loader("status_seed_example.json"))
    assert result["status"] == "BOOTING"
    assert result["finished"] is False
    assert result["succeeded"] is False
    assert result["job_name"] == "jdbc2hive"
    assert result["submission"]["creation_user"] == "cdm"


def test_seed_example_has_empty_counters_and_no_submission_id(fixture_loader):
    result = _submission.summarise(fixture_loader("status_seed_example.json"))
    assert result["counters"] == {}
    assert result["submission_id"] is None


# Field repairs

def test_last_update_user_in_the_seed_spelling_is_read(fixture_loader):
    assert only_submission(fixture_loader("status_failed.json"))["last_update_user"] == "ops-robot"


def test_last_update_user_in_the_sdk_spelling_is_read(fixture_loader):
    assert only_submission(fixture_loader("status_succeeded.json"))["last_update_user"] == "cdm"


def test_misspelled_key_does_not_leak_into_the_submission(fixture_loader):
    submission = only_submission(fixture_loader("status_failed.json"))
    assert "last_udpate_user" not in submission


@pytest.mark.parametrize("raw, expected", [("true", True), ("false", False), ("TRUE", True), (True, True), (False, False)])
def test_is_stopping_increment_string_becomes_a_bool(raw, expected):
    submission = only_submission({"submissions": [{"status": "RUNNING", "isStopingIncrement": raw}]})
    assert submission["is_stopping_increment"] is expected


def test_is_stopping_increment_that_is_not_a_bool_becomes_null():
    submission = only_submission({"submissions": [{"status": "RUNNING", "isStopingIncrement": "perhaps"}]})
    assert submission["is_stopping_increment"] is None


def test_every_documented_field_is_snake_cased_with_its_type(fixture_loader):
    submission = only_submission(fixture_loader("status_succeeded.json"))
    assert submission == {
        "job_name": "jdbc2hive", "status": "SUCCEEDED", "progress": 100.0, "submission_id": 1201,
        "external_id": "job_local1202796094_0009", "creation_user": "cdm", "creation_date": 1536905778725,
        "execute_date": 1536905778800, "last_update_date": 1536905999000, "last_update_user": "cdm",
        "is_incrementing": False, "is_stopping_increment": False, "is_execute_auto": False, "is_delete_job": False,
        "delete_rows": 0, "update_rows": 0, "write_rows": 1000, "error_summary": None, "error_details": None,
        "counters": {
            "bytes_written": 1048576, "total_files": 0, "rows_read": 1000, "bytes_read": 1048576, "rows_written": 1000,
            "files_written": 0, "files_read": 0, "total_size": 1048576, "files_skipped": 0, "rows_written_skipped": 0,
        },
    }


def test_missing_documented_fields_are_null(fixture_loader):
    submission = only_submission(fixture_loader("status_seed_example.json"))
    assert submission["external_id"] is None
    assert submission["is_incrementing"] is None
    assert submission["write_rows"] is None


@pytest.mark.parametrize("raw, expected", [("1201", 1201), (1201.0, 1201), (" 7 ", 7), ("1.2e3", 1200), ("n/a", None), (True, None), (None, None)])
def test_submission_id_is_repaired_to_an_int(raw, expected):
    assert only_submission({"submissions": [{"status": "RUNNING", "submission-id": raw}]})["submission_id"] == expected


@pytest.mark.parametrize("raw, expected", [("42.5", 42.5), (42, 42.0), ("NaN", None), ("Infinity", None), ([], None), (False, None)])
def test_progress_is_repaired_to_a_finite_float(raw, expected):
    assert only_submission({"submissions": [{"status": "RUNNING", "progress": raw}]})["progress"] == expected


def test_status_is_upper_cased_and_trimmed():
    assert only_submission({"submissions": [{"status": " succeeded "}]})["status"] == "SUCCEEDED"


@pytest.mark.parametrize("raw", [None, "", "   ", [], {}])
def test_missing_or_blank_status_is_unknown(raw):
    assert only_submission({"submissions": [{"status": raw}]})["status"] == "UNKNOWN"


# Counters

def test_counters_come_from_the_sqoop_group_as_snake_case_ints(fixture_loader):
    result = _submission.summarise(fixture_loader("status_succeeded.json"))
    assert result["counters"]["rows_written"] == 1000
    assert sorted(result["counters"]) == sorted(_submission.COUNTER_NAMES)
    assert all(isinstance(value, int) for value in result["counters"].values())


def test_counter_strings_become_ints_and_garbage_is_dropped():
    body = {"submissions": [{"status": "SUCCEEDED", "counters": {_submission.COUNTER_GROUP: {
        "ROWS_READ": "12", "BYTES_READ": 3.0, "ROWS_WRITTEN": "lots", "FILES_READ": None}}}]}
    assert _submission.summarise(body)["counters"] == {"rows_read": 12, "bytes_read": 3}


def test_missing_counters_are_an_empty_dict(fixture_loader):
    assert _submission.summarise(fixture_loader("status_failed.json"))["counters"] == {}


@pytest.mark.parametrize("raw", [None, "counters", 12, [], {_submission.COUNTER_GROUP: "nope"}])
def test_odd_counters_are_an_empty_dict(raw):
    assert _submission.summarise({"submissions": [{"status": "SUCCEEDED", "counters": raw}]})["counters"] == {}


# Failed jobs

def test_failed_job_has_progress_minus_one_and_its_errors(fixture_loader):
    result = _submission.summarise(fixture_loader("status_failed.json"))
    assert result["status"] == "FAILED"
    assert result["progress"] == -1.0
    assert result["error_summary"] == "Database connection refused"
    assert result["error_details"].startswith("java.net.ConnectException")


def test_failed_job_is_finished_but_not_succeeded(fixture_loader):
    result = _submission.summarise(fixture_loader("status_failed.json"))
    assert result["finished"] is True
    assert result["succeeded"] is False


def test_succeeded_job_is_finished_and_succeeded(fixture_loader):
    result = _submission.summarise(fixture_loader("status_succeeded.json"))
    assert result["finished"] is True
    assert result["succeeded"] is True
    assert result["submission_id"] == 1201


# Statuses the table does not know

def test_unknown_status_passes_through_as_it_came(fixture_loader):
    assert _submission.summarise(fixture_loader("status_future_status.json"))["status"] == "SUSPENDED"


def test_unknown_status_is_not_finished(fixture_loader):
    result = _submission.summarise(fixture_loader("status_future_status.json"))
    assert result["finished"] is False
    assert result["succeeded"] is False


def test_unknown_fields_pass_through_snake_cased_with_their_values(fixture_loader):
    submission = only_submission(fixture_loader("status_future_status.json"))
    assert submission["new_top_level_flag"] is True
    assert submission["queue_name"] == "default"
    assert submission["retry_count"] == 2


def test_unknown_field_never_overwrites_a_documented_one():
    submission = only_submission({"submissions": [{"status": "RUNNING", "jobName": "other", "job-name": "mine"}]})
    assert submission["job_name"] == "mine"


# Which submission is the newest

def test_newest_is_the_highest_submission_id(fixture_loader):
    result = _submission.summarise(fixture_loader("status_history.json"))
    assert result["submission_id"] == 11
    assert result["status"] == "RUNNING"
    assert result["progress"] == 42.5


def test_submissions_are_listed_newest_first(fixture_loader):
    result = _submission.summarise(fixture_loader("status_history.json"))
    assert [item["submission_id"] for item in result["submissions"]] == [11, 10, 9]
    assert result["submission"] is result["submissions"][0]


def test_without_submission_ids_newest_is_the_latest_creation_date(fixture_loader):
    result = _submission.summarise(fixture_loader("status_history_without_ids.json"))
    assert result["status"] == "RUNNING"
    assert result["submission"]["creation_date"] == 1736905778725


def test_a_submission_with_an_id_beats_one_without():
    body = {"submissions": [{"status": "RUNNING", "creation-date": 2000}, {"status": "FAILED", "submission-id": 1, "creation-date": 1000}]}
    assert _submission.summarise(body)["status"] == "FAILED"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.fixed_dictionaries({"status": st.sampled_from(list(_submission.KNOWN_STATUSES))}, optional={
    "submission-id": st.integers(min_value=1, max_value=10 ** 6),
    "creation-date": st.integers(min_value=1, max_value=4102444800000).map(str),
}), min_size=1, max_size=6))
def test_the_newest_submission_is_listed_first(submissions):
    result = _submission.summarise({"submissions": submissions})
    assert result["submission"] is result["submissions"][0]


def test_newest_first_order_agrees_with_submission_when_a_creation_date_is_zero():
    result = _submission.summarise({"submissions": [{"status": "RUNNING"}, {"status": "FAILED", "creation-date": 0}]})
    assert result["submission"] is result["submissions"][0]


def test_newest_of_nothing_is_none():
    assert _submission.newest([]) is None


# No submissions, odd bodies

def test_empty_submissions_means_never_executed(fixture_loader):
    result = _submission.summarise(fixture_loader("status_empty.json"), job_name="jdbc2hive")
    assert result == {
        "job_name": "jdbc2hive", "status": "NEVER_EXECUTED", "progress": None, "finished": False, "succeeded": False,
        "counters": {}, "error_summary": None, "error_details": None, "submission_id": None,
        "submission": None, "submissions": [],
    }


def test_submissions_given_as_an_object_is_read_as_one_submission():
    result = _submission.summarise({"submissions": {"job-name": "j", "status": "RUNNING", "progress": "5"}})
    assert result["status"] == "RUNNING"
    assert result["progress"] == 5.0


@pytest.mark.parametrize("body", [
    None, [], "submissions", 42, {}, {"submissions": None}, {"submissions": "RUNNING"}, {"submissions": 3},
    {"submissions": [None, 1, "x", []]}, {"validation-result": []},
])
def test_garbage_bodies_mean_never_executed_without_crashing(body):
    result = _submission.summarise(body, job_name="j")
    assert result["status"] == "NEVER_EXECUTED"
    assert result["finished"] is False
    assert result["job_name"] == "j"


def test_non_object_items_are_skipped_and_objects_kept():
    result = _submission.summarise({"submissions": [None, "x", {"status": "SUCCEEDED", "submission-id": 1}]})
    assert [item["status"] for item in result["submissions"]] == ["SUCCEEDED"]


def test_job_name_falls_back_to_the_one_asked_about():
    assert _submission.summarise({"submissions": [{"status": "RUNNING"}]}, job_name="asked")["job_name"] == "asked"


# Status classification

@pytest.mark.parametrize("status, finished, succeeded, failure", [
    ("BOOTING", False, False, False),
    ("RUNNING", False, False, False),
    ("UNKNOWN", False, False, False),
    ("NEVER_EXECUTED", False, False, False),
    ("SUCCEEDED", True, True, False),
    ("FAILED", True, False, True),
    ("FAILURE_ON_SUBMIT", True, False, True),
])
def test_documented_status_classification(status, finished, succeeded, failure):
    assert _submission.is_finished(status) is finished
    assert _submission.is_succeeded(status) is succeeded
    assert _submission.is_failure(status) is failure


def test_every_known_status_is_classified():
    assert set(_submission.KNOWN_STATUSES) == {
        "BOOTING", "FAILURE_ON_SUBMIT", "RUNNING", "SUCCEEDED", "FAILED", "UNKNOWN", "NEVER_EXECUTED"}
    assert _submission.FINISHED_STATUSES <= set(_submission.KNOWN_STATUSES)


@given(st.text())
def test_status_classification_is_total_over_any_text(status):
    finished = _submission.is_finished(status)
    assert finished is (status in ("SUCCEEDED", "FAILED", "FAILURE_ON_SUBMIT"))
    assert _submission.is_succeeded(status) is (status == "SUCCEEDED")
    assert _submission.is_failure(status) is (status in ("FAILED", "FAILURE_ON_SUBMIT"))
    if _submission.is_succeeded(status) or _submission.is_failure(status):
        assert finished


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.lists(st.text())))
def test_to_status_always_gives_non_empty_upper_case_text(value):
    status = _submission.to_status(value)
    assert isinstance(status, str)
    assert status and status == status.upper()


# Any JSON value at all

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12))
API_KEYS = [api_key for api_key, _name, _kind in _submission.FIELDS] + ["counters", _submission.COUNTER_GROUP, "submissions"]
KEYS = st.one_of(st.sampled_from(API_KEYS), st.text(max_size=10))
JSON = st.recursive(SCALARS, lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=5)),
                    max_leaves=30)
SUBMISSION_LIKE = st.dictionaries(KEYS, st.one_of(SCALARS, st.sampled_from(list(_submission.KNOWN_STATUSES)), JSON), max_size=8)
BODIES = st.one_of(JSON, st.fixed_dictionaries({"submissions": st.one_of(st.lists(SUBMISSION_LIKE, max_size=4), SUBMISSION_LIKE, JSON)}))


def _is_optional(value, kind):
    return value is None or (isinstance(value, kind) and not isinstance(value, bool))


@settings(max_examples=300, deadline=None)
@given(BODIES)
def test_summarise_never_raises_and_returns_the_documented_keys_and_types(body):
    result = _submission.summarise(body, job_name="asked")
    assert set(result) == RESULT_KEYS
    assert isinstance(result["job_name"], str)
    assert isinstance(result["status"], str) and result["status"]
    assert _is_optional(result["progress"], float)
    assert isinstance(result["finished"], bool)
    assert isinstance(result["succeeded"], bool)
    assert result["finished"] is _submission.is_finished(result["status"])
    assert result["succeeded"] is (result["status"] == "SUCCEEDED")
    assert isinstance(result["counters"], dict)
    assert all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) for k, v in result["counters"].items())
    assert _is_optional(result["error_summary"], str)
    assert _is_optional(result["error_details"], str)
    assert _is_optional(result["submission_id"], int)
    assert isinstance(result["submissions"], list)
    assert all(isinstance(item, dict) for item in result["submissions"])
    if result["submissions"]:
        assert any(item is result["submission"] for item in result["submissions"])
        assert result["status"] == result["submission"]["status"]
    else:
        assert result["submission"] is None
        assert result["status"] == "NEVER_EXECUTED"
    json.dumps(result)
