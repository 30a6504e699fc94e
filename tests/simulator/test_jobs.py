# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Jobs on simulated time, and CDM's calls and errors."""

import copy
import re

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim import COUNTER_NAMES, DEFAULT_SCENARIO, SQOOP_COUNTERS, Simulator  # noqa: E402
from simtools import TOKEN, SUBMISSION_KEYS, assert_apig, assert_cdm, cdm_url, control, job_url, signed, start, status_of  # noqa: E402


def test_lifecycle_succeeded(sim, clock):
    response = start(sim, "jdbc2hive")
    assert response.status_code == 200, response.text
    first = response.json()["submissions"][0]
    assert first["status"] == "BOOTING" and first["progress"] == 0 and first["isStopingIncrement"] == ""
    assert first["job-name"] == "jdbc2hive" and isinstance(first["submission-id"], int)
    sub = status_of(sim, "jdbc2hive")
    assert set(sub) == SUBMISSION_KEYS
    assert sub["status"] == "BOOTING" and sub["submission-id"] == first["submission-id"]
    assert re.match(r"^job_local\d{10}_\d{4}$", sub["external-id"])
    assert sub["isStopingIncrement"] == "false" and isinstance(sub["creation-date"], int)
    clock.advance(1)                      # 60 simulated seconds: 10 booting, then 50 of 110 running
    sub = status_of(sim, "jdbc2hive")
    assert sub["status"] == "RUNNING"
    assert isinstance(sub["progress"], float) and 45 < sub["progress"] < 46
    clock.advance(0.5)
    assert status_of(sim, "jdbc2hive")["progress"] > 70
    clock.advance(1)                      # 150 simulated seconds: done after 120
    sub = status_of(sim, "jdbc2hive")
    assert sub["status"] == "SUCCEEDED" and sub["progress"] == 100
    counters = sub["counters"][SQOOP_COUNTERS]
    assert set(counters) == set(COUNTER_NAMES)
    assert counters["ROWS_WRITTEN"] == 120000 == sub["write_rows"]
    assert "error-summary" not in sub
    # Another start is a new submission with a larger id.
    second = start(sim, "jdbc2hive").json()["submissions"][0]
    assert second["submission-id"] > first["submission-id"]


def test_lifecycle_failed(sim, clock):
    assert start(sim, "obs2dws").status_code == 200
    clock.advance(1.5)
    sub = status_of(sim, "obs2dws")
    assert sub["status"] == "FAILED" and sub["progress"] == -1
    assert "DWS" in sub["error-summary"] and "SqoopException" in sub["error-details"]
    assert "counters" not in sub


def test_start_running_stop_and_finish(sim, clock):
    assert start(sim, "long_running").status_code == 200
    body = assert_cdm(start(sim, "long_running"), "Cdm.0052")
    assert body["externalMessage"] == "Job[long_running] is running."
    response = requests.put(job_url(sim, "long_running", "stop"), headers=TOKEN, timeout=5)
    assert response.status_code == 200 and response.json() == {}
    sub = status_of(sim, "long_running")
    assert sub["status"] == "FAILED" and sub["progress"] == -1 and "stopped" in sub["error-summary"]
    assert_cdm(requests.put(job_url(sim, "long_running", "stop"), headers=TOKEN, timeout=5), "Cdm.0053")
    # /_sim/jobs/{name}/finish jumps to the outcome (or the one asked for).
    assert start(sim, "long_running").status_code == 200
    finished = control(sim, "POST", "jobs/long_running/finish")["submissions"]
    assert finished[0]["status"] == "SUCCEEDED"
    assert status_of(sim, "long_running")["status"] == "SUCCEEDED"
    assert start(sim, "jdbc2hive").status_code == 200
    control(sim, "POST", "jobs/jdbc2hive/finish", {"outcome": "failed"})
    assert status_of(sim, "jdbc2hive")["status"] == "FAILED"
    response = requests.post(sim.url + "/_sim/jobs/jdbc2hive/finish", timeout=5)
    assert response.status_code == 409


def test_autostart_and_history():
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["clusters"][0]["jobs"][0]["autostart"] = True
    document["clusters"][0]["jobs"][0]["history"] = [{"outcome": "failed", "finished_ago": 3600}]
    with Simulator(document) as server:
        sub = status_of(server, "jdbc2hive")
        assert sub["status"] in ("BOOTING", "RUNNING")
        history = requests.get(cdm_url(server, "submissions?jname=jdbc2hive"), headers=TOKEN, timeout=5).json()
        assert history["total"] == 2
        assert [s["status"] for s in history["submissions"]][1] == "FAILED"


def test_unknown_job_cluster_and_route(sim):
    body = assert_cdm(requests.get(job_url(sim, "nope"), headers=TOKEN, timeout=5), "Cdm.0100")
    assert body["externalMessage"] == "Job[nope] doesn't exist."
    assert_cdm(start(sim, "nope"), "Cdm.0100")
    assert "Cluster[" in assert_cdm(requests.get(job_url(sim, "jdbc2hive", cluster="c0ffee"), headers=TOKEN, timeout=5),
                                    "Cdm.0001")["externalMessage"]
    assert_apig(requests.get(cdm_url(sim, "nothing/here"), headers=TOKEN, timeout=5), 404, "APIG.0101")
    assert_apig(requests.post(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5), 404, "APIG.0101")
    # An encoded slash stays inside the job name: no escape to another route.
    response = requests.get(job_url(sim, "jdbc2hive/status", action=None), headers=TOKEN, timeout=5)
    assert assert_cdm(response, "Cdm.0100")["externalMessage"] == "Job[jdbc2hive/status] doesn't exist."


def test_odd_job_names_route_and_sign():
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["clusters"][0]["jobs"] = [{"name": name} for name in ("with space", "数据同步", "a/b", "x%y")]
    with Simulator(document) as server:
        for name in ("with space", "数据同步", "a/b", "x%y"):
            url = job_url(server, name, "start")
            response = requests.put(url, headers=signed("PUT", url), timeout=5)
            assert response.status_code == 200, (name, response.text)
            assert response.json()["submissions"][0]["job-name"] == name
            assert status_of(server, name)["job-name"] == name


def test_job_list_show_and_submissions(sim, clock):
    response = requests.get(cdm_url(sim, "job/all"), headers=TOKEN, timeout=5)
    body = response.json()
    assert body["total"] == 5 and body["page_no"] == 1 and body["page_size"] == 10
    statuses = dict((job["name"], job["status"]) for job in body["jobs"])
    assert statuses["mysql2obs"] == "NEW" and statuses["nightly_sync"] == "SUCCEEDED"
    assert all("last-update-date" in job for job in body["jobs"])
    body = requests.get(cdm_url(sim, "job/all?filter=2&page_size=10"), headers=TOKEN, timeout=5).json()
    assert sorted(job["name"] for job in body["jobs"]) == ["jdbc2hive", "mysql2obs", "obs2dws"]
    body = requests.get(cdm_url(sim, "job/all?page_size=10&page_no=2"), headers=TOKEN, timeout=5).json()
    assert body["jobs"] == [] and body["total"] == 5
    for bad in ("page_size=9", "page_size=101", "page_size=x", "page_no=0"):
        assert requests.get(cdm_url(sim, "job/all?" + bad), headers=TOKEN, timeout=5).status_code == 400
    job = requests.get(job_url(sim, "obs2dws", None), headers=TOKEN, timeout=5).json()["jobs"][0]
    assert job["name"] == "obs2dws" and job["from-connector-name"] == "obs-connector"
    assert job["to-connector-name"] == "dws-connector" and job["status"] == "NEW"
    start(sim, "nightly_sync")
    body = requests.get(cdm_url(sim, "submissions?jname=nightly_sync"), headers=TOKEN, timeout=5).json()
    assert body["total"] == 2 and body["page_no"] == 1
    ids = [sub["submission-id"] for sub in body["submissions"]]
    assert ids == sorted(ids, reverse=True)
    assert [sub["status"] for sub in body["submissions"]] == ["BOOTING", "SUCCEEDED"]
    assert_cdm(requests.get(cdm_url(sim, "submissions?jname=nope"), headers=TOKEN, timeout=5), "Cdm.0100")


def test_job_list_filters_on_each_jobs_type():
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["clusters"][0]["jobs"] = [{"name": "table"}, {"name": "whole_db", "definition": {"job_type": "BATCH_JOB"}}]
    with Simulator(document) as server:
        def listed(query):
            body = requests.get(cdm_url(server, "job/all" + query), headers=TOKEN, timeout=5).json()
            return [(job["name"], job["job_type"]) for job in body["jobs"]], body["total"]
        assert listed("") == ([("table", "NORMAL_JOB")], 1)
        assert listed("?jobType=NORMAL_JOB") == ([("table", "NORMAL_JOB")], 1)
        assert listed("?jobType=BATCH_JOB") == ([("whole_db", "BATCH_JOB")], 1)
        assert listed("?jobType=SCENARIO_JOB") == ([], 0)
