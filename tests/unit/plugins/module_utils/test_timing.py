# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _timing

NOW = 1700000000  # Tue, 14 Nov 2023 22:13:20 GMT


def run(status="RUNNING", progress=25.0, started_ago=300.0, updated_ago=12.0):
    return {"status": status, "progress": progress,
            "execute_date": None if started_ago is None else int((NOW - started_ago) * 1000),
            "last_update_date": None if updated_ago is None else int((NOW - updated_ago) * 1000)}


@pytest.mark.parametrize("header, expected", [
    ("Tue, 14 Nov 2023 22:13:20 GMT", NOW),
    ("Tuesday, 14-Nov-23 22:13:20 GMT", NOW),          # RFC 850, which HTTP readers must accept
    ("Tue Nov 14 22:13:20 2023", NOW),                 # asctime
    ("Wed, 15 Nov 2023 06:13:20 +0800", NOW),          # a zone, honoured
])
def test_the_date_header_is_read_in_every_http_form(header, expected):
    assert _timing.service_time(header) == expected


@pytest.mark.parametrize("header", [None, "", "yesterday", "Tue, 32 Nov 2023 22:13:20 GMT", 1700000000, b"x"])
def test_a_missing_or_unreadable_date_is_none(header):
    assert _timing.service_time(header) is None


def test_a_running_run_is_measured_to_now_and_estimated_at_its_pace():
    facts = _timing.facts(run(progress=25.0, started_ago=300, updated_ago=12), NOW)
    assert facts == {"run_seconds": 300, "eta_seconds": 900, "idle_seconds": 12, "service_time": NOW}


@pytest.mark.parametrize("status", ["SUCCEEDED", "FAILED", "FAILURE_ON_SUBMIT"])
def test_a_finished_run_is_measured_to_its_last_update_with_nothing_left(status):
    facts = _timing.facts(run(status=status, progress=-1.0, started_ago=300, updated_ago=100), NOW)
    assert (facts["run_seconds"], facts["eta_seconds"], facts["idle_seconds"]) == (200, 0, 100)


def test_a_finished_run_needs_no_clock_for_its_length():
    facts = _timing.facts(run(status="SUCCEEDED", started_ago=300, updated_ago=100), None)
    assert facts == {"run_seconds": 200, "eta_seconds": 0, "idle_seconds": None, "service_time": None}


def test_without_the_services_time_a_running_run_has_no_facts():
    assert _timing.facts(run(), None) == {"run_seconds": None, "eta_seconds": None, "idle_seconds": None,
                                          "service_time": None}


@pytest.mark.parametrize("progress", [None, 0, 0.0, -1.0, 100.5, "50", True])
def test_no_estimate_without_a_usable_progress(progress):
    facts = _timing.facts(run(progress=progress), NOW)
    assert facts["run_seconds"] == 300 and facts["eta_seconds"] is None


def test_a_run_at_full_progress_not_yet_finished_has_nothing_left():
    assert _timing.facts(run(progress=100.0), NOW)["eta_seconds"] == 0


@pytest.mark.parametrize("submission", [None, {}, {"status": "BOOTING", "progress": 0.0}, "odd", []])
def test_a_run_without_dates_has_no_facts(submission):
    facts = _timing.facts(submission, NOW)
    assert (facts["run_seconds"], facts["eta_seconds"], facts["idle_seconds"], facts["service_time"]) == \
        (None, None, None, NOW)


def test_dates_a_little_after_the_whole_second_of_the_date_header_are_zero_not_negative():
    # The Date header drops the fraction: a run updated 0.4 s "after" it was updated just now.
    facts = _timing.facts(run(started_ago=-0.4, updated_ago=-0.4), NOW)
    assert (facts["run_seconds"], facts["idle_seconds"]) == (0, 0)


def test_rounding_is_to_the_nearest_second():
    facts = _timing.facts(run(status="SUCCEEDED", started_ago=100.6, updated_ago=0), NOW)
    assert facts["run_seconds"] == 101


def test_with_facts_adds_the_facts_of_the_results_submission():
    result = {"status": "RUNNING", "submission": run()}
    assert _timing.with_facts(result, NOW) is result
    assert (result["run_seconds"], result["eta_seconds"]) == (300, 900)
