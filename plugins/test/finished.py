# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: finished
author: huaweicloud.cdm contributors (@huaweicloud)
version_added: 1.0.0
short_description: Whether waiting for a CDM job is over
description:
  - True when nothing a later poll sees can change the outcome, so an C(until) loop stops at once -
    the job ended in V(SUCCEEDED), V(FAILED) or V(FAILURE_ON_SUBMIT); the job has never run (and no
    O(submission_id) was given); or the status call failed for good (an unknown job or cluster,
    credentials that were refused, a locked access key, bad options, a missing library, a module that
    could not run). In the last case the task fails with the API's message and a hint that fixes it.
  - A rejected AK/SK signature is therefore sent once, never repeated by the loop (five rejected
    signatures in a row lock the key for five minutes, for everyone who uses it).
  - False while the job is starting or running, and after a transient API error (HTTP 429 or 5xx, a
    timeout, a dropped connection), so the loop polls again.
  - For a result with several jobs (O(huaweicloud.cdm.cdm_job_status#module:job_names)), true when all have
    ended, or when any of them has never run or could not be read for good.
  - To tell the outcomes apart after the loop, use P(huaweicloud.cdm.succeeded#test) or
    P(huaweicloud.cdm.wait_state#filter).
options:
  _input:
    description: A registered M(huaweicloud.cdm.cdm_job_status) result.
    type: dict
    required: true
  submission_id:
    description:
      - Only a run with this submission ID or a later one counts, so a finished run from before the
        job was started again is not taken for the new one.
      - With it, a job that shows no run yet is waited for, as the run announced may not be visible yet.
    type: int
"""

EXAMPLES = r"""
- name: Wait for the job
  huaweicloud.cdm.cdm_job_status:
    cluster_id: "{{ cluster_id }}"
    job_name: jdbc2hive
  register: job
  until: job is huaweicloud.cdm.finished
  retries: 120
  delay: 30

- name: Wait for the run that was just started, not an older one
  huaweicloud.cdm.cdm_job_status:
    cluster_id: "{{ cluster_id }}"
    job_name: jdbc2hive
  register: job
  until: job is huaweicloud.cdm.finished(submission_id=start.json.submissions[0]['submission-id'])
  retries: 120
  delay: 30
"""

RETURN = r"""
_value:
  description: Whether waiting longer cannot change the outcome.
  type: bool
"""

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _waiter


def finished(result, submission_id=None):
    """Nothing a later poll sees can change the outcome: the job has ended (in the run ``submission_id``
    or a later one), has never run, or the status call failed for good."""
    return _waiter.wait_state(result, submission_id=submission_id) in _waiter.DONE_STATES


class TestModule(object):

    def tests(self):
        return {"finished": finished}
