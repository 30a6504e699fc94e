# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Jinja tests that read a cdm_job_status result: ``result is huaweicloud.cdm.finished``."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _waiter


def _state(result, submission_id=None):
    try:
        return _waiter.wait_state(result, submission_id=submission_id)
    except _waiter.QueryError as error:
        raise AnsibleFilterError(str(error))


def finished(result, submission_id=None):
    """Nothing a later poll sees can change the outcome: the job has ended (in the run ``submission_id``
    or a later one), has never run, or the status call failed for good."""
    return _state(result, submission_id) in _waiter.DONE_STATES


def succeeded(result, submission_id=None):
    """The job has ended in SUCCEEDED, in the run ``submission_id`` or a later one."""
    return _state(result, submission_id) == _waiter.SUCCEEDED


class TestModule(object):

    def tests(self):
        return {"finished": finished, "succeeded": succeeded}
