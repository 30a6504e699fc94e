# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: job_wait_check
author: huaweicloud.cdm contributors (@huaweicloud)
version_added: 1.1.0
short_description: What is wrong with the settings of a job_wait role call
description:
  - The P(huaweicloud.cdm.job_wait#role) role's check of its variables, before the first poll.
  - Returns an empty string when the settings are usable, else one sentence naming the variable to fix - a
    C(job_wait_*) variable the role does not know (with the closest known name), a missing or doubled job
    name, a timeout or delay that is not a positive number, a JMESPath expression that does not compile.
options:
  _input:
    description: The settings, as for P(huaweicloud.cdm.job_wait_verdict#filter).
    type: dict
    required: true
  variable_names:
    description: The names of the C(job_wait_*) variables that are set, for example from the P(ansible.builtin.varnames#lookup) lookup.
    type: list
    elements: str
    default: []
"""

EXAMPLES = r"""
- name: Check the settings
  ansible.builtin.assert:
    that: problem == ''
    fail_msg: "{{ problem }}"
  vars:
    problem: "{{ {'job_name': 'jdbc2hive', 'timeout': 60, 'delay': 5, 'first_answer_timeout': 30}
                 | huaweicloud.cdm.job_wait_check(q('ansible.builtin.varnames', '^job_wait_')) }}"
"""

RETURN = r"""
_value:
  description: An empty string, or what to fix.
  type: str
"""

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _wait_settings


def job_wait_check(settings, variable_names=()):
    return _wait_settings.check_settings(settings if isinstance(settings, dict) else {}, variable_names or ())


class FilterModule(object):

    def filters(self):
        return {"job_wait_check": job_wait_check}
