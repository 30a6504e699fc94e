# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: wait_state
author: huaweicloud.cdm contributors (@huaweicloud)
version_added: 1.0.0
short_description: Where a wait for a CDM job stands after one poll
description:
  - Reads a M(huaweicloud.cdm.cdm_job_status) result and returns V(succeeded), V(failed), V(error)
    (the status call failed for good, for example an unknown job or bad credentials), V(never_run)
    (the job has no run and O(submission_id) was not given) or V(pending) (still running, or a
    transient API error).
  - Extra conditions in the style of botocore waiter acceptors end the wait early; O(failure_when)
    is checked before O(success_when), and both before the job's status.
  - The P(huaweicloud.cdm.job_wait#role) role uses it; it needs the C(jmespath) library on the controller
    when O(success_when) or O(failure_when) is set.
options:
  _input:
    description: A registered M(huaweicloud.cdm.cdm_job_status) result.
    type: dict
    required: true
  submission_id:
    description:
      - Results about an older run than this submission ID are V(pending).
      - For a result with several jobs, a dict of job name to submission ID.
    type: raw
  success_when:
    description: A JMESPath expression over the result; when true, the wait has V(succeeded).
    type: str
  failure_when:
    description: A JMESPath expression over the result; when true, the wait has V(failed).
    type: str
"""

EXAMPLES = r"""
- name: Stop waiting once a million rows are written
  huaweicloud.cdm.cdm_job_status:
    cluster_id: "{{ cluster_id }}"
    job_name: jdbc2hive
  register: job
  until: (job | huaweicloud.cdm.wait_state(success_when='counters.rows_written > `1000000`')) != 'pending'
  retries: 60
  delay: 10
"""

RETURN = r"""
_value:
  description: One of V(succeeded), V(failed), V(error), V(never_run), V(pending).
  type: str
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _waiter


def wait_state(result, submission_id=None, success_when=None, failure_when=None):
    try:
        return _waiter.wait_state(result, submission_id=submission_id, success_when=success_when or None,
                                  failure_when=failure_when or None)
    except _waiter.QueryError as error:
        raise AnsibleFilterError(str(error))


class FilterModule(object):

    def filters(self):
        return {"wait_state": wait_state}
