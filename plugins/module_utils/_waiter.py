# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What one poll of a wait means, in the style of botocore waiter acceptors.

``wait_state`` reads a ``cdm_job_status`` result (a dict, as registered) and
says whether the wait is over and how. It is the one place the test plugins,
the filter and the ``job_wait`` role take that decision from.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission

# The states a poll can leave a wait in.
SUCCEEDED = "succeeded"   # the job (or every job) ended in SUCCEEDED, or success_when matched
FAILED = "failed"         # the job ended in FAILED / FAILURE_ON_SUBMIT, or failure_when matched
ERROR = "error"           # the status call failed for good (unknown job, auth): waiting longer will not help
NEVER_RUN = "never_run"   # the job has no run, and none was announced (submission_id): nothing to wait for
PENDING = "pending"       # not finished yet, or a transient API error: poll again
# Every state but PENDING ends a wait: nothing a later poll sees can change it.
DONE_STATES = frozenset((SUCCEEDED, FAILED, ERROR, NEVER_RUN))


class QueryError(ValueError):
    """A success_when / failure_when expression that is not valid JMESPath."""


def _is_stale(result, submission_id):
    """A result about an older run than the one the caller started is not an answer yet."""
    if submission_id is None:
        return False
    wanted = _submission.to_int(submission_id)
    seen = _submission.to_int(result.get("submission_id"))
    return wanted is not None and (seen is None or seen < wanted)


def _jmespath():
    try:
        import jmespath
    except ImportError:
        raise QueryError("success_when and failure_when need the jmespath Python library on the controller")
    return jmespath


def compile_condition(expression):
    """A success_when / failure_when expression, compiled; raises QueryError when it cannot be used."""
    jmespath = _jmespath()
    try:
        return jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as error:
        raise QueryError(_invalid(expression, error))


def _invalid(expression, error):
    return "%r is not a valid JMESPath expression: %s" % (expression, " ".join(str(error).split()))


def _matches(expression, result):
    if not expression:
        return False
    condition = compile_condition(expression)
    try:
        return bool(condition.search(result))
    except _jmespath().exceptions.JMESPathError as error:
        # A type error shows only on some results (a function given a null, say).
        raise QueryError(_invalid(expression, error))


def submission_for(job, submission_id):
    """The submission id awaited for ``job``: ``submission_id`` itself, or its entry for the job's name
    when it maps job names to ids (the batch form)."""
    if not isinstance(submission_id, dict):
        return submission_id
    name = job.get("job_name") if isinstance(job, dict) else None
    return submission_id.get(name) if isinstance(name, str) else None


def job_state(result, submission_id=None, success_when=None, failure_when=None):
    """The state of one job's poll result (see the module constants)."""
    if not isinstance(result, dict):
        return PENDING
    # A registered result with failed_when: false has "failed" forced to false;
    # the module marks every failed call with "retryable", so that tells too.
    if result.get("failed") or "retryable" in result:
        return PENDING if result.get("retryable") else ERROR
    if _is_stale(result, submission_id):
        return PENDING
    if result.get("status") == _submission.NEVER_EXECUTED and submission_id is None:
        return NEVER_RUN
    if _matches(failure_when, result):
        return FAILED
    if _matches(success_when, result):
        return SUCCEEDED
    status = result.get("status")
    if _submission.is_succeeded(status):
        return SUCCEEDED
    if _submission.is_failure(status):
        return FAILED
    return PENDING


def wait_state(result, submission_id=None, success_when=None, failure_when=None):
    """The state of a poll: one job's result, or a batch result with ``jobs``.

    For a batch: ERROR when any job errs, NEVER_RUN when any has no run to wait
    for, PENDING while any is pending, FAILED when all ended and any failed,
    else SUCCEEDED. ``submission_id`` may then be a dict of job name to
    submission id.
    """
    if isinstance(result, dict) and isinstance(result.get("jobs"), list) and not result.get("failed"):
        states = []
        for job in result["jobs"]:
            if not isinstance(job, dict):
                states.append(PENDING)
                continue
            states.append(job_state(job, submission_for(job, submission_id), success_when, failure_when))
        if ERROR in states:
            return ERROR
        if NEVER_RUN in states:
            return NEVER_RUN
        if PENDING in states or not states:
            return PENDING
        return FAILED if FAILED in states else SUCCEEDED
    return job_state(result, submission_id, success_when, failure_when)


def is_done(result, **kwargs):
    return wait_state(result, **kwargs) in DONE_STATES
