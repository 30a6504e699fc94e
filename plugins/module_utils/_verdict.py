# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The job_wait role's logic after each poll: where the wait stands, and why, in words.

The role's tasks only wire variables to ``verdict`` (once per poll, through the
``job_wait_verdict`` filter); its settings are checked once before, by ``_wait_settings``.
"""

from __future__ import annotations

import time

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _waiter
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _watch

TIMEOUT = "timeout"
STALLED = _watch.STALLED
# Keys Ansible adds to a registered result, not the module's.
_TASK_KEYS = frozenset(("invocation", "attempts", "retries", "changed", "changed_when_result", "failed_when_result",
                        "failed_when_suppressed_exception", "_ansible_no_log", "warnings", "deprecations"))


def poll_failed(poll):
    """Whether the poll's module call failed. The poll task's ``failed_when: false`` hides ``failed``:
    the module marks its own failures with ``retryable``, and a result without the keys of a
    success is a module that could not run at all (no Python, a result that did not deserialize)."""
    return "retryable" in poll or not ("status" in poll or "jobs" in poll)


# Waits (by start time) that have had a good answer. The poll loop is one task,
# so every verdict of a wait's loop is asked in the same Ansible worker process:
# this is how a poll knows whether an earlier one of its wait was answered.
_ANSWERED = set()
# The last look (``final``) is taken once per wait: the task that records the
# result asks it for two facts, and both must be the same result.
_FINAL = {}


def verdict(poll, settings, started, polls=1, final=False, now=None, stops=None):
    """Where the wait stands after ``poll`` (the registered result), as a dict.

    A transient failure is waited out until ``timeout`` (or the ``deadline``, the
    earlier), except while the wait has not had a single good answer: past
    ``first_answer_timeout`` that is a setup error, not the job's doing.
    ``final`` is the last look, after the poll loop: a wait still pending then
    is a timeout, or the setup error that ended the loop before its deadline.
    ``stops`` are the registered stops of the jobs the verdict named in ``stop``.
    """
    poll = poll if isinstance(poll, dict) else {}
    now = time.time() if now is None else now
    started = float(started)
    if final and (started, polls) in _FINAL:
        return _with_stops(_FINAL[(started, polls)], stops, settings)
    elapsed = now - started
    failed = poll_failed(poll)
    if not failed:
        _ANSWERED.add(started)
    state = _waiter.wait_state(dict(poll, failed=failed), submission_id=settings.get("submission_id"),
                               success_when=settings.get("success_when") or None,
                               failure_when=settings.get("failure_when") or None)
    setup = False
    ends_at, limit_words = _watch.limit(settings, started)
    past_deadline = now >= ends_at
    watched = {}
    if state == _waiter.PENDING and not failed and (settings.get("fail_fast") or settings.get("stall_timeout")):
        state, watched = _watched(poll, settings)
    if state == _waiter.PENDING:
        if final:
            # Another worker: the loop ended before its deadline only on the grace.
            setup = failed and not past_deadline
        else:
            setup = failed and started not in _ANSWERED and elapsed >= float(settings["first_answer_timeout"])
        if setup:
            state = _waiter.ERROR
        elif final or past_deadline:
            state = TIMEOUT
    result = dict((key, value) for key, value in poll.items() if key not in _TASK_KEYS)
    if isinstance(result.get("jobs"), list):
        result["jobs"] = [dict(job) if isinstance(job, dict) else job for job in result["jobs"]]
    result.update(failed=failed, state=state, elapsed=round(elapsed, 1), polls=polls)
    old_runs = _note_old_runs(result, settings, started, now)
    if watched.get("stalled"):
        result["stalled_jobs"] = list(watched["stalled"])
    result["message"] = _message(state, result, settings, setup, old_runs, watched, limit_words)
    outcome = {
        "state": state,
        "done": state != _waiter.PENDING,
        "answered": not failed,
        "fails": state in (_waiter.ERROR, _waiter.NEVER_RUN, TIMEOUT, STALLED) or (
            state == _waiter.FAILED and bool(settings.get("fail_on_failure", True))),
        "stop": _to_stop(state, result, settings),
        "result": result,
    }
    if final:
        _FINAL.clear()
        _FINAL[(started, polls)] = outcome
    return _with_stops(outcome, stops, settings)


def _watched(poll, settings):
    """(state, what was seen) of a pending poll with job_wait_fail_fast or job_wait_stall_timeout set.

    A failed job ends a fail-fast batch before a stall does: it is the job's own
    outcome, a stall only a guess that it will not end.
    """
    states = [(job, _job_state(job, settings)) for job in _jobs(poll)]
    if settings.get("fail_fast") and "jobs" in poll and any(state == _waiter.FAILED for _job, state in states):
        return _waiter.FAILED, {"fail_fast": True}
    stalled = dict((job.get("job_name"), idle) for job, idle in (
        (job, _watch.idle_if_stalled(job, settings, _wanted(job, settings)))
        for job, state in states if state == _waiter.PENDING)
        if idle is not None)
    return (STALLED, {"stalled": stalled}) if stalled else (_waiter.PENDING, {})


def _to_stop(state, result, settings):
    """The jobs to stop: those not known to have ended, when the wait gave up on them and may stop them."""
    if state not in (TIMEOUT, STALLED) or not settings.get("stop_on_timeout"):
        return []
    if settings.get("job_names") and not isinstance(result.get("jobs"), list):
        return list(settings["job_names"])   # the batch's last poll failed as a whole: none is known to have ended
    label = settings.get("job_name")
    return [job.get("job_name") or label for job in _jobs(result) if _job_state(job, settings) == _waiter.PENDING]


def _with_stops(outcome, stops, settings):
    """The outcome with what the stops of its jobs did, in the result and at the end of the message."""
    if not stops:
        return outcome
    stopped, failed, words = _watch.stop_notes(stops, settings.get("check_mode"))
    result = dict(outcome["result"], stopped_jobs=stopped, stop_failed_jobs=failed)
    if words:
        result["message"] = "%s; %s" % (result["message"], words)
    return dict(outcome, result=result)


def _jobs(result):
    return result["jobs"] if isinstance(result.get("jobs"), list) else [result]


def _note_old_runs(result, settings, started, now):
    """Mark each job whose reported run began before the wait; return the notes for the message.

    A run that also ended before the wait is called old only when the caller did not say which
    run to expect: with a submission id, the run is the awaited one, or the wait goes on.
    """
    notes = []
    for job in _jobs(result):
        if not isinstance(job, dict) or not isinstance(job.get("submission"), dict):
            continue
        run = job["submission"]
        began = run.get("execute_date") or run.get("creation_date")
        if not isinstance(began, (int, float)) or began / 1000.0 >= started:
            continue
        job["ran_before_wait"] = True
        job["run_started_at"] = _watch.iso(began / 1000.0)
        ended = run.get("last_update_date") if job.get("finished") else None
        if isinstance(ended, (int, float)):
            job["run_ended_at"] = _watch.iso(ended / 1000.0)
            job["run_ended_ago"] = round(now - ended / 1000.0, 1)
            if ended / 1000.0 < started and _wanted(job, settings) is None:
                notes.append("%s's run (submission id %s) started %s and ended %s, %s ago, before this wait began: "
                             "it is not a new run" % (job.get("job_name"), job.get("submission_id"),
                                                      job["run_started_at"], job["run_ended_at"],
                                                      duration(job["run_ended_ago"])))
    if notes:
        notes.append("to wait for a new run, start the job and give job_wait_submission_id")
    return notes


def _message(state, result, settings, setup, old_runs, watched, limit_words):
    label = settings.get("job_name") or ", ".join(settings.get("job_names") or ())
    jobs = _jobs(result)
    if state == _waiter.SUCCEEDED:
        if "jobs" in result:
            text = "CDM jobs %s all succeeded" % label
        elif result.get("status") == "SUCCEEDED":
            text = "CDM job %s" % _run_words(result, "ended SUCCEEDED")
        else:
            text = "CDM job %s" % _run_words(result, "is %s: job_wait_success_when matched" % result.get("status"))
    elif state == _waiter.FAILED:
        text = "; ".join(_failure(job, settings) for job in jobs if _job_state(job, settings) == _waiter.FAILED)
        if watched.get("fail_fast"):
            text += "; not waited for (job_wait_fail_fast): %s" % "; ".join(
                _last_seen(job, settings) for job in jobs if _job_state(job, settings) == _waiter.PENDING)
    elif state == STALLED:
        text = "; ".join(_stall(job, watched["stalled"][job.get("job_name")], settings, result["elapsed"])
                         for job in jobs if job.get("job_name") in watched["stalled"])
        others = [_last_seen(job, settings) for job in jobs
                  if job.get("job_name") not in watched["stalled"] and _job_state(job, settings) == _waiter.PENDING]
        if others:
            text += "; still running: %s" % "; ".join(others)
    elif state == _waiter.NEVER_RUN:
        names = [job.get("job_name") or label for job in jobs if _job_state(job, settings) == _waiter.NEVER_RUN]
        text = ("CDM job %s has never run, so there is no run to wait for: start it first (the console, the CDM "
                "start call, or ansible-playbook huaweicloud.cdm.start_and_wait), or give job_wait_submission_id "
                "of the run just started" % ", ".join(names))
    elif state == _waiter.ERROR and setup:
        text = ("Waiting for CDM job %s stopped after %s without a single answer from the CDM API, so the cause "
                "is the setup, not the job: %s. Check endpoint (or region and cloud), the network and the "
                "credentials (job_wait_first_answer_timeout sets this grace)"
                % (label, duration(result["elapsed"]), result.get("msg") or "no answer"))
    elif state == _waiter.ERROR:
        why = [_error(job, result) for job in jobs if _job_state(job, settings) == _waiter.ERROR] or [_error(result, result)]
        text = "Waiting for CDM job %s stopped at once, as waiting longer would not help: %s" % (label, "; ".join(why))
    elif state == TIMEOUT:
        polls = result["polls"]
        text = "CDM job %s did not finish %s (%s poll%s); last seen: %s" % (
            label, limit_words, polls, "" if polls == 1 else "s",
            "; ".join(_last_seen(job, settings) for job in jobs))
    else:
        text = "waiting for CDM job %s" % label
    return "; ".join([text] + old_runs)


def _wanted(job, settings):
    """The submission id the caller awaits for this job, or None."""
    return _waiter.submission_for(job, settings.get("submission_id"))


def _job_state(job, settings):
    wanted = _wanted(job, settings)
    return _waiter.job_state(dict(job, failed=poll_failed(job)),
                             submission_id=wanted, success_when=settings.get("success_when") or None,
                             failure_when=settings.get("failure_when") or None)


def _run_words(job, verb):
    run = " (submission id %s)" % job["submission_id"] if job.get("submission_id") is not None else ""
    return "%s%s %s" % (job.get("job_name") or "", run, verb)


def _failure(job, settings):
    verb = "ended %s" % job.get("status") if job.get("finished") else "is %s" % job.get("status", "UNKNOWN")
    why = job.get("error_summary") or "no error summary"
    plain = dict(settings, success_when=None, failure_when=None)
    if settings.get("failure_when") and _job_state(job, plain) != _waiter.FAILED:
        why = "job_wait_failure_when matched: %s" % settings["failure_when"]
    return "CDM job %s: %s" % (_run_words(job, verb), why)


def _stall(job, idle, settings, elapsed):
    return "CDM job %s has stalled: no change for %s, longer than job_wait_stall_timeout (%s s), %s into the wait" % (
        _last_seen(job, settings), duration(idle), settings["stall_timeout"], duration(elapsed))


def _error(job, result):
    msg = job.get("msg") or result.get("msg") or "the status call failed"
    if "retryable" not in job and "jobs" not in job:
        msg = "the status call could not be made: %s" % msg
    return "%s: %s" % (job.get("job_name"), msg) if job.get("job_name") else msg


def _last_seen(job, settings):
    if "status" not in job:
        return "%s: the last poll failed: %s" % (job.get("job_name") or "", job.get("msg") or "no answer")
    progress = " at %s%%" % job["progress"] if isinstance(job.get("progress"), (int, float)) and job["progress"] >= 0 else ""
    run = " (submission id %s)" % job["submission_id"] if job.get("submission_id") is not None else ""
    seen = "%s %s%s%s" % (job.get("job_name") or "", job["status"], progress, run)
    if job.get("finished") and _job_state(job, settings) == _waiter.PENDING:
        seen += ", older than the awaited submission id %s" % _wanted(job, settings)
    return seen


def duration(seconds):
    """'12 h 5 min', '3 min 10 s', '45 s': how long, in words a log reader takes in at a glance."""
    seconds = int(round(max(float(seconds), 0)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "%d h %d min" % (hours, minutes)
    return "%d min %d s" % (minutes, secs) if minutes else "%d s" % secs
