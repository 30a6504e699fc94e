# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the job_wait role watches for besides a job's end: a deadline, a run that stalls,
a failed job in a batch (fail fast), and the jobs to stop when the wait gives up.

Pure functions over the settings and the jobs of one poll; ``_verdict`` decides with them.
"""

from __future__ import annotations

import datetime
import time

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission

STALLED = "stalled"
# Only a run being executed can stall: a queued (PENDING) or BOOTING run has not
# started moving yet, and a finished one has every reason to stay the same.
_CAN_STALL = "RUNNING"
_EXAMPLE = "such as 2026-12-02T06:00:00Z or 2026-12-02T08:00:00+02:00"


def parse_deadline(value):
    """The deadline in epoch seconds, or None when unset; ValueError when it is not an ISO 8601 time with a zone.

    A time without a zone is refused rather than read on the controller's zone:
    the same playbook would end its waits at other moments on other machines.
    YAML reads an unquoted timestamp as a datetime, so one is taken as it is.
    """
    if value is None or value == "":
        return None
    moment = value
    if isinstance(value, str):
        text = value.strip()
        # Python before 3.11 does not read the Z of UTC.
        text = text[:-1] + "+00:00" if text[-1:] in ("Z", "z") else text
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError("must be an ISO 8601 date and time with a zone, %s, not %r" % (_EXAMPLE, value))
    if not isinstance(moment, datetime.datetime):
        raise ValueError("must be an ISO 8601 date and time with a zone, %s, not %r" % (_EXAMPLE, value))
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("needs a zone (Z for UTC, or an offset), %s, not %r" % (_EXAMPLE, value))
    return moment.timestamp()


def check(settings):
    """'' when the watch settings are usable, else what to fix."""
    stall = settings.get("stall_timeout")
    if stall is not None and not _positive(stall):
        return "job_wait_stall_timeout must be a number of seconds greater than 0 (unset: no stall watch), not %r" % (
            stall,)
    try:
        parse_deadline(settings.get("deadline"))
    except ValueError as error:
        return "job_wait_deadline %s" % error
    return ""


def _positive(value):
    if isinstance(value, bool):
        return False
    try:
        return float(value) > 0
    except (TypeError, ValueError):
        return False


def limit(settings, started):
    """(the epoch second the wait ends at, the words for it): the earlier of the timeout and the deadline."""
    by_timeout = started + float(settings["timeout"])
    deadline = parse_deadline(settings.get("deadline"))
    if deadline is None or deadline >= by_timeout:
        return by_timeout, "within %s seconds" % settings["timeout"]
    words = "by its deadline %s (job_wait_deadline)" % iso(deadline)
    if deadline <= started:
        words += ", which had passed when the wait began"
    return deadline, words


def idle_if_stalled(job, settings, wanted=None):
    """Seconds ``job`` (a pending job's poll result) has been idle when that makes it stalled, else None.

    A run older than the ``wanted`` submission is another caller's: its stall is not this wait's.
    """
    stall = settings.get("stall_timeout")
    if stall is None or not isinstance(job, dict) or job.get("status") != _CAN_STALL:
        return None
    seen, wanted = _submission.to_int(job.get("submission_id")), _submission.to_int(wanted)
    if wanted is not None and (seen is None or seen < wanted):
        return None
    idle = job.get("idle_seconds")
    if isinstance(idle, bool) or not isinstance(idle, (int, float)) or idle < float(stall):
        return None
    return idle


def stop_notes(stops, check_mode=False):
    """(stopped job names, names whose stop failed, the sentence) from the registered loop of cdm_job stops."""
    stopped, failed, words = [], [], []
    for entry in stops if isinstance(stops, list) else []:
        if not isinstance(entry, dict):
            continue
        name = entry.get("item") if isinstance(entry.get("item"), str) else entry.get("job_name")
        run = " (submission id %s)" % entry["submission_id"] if entry.get("submission_id") is not None else ""
        # cdm_job marks each failure with retryable and each success with its action.
        if "action" not in entry or "retryable" in entry:
            failed.append(name)
            words.append("the stop of %s failed: %s" % (name, entry.get("msg") or "no message"))
        elif entry["action"] == "stopped":
            stopped.append(name)
            words.append("%s %s%s" % ("would have stopped (check mode)" if check_mode else "stopped", name, run))
        else:
            words.append("%s had ended before the stop" % name)
    return stopped, failed, "; ".join(words) + " (job_wait_stop_on_timeout)" if words else ""


def iso(epoch_seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch_seconds))
