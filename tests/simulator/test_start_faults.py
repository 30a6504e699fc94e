# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The faults of the job-control calls: an answer lost after the call was carried out, and a start race."""

import time

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from simtools import TOKEN, add_fault, assert_cdm, control, job_url, start, status_of  # noqa: E402


def overview(sim, job):
    return next(item for item in control(sim, "GET", "jobs")["jobs"] if item["name"] == job)


def test_lost_answer_drops_the_connection_after_the_start_was_carried_out(sim):
    add_fault(sim, kind="lost_answer", route="start", job="jdbc2hive")
    with pytest.raises(requests.exceptions.ConnectionError):
        start(sim, "jdbc2hive")
    assert status_of(sim, "jdbc2hive")["status"] == "BOOTING"
    assert overview(sim, "jdbc2hive")["submissions"] == 1
    assert sim.stats()["faults_applied"] == {"lost_answer": 1}
    assert sim.stats()["by_status"]["dropped"] == 1
    # Once: the next start is answered, and refused as the job runs.
    assert_cdm(start(sim, "jdbc2hive"), "Cdm.0052")


def test_lost_answer_hold_keeps_the_client_waiting_past_its_timeout(sim):
    add_fault(sim, kind="lost_answer", variant="hold", delay=0.6, route="stop", job="long_running")
    assert start(sim, "long_running").status_code == 200
    began = time.monotonic()
    with pytest.raises(requests.exceptions.Timeout):
        requests.put(job_url(sim, "long_running", "stop"), headers=TOKEN, timeout=0.2)
    assert time.monotonic() - began < 0.5
    # The stop was carried out at once, before the hold.
    stopped = status_of(sim, "long_running")
    assert stopped["status"] == "FAILED" and stopped["error-summary"] == "The job was stopped by the user."


def test_lost_answer_on_a_refused_call_loses_the_refusal(sim):
    add_fault(sim, kind="lost_answer", route="stop", job="nightly_sync")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.put(job_url(sim, "nightly_sync", "stop"), headers=TOKEN, timeout=5)
    assert status_of(sim, "nightly_sync")["status"] == "SUCCEEDED"


def test_concurrent_start_starts_the_job_for_another_caller_first(sim):
    add_fault(sim, kind="concurrent_start", job="jdbc2hive")
    response = start(sim, "jdbc2hive", body={"variables": {"day": "2024-01-01"}})
    assert_cdm(response, "Cdm.0052")
    seen = overview(sim, "jdbc2hive")
    # One run, the other caller's: not ours, so without our variables.
    assert (seen["submissions"], seen["status"], seen["variables"]) == (1, "BOOTING", {})
    assert status_of(sim, "jdbc2hive")["submission-id"] == seen["submission_id"]


def test_concurrent_start_waits_for_a_start(sim):
    add_fault(sim, kind="concurrent_start")
    # Reads and stops go by: only a start takes the fault.
    assert status_of(sim, "mysql2obs") is None
    assert_cdm(requests.put(job_url(sim, "mysql2obs", "stop"), headers=TOKEN, timeout=5), "Cdm.0053")
    assert control(sim, "GET", "faults")["faults"][0]["kind"] == "concurrent_start"
    assert_cdm(start(sim, "mysql2obs"), "Cdm.0052")
    assert control(sim, "GET", "faults")["faults"] == []
    assert overview(sim, "mysql2obs")["submissions"] == 1


def test_concurrent_start_on_a_running_job_is_the_usual_refusal(sim):
    assert start(sim, "long_running").status_code == 200
    add_fault(sim, kind="concurrent_start", job="long_running")
    assert_cdm(start(sim, "long_running"), "Cdm.0052")
    assert overview(sim, "long_running")["submissions"] == 1


def test_lost_answer_variant_is_checked(sim):
    response = requests.post(sim.url + "/_sim/faults", json={"kind": "lost_answer", "variant": "reset"}, timeout=5)
    assert response.status_code == 400
    assert response.json()["error"] == "lost_answer variant must be drop or hold"
