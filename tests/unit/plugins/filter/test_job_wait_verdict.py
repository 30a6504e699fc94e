# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import time

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.huaweicloud.cdm.plugins.filter import job_wait_check
from ansible_collections.huaweicloud.cdm.plugins.filter import job_wait_verdict

SETTINGS = {"job_name": "jdbc2hive", "timeout": 600, "first_answer_timeout": 60}
RUNNING = {"job_name": "jdbc2hive", "status": "RUNNING", "progress": 10.0, "submission_id": 3, "finished": False}


def test_the_filters_are_registered_under_their_names():
    assert job_wait_verdict.FilterModule().filters() == {"job_wait_verdict": job_wait_verdict.job_wait_verdict}
    assert job_wait_check.FilterModule().filters() == {"job_wait_check": job_wait_check.job_wait_check}


def test_between_polls_the_verdict_leaves_the_result_out():
    outcome = job_wait_verdict.job_wait_verdict(RUNNING, SETTINGS, str(time.time()))
    assert outcome == {"state": "pending", "done": False, "answered": True, "fails": False, "stop": []}


def test_the_last_look_carries_the_result():
    outcome = job_wait_verdict.job_wait_verdict(RUNNING, SETTINGS, time.time() - 700, polls=5, final=True)
    assert outcome["state"] == "timeout"
    assert outcome["result"]["message"].startswith("CDM job jdbc2hive did not finish within 600 seconds (5 polls)")


def test_a_pause_is_waited_out_before_a_pending_verdict_only(monkeypatch):
    slept = []
    monkeypatch.setattr(job_wait_verdict.time, "sleep", slept.append)
    assert job_wait_verdict.job_wait_verdict(RUNNING, SETTINGS, time.time(), pause="0.5")["done"] is False
    assert slept == [0.5]
    assert job_wait_verdict.job_wait_verdict(RUNNING, SETTINGS, time.time() - 700, pause=0.5)["done"] is True
    assert job_wait_verdict.job_wait_verdict(RUNNING, SETTINGS, time.time() - 700, pause=0.5, final=True)["done"]
    assert job_wait_verdict.job_wait_verdict(RUNNING, SETTINGS, time.time())["done"] is False
    assert slept == [0.5]


def test_a_pause_that_is_no_number_is_a_filter_error():
    with pytest.raises(AnsibleFilterError, match="job_wait_verdict: "):
        job_wait_verdict.job_wait_verdict(RUNNING, SETTINGS, time.time(), pause="soon")


def test_settings_it_cannot_read_are_a_filter_error():
    with pytest.raises(AnsibleFilterError, match="job_wait_verdict: "):
        job_wait_verdict.job_wait_verdict(RUNNING, {"job_name": "x"}, time.time())


def test_the_check_names_what_to_fix_and_is_empty_when_all_is_well():
    settings = dict(SETTINGS, delay=5)
    assert job_wait_check.job_wait_check(settings, ["job_wait_job_name"]) == ""
    assert job_wait_check.job_wait_check(settings, ["job_wait_delya"]).endswith("did you mean job_wait_delay?")
