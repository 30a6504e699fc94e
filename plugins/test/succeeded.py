# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: succeeded
author: huaweicloud.cdm contributors (@huaweicloud)
version_added: 1.0.0
short_description: Whether a CDM job has ended in SUCCEEDED
description:
  - True when a M(huaweicloud.cdm.cdm_job_status) result says the job ended in V(SUCCEEDED).
  - False while it runs, when it failed, and when the status call itself failed.
  - For a result with several jobs, true when all succeeded.
options:
  _input:
    description: A registered M(huaweicloud.cdm.cdm_job_status) result.
    type: dict
    required: true
  submission_id:
    description: Only a run with this submission ID or a later one counts.
    type: int
"""

EXAMPLES = r"""
- name: Go on only when the migration succeeded
  ansible.builtin.debug:
    msg: "{{ job.counters.rows_written }} rows migrated"
  when: job is huaweicloud.cdm.succeeded
"""

RETURN = r"""
_value:
  description: Whether the job has ended in V(SUCCEEDED).
  type: bool
"""

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _waiter


def succeeded(result, submission_id=None):
    """The job has ended in SUCCEEDED, in the run ``submission_id`` or a later one."""
    return _waiter.wait_state(result, submission_id=submission_id) == _waiter.SUCCEEDED


class TestModule(object):

    def tests(self):
        return {"succeeded": succeeded}
