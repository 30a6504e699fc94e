# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the read calls show: job list and job read fields, the jobType filter, clusters."""

import copy
import re

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim import DEFAULT_SCENARIO, Simulator  # noqa: E402
from simtools import CLUSTER, PROJECT, TOKEN, assert_cdm, cdm_url, job_url, start  # noqa: E402

JOBS = [
    {"name": "normal_a", "rows_written": 4000, "bytes_written": 8000, "files": 2,
     "history": [{"outcome": "succeeded", "finished_ago": 600}]},
    {"name": "normal_b", "job_type": "NORMAL_JOB", "pending": 60},
    {"name": "batch_a", "job_type": "BATCH_JOB"},
    {"name": "scenario_a", "definition": {"job_type": "SCENARIO_JOB"}},
    {"name": "refused", "outcome": "failure_on_submit"},
    {"name": "encoded", "from_inputs": {"whereClause": "day = '2024-01-01' AND id > 0"},
     "to_inputs": {"outputDirectory": "/user/hive/warehouse/a b", "note": "100%"}},
]


@pytest.fixture
def reads_sim(clock):
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["clusters"][0]["jobs"] = JOBS
    server = Simulator(document, clock=clock).start()
    yield server
    server.stop()


def get(sim, tail):
    response = requests.get(cdm_url(sim, tail), headers=TOKEN, timeout=5)
    assert response.status_code == 200, response.text
    return response.json()


def names(body):
    return sorted(job["name"] for job in body["jobs"])


@pytest.mark.parametrize("query, expected", [
    ("", ["encoded", "normal_a", "normal_b", "refused"]),              # jobType defaults to NORMAL_JOB
    ("&jobType=NORMAL_JOB", ["encoded", "normal_a", "normal_b", "refused"]),
    ("&jobType=BATCH_JOB", ["batch_a"]),
    ("&jobType=SCENARIO_JOB", ["scenario_a"]),
    ("&jobType=OTHER_JOB", []),
    ("&jobType=BATCH_JOB&filter=normal", []),
    ("&filter=normal", ["normal_a", "normal_b"]),
])
def test_the_job_list_filters_on_job_type_and_name(reads_sim, query, expected):
    body = get(reads_sim, "job/all?page_size=10" + query)
    assert names(body) == expected and body["total"] == len(expected)


def test_a_job_of_another_type_is_read_by_name(reads_sim):
    job = get(reads_sim, "job/batch_a")["jobs"][0]
    assert (job["name"], job["job_type"], job["type"]) == ("batch_a", "BATCH_JOB", "BATCH_JOB")
    job = get(reads_sim, "job/scenario_a")["jobs"][0]
    assert (job["name"], job["job_type"], job["type"]) == ("scenario_a", "SCENARIO_JOB", "SCENARIO_JOB")


def test_a_job_read_has_the_last_runs_counters_and_dates(reads_sim):
    job = get(reads_sim, "job/normal_a")["jobs"][0]
    assert job["status"] == "SUCCEEDED"
    assert (job["rows_written"], job["rows_read"], job["write_rows"]) == (4000, 4000, 4000)
    assert (job["bytes_written"], job["bytes_read"], job["files_written"], job["files_read"]) == (8000, 8000, 2, 2)
    assert job["execute_create_date"] <= job["execute_start_date"] <= job["execute_update_date"]
    assert re.match(r"^job_local\d{10}_\d{4}$", job["external_id"]) and job["enabled"] is True
    assert isinstance(job["id"], int) and isinstance(job["creation-date"], int)


def test_a_never_run_job_reads_new_without_execute_dates(reads_sim):
    job = get(reads_sim, "job/normal_b")["jobs"][0]
    assert job["status"] == "NEW" and job["rows_written"] == 0 and job["external_id"] == ""
    assert not [key for key in job if key.startswith("execute_")]


def test_job_ids_are_distinct(reads_sim):
    body = get(reads_sim, "job/all?page_size=10")
    ids = [job["id"] for job in body["jobs"]] + [get(reads_sim, "job/batch_a")["jobs"][0]["id"]]
    assert len(set(ids)) == len(ids)


def test_the_job_list_reports_statuses_in_the_job_set(reads_sim, clock):
    start(reads_sim, "normal_b")
    start(reads_sim, "refused")
    statuses = dict((job["name"], job["status"]) for job in get(reads_sim, "job/all?page_size=10")["jobs"])
    # A queued run is BOOTING and a run refused at submission FAILED in the job's own set.
    assert (statuses["normal_b"], statuses["refused"], statuses["encoded"]) == ("BOOTING", "FAILED", "NEW")
    clock.advance(1.5)                  # 90 simulated s: 60 pending, 30 running
    assert get(reads_sim, "job/normal_b")["jobs"][0]["status"] == "RUNNING"
    job = get(reads_sim, "job/normal_b")["jobs"][0]
    # The 60 simulated s it was pending (1 real s; milliseconds truncated).
    assert abs(job["execute_start_date"] - job["execute_create_date"] - 1000) <= 1


def test_input_values_are_url_encoded_in_reads(reads_sim):
    job = get(reads_sim, "job/encoded")["jobs"][0]
    from_inputs = job["from-config-values"]["configs"][0]
    to_inputs = job["to-config-values"]["configs"][0]
    assert from_inputs["name"] == "fromJobConfig" and to_inputs["name"] == "toJobConfig"
    assert from_inputs["inputs"] == [
        {"name": "fromJobConfig.whereClause", "value": "day%20%3D%20%272024-01-01%27%20AND%20id%20%3E%200"}]
    assert to_inputs["inputs"] == [
        {"name": "toJobConfig.outputDirectory", "value": "%2Fuser%2Fhive%2Fwarehouse%2Fa%20b"},
        {"name": "toJobConfig.note", "value": "100%25"}]


def test_clusters_have_every_documented_field(reads_sim):
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["clusters"] += [
        {"id": "c-stopped", "name": "stopped", "status": "900"},
        {"id": "c-new", "name": "new", "status": 999},
        {"id": "c-frozen", "name": "frozen", "status": "800", "frozen": True,
         "details": {"publicEndpoint": "198.51.100.7", "flavorName": "cdm.large"}},
    ]
    with Simulator(document) as server:
        clusters = requests.get("%s/v1.1/%s/clusters" % (server.url, PROJECT), headers=TOKEN, timeout=5).json()["clusters"]
        assert [(c["id"], c["status"], c["statusDetail"], c["isFrozen"]) for c in clusters] == [
            (CLUSTER, "200", "Normal", "0"), ("c-stopped", "900", "Stopped", "0"), ("c-new", "999", "Unknown", "0"),
            ("c-frozen", "800", "Frozen", "1")]
        first = clusters[0]
        assert (first["publicEndpoint"], first["azName"], first["flavorName"]) == ("192.0.2.10", "cn-north-4a", "cdm.medium")
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", first["created"])
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", first["updated"])
        assert (clusters[3]["publicEndpoint"], clusters[3]["flavorName"]) == ("198.51.100.7", "cdm.large")
        one = requests.get("%s/v1.1/%s/clusters/c-frozen" % (server.url, PROJECT), headers=TOKEN, timeout=5).json()
        assert one == clusters[3]


def test_an_unknown_cluster_is_a_404_on_its_own_call_and_a_cdm_0001_on_job_calls(reads_sim):
    response = requests.get("%s/v1.1/%s/clusters/nope" % (reads_sim.url, PROJECT), headers=TOKEN, timeout=5)
    assert response.status_code == 404
    assert response.json() == {"errCode": "Cdm.0001", "externalMessage": "Cluster[nope] doesn't exist."}
    assert_cdm(requests.get(job_url(reads_sim, "normal_a", cluster="nope"), headers=TOKEN, timeout=5), "Cdm.0001")
