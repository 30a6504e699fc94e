# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one retry policy: which failures are retried and how long to wait between tries."""

from __future__ import annotations

import math
import random

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors

BASE_DELAY = 0.5
MAX_DELAY = 10.0
# A Retry-After beyond this is treated as this: a gateway asking for an hour
# must not stall a pipeline past its timeout.
MAX_RETRY_AFTER = 30.0


def parse_retry_after(value):
    """Seconds from a Retry-After header (delta-seconds form); None when absent or odd."""
    if value is None:
        return None
    try:
        seconds = float(str(value).strip())
    except ValueError:
        return None
    if math.isnan(seconds) or seconds < 0:
        return None
    return seconds


def backoff_delay(attempt, retry_after=None, rng=random.random, base=BASE_DELAY, cap=MAX_DELAY,
                  max_retry_after=MAX_RETRY_AFTER):
    """Seconds to sleep before retry number ``attempt`` (1 for the first retry).

    Full-jitter exponential backoff, unless the server said how long to wait:
    then that, capped at ``max_retry_after``.
    """
    if retry_after is not None:
        return min(retry_after, max_retry_after)
    ceiling = min(cap, base * (2 ** max(attempt - 1, 0)))
    return ceiling * (0.5 + rng() / 2)


def not_delivered(error):
    """Whether the request behind ``error`` provably never reached CDM.

    A refused connection carried nothing; 429 and a 503 with the gateway's own
    ``APIG.``/``APIGW.`` code are the gateway's answers, given in CDM's place.
    Anything else (a timeout or a dropped connection after sending, another
    5xx) may have been carried out.
    """
    if getattr(error, "not_sent", False):
        return True
    status = getattr(error, "http_status", None)
    return status == 429 or (status == 503 and _errors.gateway_code(getattr(error, "error_code", None)) is not None)


def should_retry(error, attempt, retries, idempotent=True):
    """Whether to make another attempt after ``error`` (a CdmError) on try ``attempt``.

    A call that is not idempotent (starting a job) is sent again only when the
    first try provably never reached the service: a second start is a second run.
    """
    if not getattr(error, "retryable", False) or attempt > retries:
        return False
    return idempotent or not_delivered(error)
