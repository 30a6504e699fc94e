# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How long a run has taken, how long it may still take, how long it has been quiet.

Pure functions. Every figure is on the service's clock: the run's own dates
and the ``Date`` header of the answer that carried them, so a controller (or
module host) whose clock is off changes nothing. Without a readable ``Date``
header the figures that need "now" are null rather than guessed from a local
clock that may be minutes away from the service's.
"""

from __future__ import annotations

import calendar
import datetime
from email.utils import parsedate_tz

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission

FACT_KEYS = ("run_seconds", "eta_seconds", "idle_seconds", "service_time")


def service_time(date_header):
    """The service's clock from an answer's ``Date`` header, in epoch seconds; None when absent or unreadable."""
    parts = parsedate_tz(date_header) if isinstance(date_header, str) else None
    if parts is None:
        return None
    try:
        # datetime refuses what timegm would roll over (day 99, hour 25); HTTP dates are GMT,
        # and a zone the server did give is honoured.
        moment = datetime.datetime(*parts[:6])
    except (OverflowError, ValueError, TypeError):
        return None
    return calendar.timegm(moment.timetuple()) - (parts[9] or 0)


def _seconds_between(start_ms, end_ms):
    """Whole seconds from one epoch-millisecond date to another; never negative (the Date header has whole seconds)."""
    if start_ms is None or end_ms is None:
        return None
    return max(0, int(round((end_ms - start_ms) / 1000.0)))


def _now_ms(now):
    return None if now is None else now * 1000


def facts(submission, now):
    """``run_seconds``, ``eta_seconds``, ``idle_seconds`` and ``service_time`` of a normalised submission.

    ``now`` is the service's time in epoch seconds (``service_time``), or None.
    A finished run took from its execute date to its last update, and has
    nothing left; a running one has run until ``now``, and what is left is
    estimated from its progress at the pace so far (null before any progress).
    """
    result = dict(run_seconds=None, eta_seconds=None, idle_seconds=None, service_time=now)
    if not isinstance(submission, dict):
        return result
    started = submission.get("execute_date")
    updated = submission.get("last_update_date")
    if _submission.is_finished(submission.get("status")):
        result["run_seconds"] = _seconds_between(started, updated)
        result["eta_seconds"] = 0
    else:
        result["run_seconds"] = _seconds_between(started, _now_ms(now))
        progress = submission.get("progress")
        run = result["run_seconds"]
        if run is not None and isinstance(progress, (int, float)) and not isinstance(progress, bool) and 0 < progress <= 100:
            result["eta_seconds"] = int(round(run * (100.0 - progress) / progress))
    result["idle_seconds"] = _seconds_between(updated, _now_ms(now))
    return result


def with_facts(result, now):
    """``result`` (a status reading with a ``submission``) with the facts of its submission added."""
    result.update(facts(result.get("submission"), now))
    return result
