# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: job_progress
type: aggregate
author: huaweicloud.cdm contributors (@huaweicloud)
version_added: 1.1.0
short_description: One line per poll of a CDM job - status, progress, time, outcome
description:
  - While a task of M(huaweicloud.cdm.cdm_job_status) or M(huaweicloud.cdm.cdm_job) polls in an C(until)
    loop (the P(huaweicloud.cdm.job_wait#role) role's poll included), prints one line per poll at default
    verbosity, for example C(jdbc2hive  RUNNING  45%  elapsed 3m10s  ~3m55s left  (submission 1201)), and on
    the task's final result the outcome - rows and bytes written, or the error summary.
  - The elapsed time and the time left come from the result's C(run_seconds) and C(eta_seconds); without
    them the line says how long the task has waited, and no time left.
  - >-
    A batch task (O(huaweicloud.cdm.cdm_job_status#module:job_names)) prints one summary line per poll
    (C(12/100 finished: 11 succeeded, 1 failed; 88 running, slowest orders_to_dws 35%)) and a line for each
    job whose status changed since the previous poll (at most 10; then how many more changed).
  - It works beside any stdout callback and prints nothing for other tasks. It prints only the fields named
    here, never a result or the task's arguments, so nothing secret reaches the output at any verbosity.
  - A result that is a failure (an API error, missing fields, a status the API adds later) gives a line
    with what is known, never an error of the callback.
  - Enable it with C(callbacks_enabled = huaweicloud.cdm.job_progress) in the C([defaults]) section of
    C(ansible.cfg), or with E(ANSIBLE_CALLBACKS_ENABLED=huaweicloud.cdm.job_progress).
requirements:
  - Enabled in C(callbacks_enabled).
notes:
  - Ansible shows a task's result only when the task ends, so the lines come from the C(until) loop's
    retries; a task without C(until) prints its one line when it ends.
"""

import time

from ansible.plugins.callback import CallbackBase

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _verdict

MODULES = frozenset(("cdm_job_status", "cdm_job"))
RUNNING_STATUSES = frozenset(("RUNNING", "BOOTING"))
# A poll of 100 jobs that all changed still prints a screenful, not 100 lines.
MAX_CHANGED_LINES = 10
# An error summary is the API's text; one line of it is enough to act on.
MAX_TEXT = 200


def duration(seconds):
    """'45s', '3m10s', '1h02m': short enough to sit in a line per poll."""
    seconds = int(round(max(float(seconds), 0)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "%dh%02dm" % (hours, minutes)
    return "%dm%02ds" % (minutes, secs) if minutes else "%ds" % secs


def _number(value):
    """A number from a result field, or None: fields can be missing, null or of the wrong type."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _text(value):
    """One line of at most MAX_TEXT characters, or '' when there is no text."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    words = " ".join(str(value).split())
    return words if len(words) <= MAX_TEXT else words[:MAX_TEXT - 3] + "..."


def _percent(progress):
    progress = _number(progress)
    if progress is None or progress < 0:
        return ""
    return "%d%%" % int(progress) if progress == int(progress) else "%.1f%%" % progress


def call_failed(job):
    """Whether the status call for this job failed (see _verdict.poll_failed; failed_when hides 'failed')."""
    return bool(job.get("failed")) or _verdict.poll_failed(job)


def is_finished(job):
    return job.get("finished") is True or job.get("status") in _submission.FINISHED_STATUSES


def is_succeeded(job):
    return job.get("succeeded") is True or job.get("status") == _submission.SUCCEEDED


def _error(job):
    """The failed call in words: HTTP status, error code, message, request id, whichever are there."""
    parts = ["API error"]
    if _number(job.get("http_status")) is not None:
        parts.append("HTTP %d" % job["http_status"])
    code = _text(job.get("error_code"))
    message = _text(job.get("error_message")) or _text(job.get("msg"))
    parts.append(("%s: %s" % (code, message) if code else message) if message else code)
    if _text(job.get("request_id")):
        parts.append("(request id %s)" % _text(job["request_id"]))
    return "  ".join(part for part in parts if part)


def _outcome(job):
    """What a finished run did: rows and bytes written, or the error summary."""
    if is_succeeded(job):
        counters = job.get("counters") if isinstance(job.get("counters"), dict) else {}
        written = ["%s %d" % (name.replace("_", " "), counters[name])
                   for name in ("rows_written", "bytes_written") if _number(counters.get(name)) is not None]
        return ", ".join(written)
    summary = _text(job.get("error_summary"))
    return "error: %s" % summary if summary else ""


def job_line(job, name=None, final=False, waited=None):
    """The line for one job: name, status, progress, times, outcome, submission."""
    parts = [_text(job.get("job_name")) or name or "CDM job"]
    if call_failed(job):
        parts.append(_error(job))
        if not final and job.get("retryable") is not False:
            parts.append("(polling again)")
        return "  ".join(parts)
    if _text(job.get("action")):
        parts.append(_text(job["action"]))
    parts.append(_text(job.get("status")) or "no status")
    if not is_finished(job):
        parts.append(_percent(job.get("progress")))
    run_seconds, eta_seconds = _number(job.get("run_seconds")), _number(job.get("eta_seconds"))
    if run_seconds is not None:
        parts.append("elapsed %s" % duration(run_seconds))
    elif waited is not None and not is_finished(job):
        parts.append("waited %s" % duration(waited))
    if eta_seconds is not None and not is_finished(job):
        parts.append("~%s left" % duration(eta_seconds))
    if is_finished(job):
        parts.append(_outcome(job))
    elif final and waited is not None and job.get("status") is not None:
        parts.append("not finished")
    if _number(job.get("submission_id")) is not None:
        parts.append("(submission %d)" % job["submission_id"])
    return "  ".join(part for part in parts if part)


def batch_summary(jobs):
    """'12/100 finished: 11 succeeded, 1 failed; 88 running, slowest orders_to_dws 35%'."""
    finished = [job for job in jobs if not call_failed(job) and is_finished(job)]
    succeeded = sum(1 for job in finished if is_succeeded(job))
    unreadable = sum(1 for job in jobs if call_failed(job))
    running = [job for job in jobs if not call_failed(job) and job.get("status") in RUNNING_STATUSES]
    line = "%d/%d finished: %d succeeded, %d failed" % (len(finished), len(jobs), succeeded, len(finished) - succeeded)
    rest = ["%d running" % len(running)] if running else []
    other = len(jobs) - len(finished) - unreadable - len(running)
    if other:
        rest.append("%d not running" % other)
    if unreadable:
        rest.append("%d unreadable" % unreadable)
    slowest = _slowest(running)
    if slowest:
        rest[0] += ", slowest " + slowest
    return line + ("; " + ", ".join(rest) if rest else "")


def _slowest(running):
    """The running job that will end last: the most time left, else the least progress; '' when unknown."""
    with_eta = [job for job in running if _number(job.get("eta_seconds")) is not None]
    with_progress = [job for job in running if _number(job.get("progress")) is not None]
    if with_eta:
        job = max(with_eta, key=lambda job: job["eta_seconds"])
    elif with_progress:
        job = min(with_progress, key=lambda job: job["progress"])
    else:
        return ""
    eta = "~%s left" % duration(job["eta_seconds"]) if _number(job.get("eta_seconds")) is not None else ""
    return " ".join(part for part in (_text(job.get("job_name")) or "?", _percent(job.get("progress")), eta) if part)


def job_state(job):
    """What a 'changed since the previous poll' compares: BOOTING to RUNNING is no news, as the summary
    counts both as running and a hundred jobs started together would each print a line for it."""
    if call_failed(job):
        return "error"
    status = job.get("status") if isinstance(job.get("status"), str) else None
    return "RUNNING" if status in RUNNING_STATUSES else status


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "huaweicloud.cdm.job_progress"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        # Per (task, host, loop item): when it started, and each batch job's state at the previous poll.
        self._started = {}
        self._states = {}

    def v2_runner_on_start(self, host, task):
        # The wait is timed from the task's start, so the first poll's line says how long it took.
        if _is_ours(task):
            self._started[(getattr(task, "_uuid", None), getattr(host, "name", None), None)] = time.monotonic()

    def v2_runner_retry(self, result):
        self._report(result, final=False)

    def v2_runner_on_ok(self, result):
        self._report(result, final=True)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._report(result, final=True)

    def v2_runner_item_on_ok(self, result):
        self._report(result, final=True)

    def v2_runner_item_on_failed(self, result):
        self._report(result, final=True)

    def _report(self, result, final):
        try:
            task, host, fields = _parts(result)
            if not _is_ours(task) or not isinstance(fields, dict) or fields.get("skipped"):
                return
            key = (getattr(task, "_uuid", None), getattr(host, "name", None), _item(fields))
            if isinstance(fields.get("results"), list):
                # The end of a loop: each item had its line when it ended.
                self._started.pop(key, None)
                return
            lines = self._lines(key, task, fields, final)
        except Exception as error:  # a progress line is never worth failing a playbook run for
            self._display.vvv("huaweicloud.cdm.job_progress: no line for this result (%s)" % type(error).__name__)
            return
        for line in lines:
            self._display.display(line)

    def _lines(self, key, task, fields, final):
        now = time.monotonic()
        # A loop item's wait counts from the loop's start until its own first poll.
        started = self._started.setdefault(key, self._started.get(key[:2] + (None,), now))
        waited = now - started
        if final:
            self._started.pop(key, None)
        jobs = fields.get("jobs")
        if not isinstance(jobs, list):
            # Only an until loop has waited: a task without one has its single answer.
            waited = waited if "attempts" in fields else None
            return [job_line(fields, name=_job_name(task, fields), final=final, waited=waited)]
        jobs = [job for job in jobs if isinstance(job, dict)]
        previous = self._states.pop(key, {}) if final else self._states.get(key, {})
        current = dict((_text(job.get("job_name")), job_state(job)) for job in jobs)
        if not final:
            self._states[key] = current
        # Before the first poll each job is taken as running, so a first poll prints the jobs that are not.
        changed = [job for job in jobs
                   if job_state(job) != previous.get(_text(job.get("job_name")), "RUNNING")]
        lines = [batch_summary(jobs)]
        lines += ["  " + job_line(job, final=final) for job in changed[:MAX_CHANGED_LINES]]
        if len(changed) > MAX_CHANGED_LINES:
            lines.append("  ... and %d more changed" % (len(changed) - MAX_CHANGED_LINES))
        return lines


def _parts(result):
    """The task, host and result fields, through the names both ansible-core 2.16 and 2.19+ have."""
    task = getattr(result, "task", None) or result._task
    host = getattr(result, "host", None) or result._host
    fields = getattr(result, "result", None)
    return task, host, fields if fields is not None else result._result


def _item(fields):
    """Which loop item a result is for (None outside loops): loop items each have their own memory."""
    loop_var = fields.get("ansible_loop_var") if isinstance(fields.get("ansible_loop_var"), str) else "item"
    return repr(fields[loop_var])[:200] if loop_var in fields else None


def _is_ours(task):
    """A task of this collection's status or job module, named by FQCN or (with collections:) short name."""
    action = getattr(task, "resolved_action", None) or getattr(task, "action", None) or ""
    if "." in action:
        return action.startswith("huaweicloud.cdm.") and action[len("huaweicloud.cdm."):] in MODULES
    return action in MODULES


def _job_name(task, fields):
    """The job's name for a result that lacks it (a refused option): the task's argument, if templated."""
    invocation = fields.get("invocation") if isinstance(fields.get("invocation"), dict) else {}
    args = invocation.get("module_args") if isinstance(invocation.get("module_args"), dict) else {}
    name = _text(args.get("job_name"))
    return name if name and "{{" not in name else None
