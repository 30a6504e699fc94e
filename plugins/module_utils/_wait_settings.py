# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The job_wait role's settings, checked once before its first poll (the ``job_wait_check`` filter).

``_verdict`` then reads them on every poll, trusting what this check let through.
"""

from __future__ import annotations

import difflib

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _waiter
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _watch

# Every variable the role reads or sets; any other job_wait_* name is a typo.
VARIABLES = (
    "job_wait_job_name", "job_wait_job_names", "job_wait_cluster_id", "job_wait_cluster_name", "job_wait_project_id",
    "job_wait_region",
    "job_wait_endpoint", "job_wait_auth", "job_wait_timeout", "job_wait_delay", "job_wait_first_answer_timeout",
    "job_wait_fail_on_failure", "job_wait_submission_id", "job_wait_success_when", "job_wait_failure_when",
    "job_wait_stall_timeout", "job_wait_stop_on_timeout", "job_wait_fail_fast", "job_wait_deadline",
    "job_wait_result", "job_wait_results",
)


def check_settings(settings, variable_names=()):
    """'' when the role's settings are usable, else the sentence that says what to fix."""
    for name in sorted(set(variable_names) - set(VARIABLES)):
        if name.startswith("job_wait_"):
            close = difflib.get_close_matches(name, VARIABLES, n=1, cutoff=0.6)
            return "%s is not a variable of the huaweicloud.cdm.job_wait role%s" % (
                name, "; did you mean %s?" % close[0] if close else " (see ansible-doc -t role huaweicloud.cdm.job_wait)")
    if (settings.get("job_name") is None) == (settings.get("job_names") is None):
        return "job_wait needs exactly one of job_wait_job_name and job_wait_job_names"
    # Neither is fine: the caller's module_defaults may name the cluster.
    if settings.get("cluster_id") is not None and settings.get("cluster_name") is not None:
        return ("job_wait takes one of job_wait_cluster_id and job_wait_cluster_name, not both "
                "(or neither, when module_defaults for group/huaweicloud.cdm.cdm name the cluster)")
    for name in ("timeout", "delay", "first_answer_timeout"):
        if not _positive(settings.get(name)):
            return "job_wait_%s must be a number of seconds greater than 0, not %r" % (name, settings.get(name))
    for name in ("success_when", "failure_when"):
        if settings.get(name):
            try:
                _waiter.compile_condition(settings[name])
            except _waiter.QueryError as error:
                return "job_wait_%s: %s" % (name, error)
    return _watch.check(settings)


def _positive(value):
    try:
        return float(value) > 0
    except (TypeError, ValueError):
        return False
