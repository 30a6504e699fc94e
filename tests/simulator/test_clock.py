# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The service's clock: every answer's Date header and the job dates follow the simulated clock."""

import time
from email.utils import parsedate_to_datetime

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim import Simulator  # noqa: E402
from simtools import TOKEN, job_url, signed  # noqa: E402

YEAR = 365 * 86400


def date_of(response):
    return parsedate_to_datetime(response.headers["Date"]).timestamp()


def scenario(**top):
    jobs = [{"name": "done", "history": [{"outcome": "succeeded", "finished_ago": 300, "duration": 120, "boot": 0}]},
            {"name": "half", "autostart": True, "started_ago": 600, "duration": 1200, "boot": 0}]
    return dict({"speed": 1, "tokens": ["sim-token"], "clusters": [{"id": "c1", "jobs": jobs}]}, **top)


def status(sim, job):
    response = requests.get(job_url(sim, job, cluster="c1"), headers=TOKEN, timeout=5)
    assert response.status_code == 200, response.text
    return response, response.json()["submissions"][0]


def test_the_date_header_is_the_simulated_clock(sim, clock):
    clock.advance(3 * 86400)
    response = requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5)
    assert abs(date_of(response) - clock.now) < 1.5
    assert len(response.headers["Date"].split(",")) == 2  # one Date header, not the real clock's beside it


def test_an_error_answer_carries_the_date_too(sim, clock):
    clock.advance(-YEAR)
    response = requests.get(job_url(sim, "no-such-job"), headers=TOKEN, timeout=5)
    assert response.status_code == 400 and abs(date_of(response) - clock.now) < 1.5


@pytest.mark.parametrize("offset", [-3 * YEAR, 7200.5])
def test_a_clock_offset_moves_the_date_and_the_job_dates_together(offset):
    with Simulator(scenario(clock_offset=offset)) as sim:
        response, run = status(sim, "done")
        service_now = date_of(response)
        assert abs(service_now - (time.time() + offset)) < 2
        assert abs(service_now - run["last-update-date"] / 1000.0 - 300) < 2
        assert run["last-update-date"] - run["execute-date"] == 120000


def test_a_run_started_ago_is_under_way_at_the_pace_of_its_age():
    with Simulator(scenario()) as sim:
        response, run = status(sim, "half")
        assert run["status"] == "RUNNING" and 49 < run["progress"] < 51.5
        assert abs(date_of(response) - run["execute-date"] / 1000.0 - 600) < 2


def test_aksk_signatures_are_still_checked_against_the_real_clock():
    with Simulator(scenario(clock_offset=-3 * YEAR, access_keys=[{"access_key": "sim-ak", "secret_key": "sim-sk"}])) as sim:
        url = job_url(sim, "done", cluster="c1")
        response = requests.get(url, headers=signed("GET", url), timeout=5)
        assert response.status_code == 200, response.text


def test_a_canned_date_replaces_the_simulated_one_and_an_empty_one_leaves_it_out(sim):
    sim.add_faults([{"kind": "custom", "route": "status", "status": 200, "body": '{"submissions": []}',
                     "headers": {"Date": "Thu, 01 Jan 2015 00:00:00 GMT"}},
                    {"kind": "custom", "route": "status", "status": 200, "body": '{"submissions": []}',
                     "headers": {"Date": ""}}])
    first = requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5)
    second = requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5)
    assert first.headers["Date"] == "Thu, 01 Jan 2015 00:00:00 GMT"
    assert "Date" not in second.headers
