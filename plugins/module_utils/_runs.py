# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Starting and stopping a job's run, and what each answer means.

Each decision starts from the job's status, read first: a start is sent only
when no run is active, a stop only when one may be. Two answers are the other
caller's doing, not errors: "job is running" (Cdm.0052) to a start is another
pipeline's run, "job is not running" (Cdm.0053) to a stop a run that ended
meanwhile. When a start's answer is lost after it was sent, the status is read
again to learn whether it started; it is never sent a second time.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _jobs
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _timing

# The states a run can be put in; issue 16's present/absent (the definition) go beside them.
STATES = ("started", "stopped")
# A run in one of these is in progress: a start would be refused with Cdm.0052.
ACTIVE_STATUSES = frozenset(("PENDING", "BOOTING", "RUNNING"))
JOB_RUNNING = "Cdm.0052"
JOB_NOT_RUNNING = "Cdm.0053"
RESULT_KEYS = ("status", "progress", "finished", "succeeded", "submission_id", "submission", "request_id") + _timing.FACT_KEYS
_NO_ERROR = {"http_status": None, "error_code": None, "error_message": None, "request_id": None, "retryable": False}


class RunFailure(Exception):
    """The task fails; ``result`` is what it returns besides the job and cluster (msg, code, request id, ...)."""

    def __init__(self, message, error=None, reading=None, **fields):
        super(RunFailure, self).__init__(message)
        self.result = dict((key, reading.get(key)) for key in RESULT_KEYS) if reading else {}
        self.result.update(error.as_result() if error is not None else _NO_ERROR)
        self.result.update(fields, msg=message)


def _is_newer(after, before):
    """Whether the newest run read ``after`` is a later run than the newest read ``before``."""
    for key in ("submission_id", "creation_date"):
        new = (after.get("submission") or {}).get(key)
        old = (before.get("submission") or {}).get(key)
        if new is not None:
            return old is None or new > old
    return False


class JobRun(object):
    """One task's run control of one job on one cluster; ``warnings`` collects what the task should say."""

    def __init__(self, cluster, job_name, check_mode=False):
        self.cluster = cluster
        self.job_name = job_name
        self.check_mode = check_mode
        self.warnings = []

    def _read(self):
        reading, _body = _jobs.job_status(self.cluster, self.job_name)
        return reading

    def _put(self, action, body=None):
        return self.cluster.client.call("PUT", self.cluster.url("job", self.job_name, action), body=body)

    def _result(self, action, changed, reading, request_id=None):
        result = dict((key, reading.get(key)) for key in RESULT_KEYS)
        result.update(changed=changed, action=action, job_name=self.job_name, cluster_id=self.cluster.cluster_id)
        if request_id:
            result["request_id"] = request_id
        return result

    def _read_again(self, error, what):
        """The status after an answer that says nothing about the run; a failed read fails the task, as retryable."""
        try:
            return self._read()
        except _errors.CdmError as read_error:
            raise RunFailure("%s (%s), and its status could not be read: %s; run the task again: it reads the "
                             "status first" % (what, error.message, read_error.message), error, retryable=True)

    def started(self, variables=None):
        before = self._read()
        if before["status"] in ACTIVE_STATUSES:
            return self._result("already_running", False, before)
        if self.check_mode:
            return self._result("started", True, before)
        try:
            reply = self._put("start", {"variables": variables} if variables else None)
        except _errors.CdmError as error:
            if error.error_code == JOB_RUNNING:
                other = self._read_again(error, "job %s was started by another caller first" % self.job_name)
                return self._result("already_running", False, other, error.request_id)
            if error.outcome_unknown:
                return self._after_lost_start(error, before)
            raise RunFailure("could not start job %s: %s" % (self.job_name, error.message), error)
        answer, request_id = reply
        reading = _timing.with_facts(_submission.summarise(answer, job_name=self.job_name), reply.date)
        reading["request_id"] = request_id
        if reading["submission_id"] is None:
            # The start's answer may leave the submission id out; the status has it.
            found = self._read_or(reading, "after the start")
            if _is_newer(found, before):
                reading = dict(found, request_id=request_id)
            elif reading["submission"] is None:
                raise RunFailure("CDM accepted the start of job %s but shows no run for it (request id: %s)"
                                 % (self.job_name, request_id), request_id=request_id, retryable=True)
        return self._checked_start(reading)

    def _checked_start(self, reading):
        """The result of a start that made a run, or the failure of one that ended at once."""
        if _submission.is_failure(reading["status"]):
            raise RunFailure(
                "job %s could not be started: its run (submission id %s) ended %s at once: %s (request id: %s)"
                % (self.job_name, reading["submission_id"], reading["status"],
                   reading.get("error_summary") or "no error summary", reading["request_id"] or "none"),
                reading=reading, error_message=reading.get("error_summary"), request_id=reading["request_id"])
        return self._result("started", True, reading)

    def _after_lost_start(self, error, before):
        what = "the start of job %s got no answer" % self.job_name
        after = self._read_again(error, what + ", so whether a run started is unknown")
        if _is_newer(after, before):
            self.warnings.append("%s (%s); the status shows the run it started, submission id %s"
                                 % (what, error.message, after["submission_id"]))
            return self._checked_start(after)
        if after["status"] in ACTIVE_STATUSES:
            return self._result("already_running", False, after)
        raise RunFailure("%s (%s) and the status shows no new run: it has not started, and no second start was "
                         "sent; run the task again, it reads the status first" % (what, error.message), error,
                         retryable=True)

    def stopped(self):
        before = self._read()
        # Only what is certainly not running is left alone; the API says the rest (Cdm.0053).
        if before["finished"] or before["status"] == _submission.NEVER_EXECUTED:
            return self._result("not_running", False, before)
        if self.check_mode:
            return self._result("stopped", True, before)
        try:
            reply = self._put("stop")
        except _errors.CdmError as error:
            if error.error_code == JOB_NOT_RUNNING:
                return self._result("not_running", False, self._read_or(before, "after the stop"), error.request_id)
            if error.outcome_unknown:
                after = self._read_again(error, "the stop of job %s got no answer" % self.job_name)
                if after["finished"]:
                    self.warnings.append("the stop of job %s got no answer (%s); its run has ended since, status %s"
                                         % (self.job_name, error.message, after["status"]))
                    return self._result("stopped", True, after)
                raise RunFailure("the stop of job %s got no answer (%s) and its run (submission id %s) is still %s; "
                                 "run the task again" % (self.job_name, error.message, after["submission_id"],
                                                         after["status"]), error, reading=after, retryable=True)
            raise RunFailure("could not stop job %s: %s" % (self.job_name, error.message), error)
        answer, request_id = reply
        self._check_validation(answer, request_id)
        if _submission.extract_submissions(answer):
            reading = _timing.with_facts(_submission.summarise(answer, job_name=self.job_name), reply.date)
        else:
            # A stop is asynchronous and its usual answer is {}: the status says where the run stands.
            reading = self._read_or(before, "after the stop")
        return self._result("stopped", True, reading, request_id)

    def _read_or(self, known, when):
        """The status read now, or what is ``known`` (with a warning) when it cannot be read."""
        try:
            return self._read()
        except _errors.CdmError as error:
            self.warnings.append("could not read the status of job %s %s (%s); the result shows what was known "
                                 "before" % (self.job_name, when, error.message))
            return known

    def _check_validation(self, answer, request_id):
        """ERROR entries of a ``validation-result`` fail the task; WARNING entries become warnings."""
        errors, warnings = _submission.validation_results(answer)
        self.warnings.extend("stopping job %s: %s" % (self.job_name, message) for message in warnings)
        if errors:
            raise RunFailure("CDM refused to stop job %s: %s (request id: %s)"
                             % (self.job_name, "; ".join(errors), request_id or "none"),
                             http_status=200, error_message="; ".join(errors), request_id=request_id)


def ensure(cluster, job_name, state, variables=None, check_mode=False):
    """(result, warnings) for putting ``job_name``'s run in ``state`` (one of STATES)."""
    run = JobRun(cluster, job_name, check_mode)
    result = run.started(variables) if state == "started" else run.stopped()
    return result, run.warnings
