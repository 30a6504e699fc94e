# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.huaweicloud.cdm.plugins.filter import wait_state as wait_state_filter

pytest.importorskip("jmespath")

wait_state = wait_state_filter.wait_state


def test_the_filter_is_registered_under_its_name():
    assert wait_state_filter.FilterModule().filters() == {"wait_state": wait_state}


@pytest.mark.parametrize("result, state", [
    ({"status": "SUCCEEDED", "submission_id": 3}, "succeeded"),
    ({"status": "FAILED", "submission_id": 3}, "failed"),
    ({"status": "RUNNING", "submission_id": 3}, "pending"),
    ({"failed": True, "retryable": True, "msg": "HTTP 503"}, "pending"),
    ({"failed": True, "retryable": False, "msg": "HTTP 400 Cdm.0100"}, "error"),
])
def test_each_state(result, state):
    assert wait_state(result) == state


def test_an_older_submission_is_pending():
    assert wait_state({"status": "SUCCEEDED", "submission_id": 3}, submission_id=4) == "pending"


def test_a_dict_of_submission_ids_for_a_batch():
    result = {"jobs": [{"job_name": "a", "status": "SUCCEEDED", "submission_id": 3},
                       {"job_name": "b", "status": "FAILED", "submission_id": 9}]}
    assert wait_state(result, submission_id={"a": 3, "b": 9}) == "failed"
    assert wait_state(result, submission_id={"a": 4, "b": 9}) == "pending"


def test_conditions_reach_the_waiter():
    running = {"status": "RUNNING", "submission_id": 3, "counters": {}, "progress": 75.0}
    assert wait_state(running, success_when="progress > `50`") == "succeeded"
    assert wait_state(running, failure_when="progress > `50`", success_when="progress > `50`") == "failed"


def test_empty_conditions_count_as_none():
    # job_wait passes its unset variables as empty strings or None
    assert wait_state({"status": "RUNNING"}, success_when="", failure_when=None) == "pending"


def test_an_invalid_expression_is_a_filter_error_naming_it():
    with pytest.raises(AnsibleFilterError, match=r"'status ==' is not a valid JMESPath expression"):
        wait_state({"status": "RUNNING"}, success_when="status ==")
