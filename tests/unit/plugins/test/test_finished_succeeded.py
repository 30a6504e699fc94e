# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.huaweicloud.cdm.plugins.test import finished as finished_test
from ansible_collections.huaweicloud.cdm.plugins.test import succeeded as succeeded_test

SUCCEEDED = {"job_name": "a", "status": "SUCCEEDED", "submission_id": 5, "finished": True, "succeeded": True}
FAILED = {"job_name": "b", "status": "FAILED", "submission_id": 6, "finished": True, "succeeded": False}
RUNNING = {"job_name": "c", "status": "RUNNING", "submission_id": 7, "finished": False, "succeeded": False}
TRANSIENT = {"failed": True, "retryable": True, "finished": False, "succeeded": False, "msg": "HTTP 503"}
PERMANENT = {"failed": True, "retryable": False, "finished": False, "succeeded": False, "msg": "HTTP 400 Cdm.0100"}
# What Ansible registers when the module could not run, or refused its arguments: no "retryable".
NO_MODULE_RESULT = {"failed": True, "msg": "Module result deserialization failed: No start of json char found"}
BAD_OPTIONS = {"failed": True, "msg": "missing required arguments: project_id"}


def test_the_tests_are_registered_under_their_names():
    assert finished_test.TestModule().tests() == {"finished": finished_test.finished}
    assert succeeded_test.TestModule().tests() == {"succeeded": succeeded_test.succeeded}


@pytest.mark.parametrize("result, finished, succeeded", [
    (SUCCEEDED, True, True),
    (FAILED, True, False),
    (dict(FAILED, status="FAILURE_ON_SUBMIT"), True, False),
    (RUNNING, False, False),
    # no run, and none announced: polling again cannot change that
    (dict(RUNNING, status="NEVER_EXECUTED", submission_id=None), True, False),
    (TRANSIENT, False, False),
    # until re-runs a failed task: a failure that cannot heal must end the loop itself
    (PERMANENT, True, False),
    (NO_MODULE_RESULT, True, False),
    (BAD_OPTIONS, True, False),
])
def test_finished_and_succeeded(result, finished, succeeded):
    assert finished_test.finished(result) is finished
    assert succeeded_test.succeeded(result) is succeeded


def test_a_job_that_never_ran_is_waited_for_when_a_run_was_announced():
    never_ran = dict(RUNNING, status="NEVER_EXECUTED", submission_id=None)
    assert not finished_test.finished(never_ran, submission_id=1)
    assert not succeeded_test.succeeded(never_ran, submission_id=1)


def test_a_batch_ends_when_one_job_never_ran_or_could_not_be_read_for_good():
    assert finished_test.finished({"jobs": [RUNNING, dict(RUNNING, job_name="n", status="NEVER_EXECUTED", submission_id=None)]})
    assert finished_test.finished({"jobs": [RUNNING, dict(PERMANENT, job_name="x")]})
    assert not finished_test.finished({"jobs": [RUNNING, dict(TRANSIENT, job_name="x")]})


def test_a_run_older_than_the_awaited_one_is_neither():
    assert not finished_test.finished(SUCCEEDED, submission_id=6)
    assert not succeeded_test.succeeded(SUCCEEDED, submission_id=6)
    assert finished_test.finished(SUCCEEDED, submission_id=5)
    assert succeeded_test.succeeded(SUCCEEDED, submission_id="5")


def test_a_batch_is_finished_when_every_job_is():
    assert finished_test.finished({"jobs": [SUCCEEDED, FAILED]})
    assert not succeeded_test.succeeded({"jobs": [SUCCEEDED, FAILED]})
    assert succeeded_test.succeeded({"jobs": [SUCCEEDED, dict(SUCCEEDED, job_name="d")]})
    assert not finished_test.finished({"jobs": [SUCCEEDED, RUNNING]})


def test_a_batch_takes_a_submission_id_per_job():
    assert finished_test.finished({"jobs": [SUCCEEDED, FAILED]}, submission_id={"a": 5, "b": 6})
    assert not finished_test.finished({"jobs": [SUCCEEDED, FAILED]}, submission_id={"a": 5, "b": 7})
