# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _retry


def no_jitter():
    return 0.999999999


def most_jitter():
    return 0.0


# Backoff

def test_backoff_grows_with_each_attempt():
    delays = [_retry.backoff_delay(attempt, rng=no_jitter) for attempt in range(1, 6)]
    assert delays == sorted(delays)
    assert delays[1] == pytest.approx(2 * delays[0])
    assert delays[0] == pytest.approx(_retry.BASE_DELAY)


def test_backoff_is_capped():
    assert _retry.backoff_delay(50, rng=no_jitter) == pytest.approx(_retry.MAX_DELAY)
    assert _retry.backoff_delay(1000, rng=no_jitter) <= _retry.MAX_DELAY


def test_attempt_zero_waits_like_the_first_retry():
    assert _retry.backoff_delay(0, rng=no_jitter) == _retry.backoff_delay(1, rng=no_jitter)


def test_jitter_takes_at_most_half_of_the_delay_away():
    assert _retry.backoff_delay(3, rng=most_jitter) == pytest.approx(_retry.BASE_DELAY * 4 / 2)


@given(st.integers(min_value=1, max_value=200), st.floats(min_value=0.0, max_value=1.0, exclude_max=True))
def test_jittered_delay_stays_within_half_and_full_ceiling(attempt, draw):
    ceiling = min(_retry.MAX_DELAY, _retry.BASE_DELAY * 2 ** (attempt - 1))
    delay = _retry.backoff_delay(attempt, rng=lambda: draw)
    assert ceiling / 2 <= delay <= ceiling


def test_base_and_cap_can_be_chosen():
    assert _retry.backoff_delay(10, rng=no_jitter, base=1.0, cap=3.0) == pytest.approx(3.0)


def test_default_rng_gives_delays_in_bounds():
    delays = [_retry.backoff_delay(1) for _draw in range(50)]
    assert all(0.25 <= delay <= 0.5 for delay in delays)


# Retry-After

def test_retry_after_is_honoured_instead_of_backoff():
    assert _retry.backoff_delay(1, retry_after=4.0, rng=no_jitter) == 4.0


def test_retry_after_is_honoured_on_a_late_attempt_too():
    assert _retry.backoff_delay(9, retry_after=2.0, rng=no_jitter) == 2.0


@pytest.mark.parametrize("header", ["3600", "86400", "1e12", "inf"])
def test_absurd_retry_after_is_capped(header):
    assert _retry.backoff_delay(1, retry_after=_retry.parse_retry_after(header)) == _retry.MAX_RETRY_AFTER


def test_retry_after_cap_can_be_chosen():
    assert _retry.backoff_delay(1, retry_after=100.0, max_retry_after=5.0) == 5.0


@pytest.mark.parametrize("header, seconds", [("0", 0.0), ("5", 5.0), (" 7 ", 7.0), ("1.5", 1.5), (12, 12.0)])
def test_retry_after_seconds_are_parsed(header, seconds):
    assert _retry.parse_retry_after(header) == seconds


@pytest.mark.parametrize("header", [None, "", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", "-1", "nan", "5s"])
def test_unparseable_retry_after_is_ignored(header):
    assert _retry.parse_retry_after(header) is None


def test_ignored_retry_after_falls_back_to_backoff():
    assert _retry.backoff_delay(2, retry_after=_retry.parse_retry_after("tomorrow"), rng=no_jitter) == pytest.approx(1.0)


# should_retry

def retryable_error():
    return _errors.CdmError("503", http_status=503, retryable=True)


def final_error():
    return _errors.CdmError("400", http_status=400, retryable=False)


def test_retryable_error_is_retried_while_attempts_remain():
    assert _retry.should_retry(retryable_error(), 1, 3) is True
    assert _retry.should_retry(retryable_error(), 3, 3) is True


def test_retryable_error_is_not_retried_once_retries_are_used_up():
    assert _retry.should_retry(retryable_error(), 4, 3) is False


def test_zero_retries_means_one_attempt():
    assert _retry.should_retry(retryable_error(), 1, 0) is False


def test_final_error_is_never_retried():
    assert _retry.should_retry(final_error(), 1, 10) is False


def test_an_exception_without_retryable_is_not_retried():
    assert _retry.should_retry(ValueError("x"), 1, 10) is False


# Writes (idempotent=False): sent again only when they provably never reached CDM

def error(status=None, code=None, not_sent=False):
    made = _errors.CdmError("x", http_status=status, error_code=code, retryable=True)
    made.not_sent = not_sent
    return made


@pytest.mark.parametrize("made", [
    error(not_sent=True), error(429, "APIG.0308"), error(429), error(503, "APIG.0201"), error(503, "apigw.0201"),
], ids=["refused", "throttled", "429-without-code", "gateway-503", "gateway-503-lower-case"])
def test_a_write_that_never_reached_cdm_is_retried(made):
    assert _retry.not_delivered(made) is True
    assert _retry.should_retry(made, 1, 3, idempotent=False) is True


@pytest.mark.parametrize("made", [
    error(), error(500, "APIG.0103"), error(502), error(503), error(503, "Cdm.0000"), error(504, "APIG.0201"),
], ids=["timeout-or-dropped", "500", "502", "503-without-code", "503-from-cdm", "504"])
def test_a_write_that_may_have_been_carried_out_is_not_retried(made):
    assert _retry.not_delivered(made) is False
    assert _retry.should_retry(made, 1, 3, idempotent=False) is False
    assert _retry.should_retry(made, 1, 3) is True


def test_a_write_is_retried_no_more_than_retries_allow():
    assert _retry.should_retry(error(429), 4, 3, idempotent=False) is False
