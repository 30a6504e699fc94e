# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tests of the CDM simulator: plain HTTP clients, the collection's signer and the vendor SDK."""

import copy
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from urllib.parse import quote

import pytest

requests = pytest.importorskip("requests")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cdm_simulator as simmod  # noqa: E402  pylint: disable=wrong-import-position

signer = simmod.signer

# The vendor SDK's signer calls datetime.utcnow(), deprecated on Python 3.12+.
pytestmark = pytest.mark.filterwarnings("ignore:datetime.datetime.utcnow:DeprecationWarning")

CLUSTER = "6ec9a0a4-76be-4262-8697-e7af1fac7920"
PROJECT = "0123456789abcdef0123456789abcdef"
TOKEN = {"X-Auth-Token": "sim-token"}
SIM_PATH = os.path.join(HERE, "cdm_simulator.py")
SUBMISSION_KEYS = {
    "job-name", "submission-id", "external-id", "status", "progress", "creation-user", "creation-date",
    "execute-date", "last-update-date", "last-update-user", "isIncrementing", "isStopingIncrement",
    "is-execute-auto", "isDeleteJob", "delete_rows", "update_rows", "write_rows",
}


class FakeClock:
    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sim(clock):
    server = simmod.Simulator(clock=clock).start()
    yield server
    server.stop()


def cdm_url(sim, tail, project=PROJECT, cluster=CLUSTER):
    return "%s/v1.1/%s/clusters/%s/cdm/%s" % (sim.url, project, cluster, tail)


def job_url(sim, job, action="status", **kwargs):
    tail = "job/%s" % quote(job, safe="")
    if action:
        tail += "/" + action
    return cdm_url(sim, tail, **kwargs)


def signed(method, url, body=b"", access_key="sim-ak", secret_key="sim-sk", headers=None, sdk_date=None):
    base = {"Content-Type": "application/json", "X-Project-Id": PROJECT}
    base.update(headers or {})
    return signer.sign(method, url, base, body, access_key, secret_key, sdk_date=sdk_date)


def status_of(sim, job, headers=None):
    response = requests.get(job_url(sim, job), headers=headers or TOKEN, timeout=5)
    assert response.status_code == 200, response.text
    subs = response.json()["submissions"]
    return subs[0] if subs else None


def start(sim, job, headers=None, body=None):
    return requests.put(job_url(sim, job, "start"), headers=headers or TOKEN, timeout=5,
                        data=None if body is None else json.dumps(body))


def assert_apig(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == code
    assert body["request_id"] == response.headers["X-Request-Id"]
    return body


def assert_cdm(response, code):
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["errCode"] == code
    return body


def control(sim, method, path, body=None):
    response = requests.request(method, sim.url + "/_sim/" + path, timeout=5,
                                data=None if body is None else json.dumps(body))
    assert response.status_code == 200, response.text
    return response.json()


# ---------------------------------------------------------------------------
# Scenarios
# ---------------------------------------------------------------------------

def test_default_yml_is_the_builtin_default():
    yaml = pytest.importorskip("yaml")
    with open(os.path.join(HERE, "scenarios", "default.yml")) as handle:
        assert yaml.safe_load(handle) == simmod.DEFAULT_SCENARIO


def test_demo_scenario_is_valid_and_short():
    pytest.importorskip("yaml")
    scenario = simmod.normalize_scenario(simmod.load_scenario(os.path.join(HERE, "scenarios", "demo.yml")))
    jobs = scenario["clusters"][0]["jobs"]
    assert len(jobs) == 4
    assert [job["outcome"] for job in jobs].count("failed") == 1
    assert all(4 <= job["duration"] / scenario["speed"] <= 10 for job in jobs)


def test_json_scenario_without_pyyaml(tmp_path, monkeypatch):
    document = copy.deepcopy(simmod.DEFAULT_SCENARIO)
    document["speed"] = 5
    json_file = tmp_path / "s.json"
    json_file.write_text(json.dumps(document))
    yml_file = tmp_path / "s.yml"
    yml_file.write_text(json.dumps(document))
    real_yaml_file = tmp_path / "r.yml"
    real_yaml_file.write_text("speed: 5\n")
    monkeypatch.setattr(simmod, "yaml", None)
    assert simmod.load_scenario(str(json_file))["speed"] == 5
    assert simmod.load_scenario(str(yml_file))["speed"] == 5
    with pytest.raises(simmod.ScenarioError, match="PyYAML"):
        simmod.load_scenario(str(real_yaml_file))


@pytest.mark.parametrize("change, message", [
    ({"bogus": 1}, "unknown key"),
    ({"speed": 0}, "speed"),
    ({"clusters": []}, "clusters"),
    ({"faults": [{"kind": "nope"}]}, "fault kind"),
    ({"faults": [{"kind": "throttle", "count": 0}]}, "count"),
])
def test_scenario_validation(change, message):
    document = copy.deepcopy(simmod.DEFAULT_SCENARIO)
    document.update(change)
    with pytest.raises(simmod.ScenarioError, match=message):
        simmod.normalize_scenario(document)


# ---------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------

def test_token_auth_and_response_headers(sim):
    response = requests.get(job_url(sim, "mysql2obs"), headers=TOKEN, timeout=5)
    assert response.status_code == 200
    assert response.json() == {"submissions": []}
    assert re.match(r"^[0-9a-f]{32}$", response.headers["X-Request-Id"])
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"
    clusters = requests.get("%s/v1.1/%s/clusters" % (sim.url, PROJECT), headers=TOKEN, timeout=5).json()["clusters"]
    assert clusters[0]["id"] == CLUSTER and clusters[0]["status"] == "200" and clusters[0]["statusDetail"] == "Normal"


def test_missing_and_wrong_token(sim):
    assert_apig(requests.get(job_url(sim, "jdbc2hive"), timeout=5), 401, "APIG.0301")
    body = assert_apig(requests.get(job_url(sim, "jdbc2hive"), headers={"X-Auth-Token": "nope"}, timeout=5),
                       401, "APIG.0301")
    assert body["error_msg"].startswith("Incorrect IAM authentication information")
    stats = control(sim, "GET", "stats")
    assert stats["auth_failures"] == 2


def test_aksk_with_collection_signer(sim):
    url = job_url(sim, "nightly_sync")
    response = requests.get(url, headers=signed("GET", url), timeout=5)
    assert response.status_code == 200, response.text
    assert response.json()["submissions"][0]["status"] == "SUCCEEDED"
    # A PUT with a JSON body (variables) is signed over the body hash.
    url = job_url(sim, "jdbc2hive", "start")
    body = json.dumps({"variables": {"date": "2024-01-01"}}).encode()
    response = requests.put(url, headers=signed("PUT", url, body), data=body, timeout=5)
    assert response.status_code == 200, response.text
    jobs = dict((job["name"], job) for job in control(sim, "GET", "jobs")["jobs"])
    assert jobs["jdbc2hive"]["variables"] == {"date": "2024-01-01"}
    # Query strings are part of the signature.
    url = cdm_url(sim, "job/all?page_no=1&page_size=10&filter=sync")
    response = requests.get(url, headers=signed("GET", url), timeout=5)
    assert response.status_code == 200, response.text
    assert [job["name"] for job in response.json()["jobs"]] == ["nightly_sync"]


def test_aksk_bad_signature_unknown_key_and_tampering(sim):
    url = job_url(sim, "jdbc2hive")
    body = assert_apig(requests.get(url, headers=signed("GET", url, secret_key="wrong"), timeout=5), 401, "APIG.0301")
    assert "Incorrect IAM authentication information" in body["error_msg"]
    assert_apig(requests.get(url, headers=signed("GET", url, access_key="other"), timeout=5), 401, "APIG.0301")
    # Signed for one job, sent for another.
    headers = signed("GET", url)
    assert_apig(requests.get(job_url(sim, "obs2dws"), headers=headers, timeout=5), 401, "APIG.0301")
    # Body changed after signing.
    start_url = job_url(sim, "jdbc2hive", "start")
    headers = signed("PUT", start_url, b'{"variables": {}}')
    assert_apig(requests.put(start_url, headers=headers, data=b'{"variables": {"x": "1"}}', timeout=5), 401, "APIG.0301")
    assert_apig(requests.get(url, headers={"Authorization": "Basic abc"}, timeout=5), 401, "APIG.0301")


def test_aksk_skewed_date(sim):
    url = job_url(sim, "jdbc2hive")
    old = signer.format_sdk_date(datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=16))
    body = assert_apig(requests.get(url, headers=signed("GET", url, sdk_date=old), timeout=5), 401, "APIG.0301")
    assert "skewed" in body["error_msg"]
    near = signer.format_sdk_date(datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=10))
    assert requests.get(url, headers=signed("GET", url, sdk_date=near), timeout=5).status_code == 200


def test_aksk_lockout_after_repeated_failures(sim):
    url = job_url(sim, "jdbc2hive")
    for _attempt in range(5):
        assert_apig(requests.get(url, headers=signed("GET", url, secret_key="wrong"), timeout=5), 401, "APIG.0301")
    body = assert_apig(requests.get(url, headers=signed("GET", url), timeout=5), 401, "APIG.0301")
    assert "limit" in body["error_msg"]
    control(sim, "POST", "unlock")
    assert requests.get(url, headers=signed("GET", url), timeout=5).status_code == 200


def test_token_takes_precedence_over_authorization(sim):
    url = job_url(sim, "jdbc2hive")
    headers = signed("GET", url, access_key="dummy", secret_key="dummy", headers=TOKEN)
    assert requests.get(url, headers=headers, timeout=5).status_code == 200


def test_pinned_project():
    document = copy.deepcopy(simmod.DEFAULT_SCENARIO)
    document["project_id"] = PROJECT
    with simmod.Simulator(document) as server:
        assert requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5).status_code == 200
        assert_apig(requests.get(job_url(server, "jdbc2hive", project="other"), headers=TOKEN, timeout=5),
                    403, "APIG.0302")


def iam_body(user="sim-user", password="sim-password", domain="sim-domain", project=PROJECT):
    return {"auth": {
        "identity": {"methods": ["password"],
                     "password": {"user": {"name": user, "password": password, "domain": {"name": domain}}}},
        "scope": {"project": {"id": project}},
    }}


def test_iam_password_token_flow(sim, clock):
    response = requests.post(sim.url + "/v3/auth/tokens", json=iam_body(), timeout=5)
    assert response.status_code == 201, response.text
    token = response.headers["X-Subject-Token"]
    body = response.json()["token"]
    assert body["expires_at"].endswith("Z") and body["methods"] == ["password"]
    assert body["project"]["id"] == PROJECT
    assert body["user"]["name"] == "sim-user" and body["user"]["domain"]["name"] == "sim-domain"
    assert status_of(sim, "nightly_sync", {"X-Auth-Token": token})["status"] == "SUCCEEDED"
    # Scoped to its project.
    assert_apig(requests.get(job_url(sim, "jdbc2hive", project="other"), headers={"X-Auth-Token": token}, timeout=5),
                403, "APIG.0302")
    assert control(sim, "GET", "stats")["tokens_issued"] == 1
    # Expiry (token_ttl, 24 h by default) and revocation answer APIG.0307.
    clock.advance(86401)
    assert_apig(requests.get(job_url(sim, "jdbc2hive"), headers={"X-Auth-Token": token}, timeout=5), 401, "APIG.0307")
    token2 = requests.post(sim.url + "/v3/auth/tokens", json=iam_body(), timeout=5).headers["X-Subject-Token"]
    assert token2 != token
    assert status_of(sim, "jdbc2hive", {"X-Auth-Token": token2}) is None
    control(sim, "POST", "revoke_tokens")
    assert_apig(requests.get(job_url(sim, "jdbc2hive"), headers={"X-Auth-Token": token2}, timeout=5), 401, "APIG.0307")
    # Static tokens survive unless asked.
    assert status_of(sim, "jdbc2hive") is None
    control(sim, "POST", "revoke_tokens", {"static": True})
    assert_apig(requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5), 401, "APIG.0307")


@pytest.mark.parametrize("body, status", [
    (iam_body(password="wrong"), 401),
    (iam_body(user="someone"), 401),
    (iam_body(domain="elsewhere"), 401),
    ({"auth": {}}, 400),
    ("not json", 400),
])
def test_iam_errors(sim, body, status):
    data = body if isinstance(body, str) else json.dumps(body)
    response = requests.post(sim.url + "/v3/auth/tokens", data=data, timeout=5)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == str(status)
    assert "X-Subject-Token" not in response.headers
    if status == 401:
        assert error == {"code": "401", "message": "The username or password is wrong.", "title": "Unauthorized"}


def test_cli_credential_overrides():
    server = simmod.Simulator(token="t2", access_key="ak2", secret_key="sk2", user="u2", password="p2").start()
    try:
        url = job_url(server, "jdbc2hive")
        assert requests.get(url, headers={"X-Auth-Token": "t2"}, timeout=5).status_code == 200
        assert requests.get(url, headers=TOKEN, timeout=5).status_code == 401
        assert requests.get(url, headers=signed("GET", url, access_key="ak2", secret_key="sk2"), timeout=5).status_code == 200
        response = requests.post(server.url + "/v3/auth/tokens", json=iam_body(user="u2", password="p2"), timeout=5)
        assert response.status_code == 201
    finally:
        server.stop()


# ---------------------------------------------------------------------------
# Job lifecycle
# ---------------------------------------------------------------------------

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
    counters = sub["counters"][simmod.SQOOP_COUNTERS]
    assert set(counters) == set(simmod.COUNTER_NAMES)
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
    assert response.status_code == 200 and response.json() == {"validation-result": []}
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
    document = copy.deepcopy(simmod.DEFAULT_SCENARIO)
    document["clusters"][0]["jobs"][0]["autostart"] = True
    document["clusters"][0]["jobs"][0]["history"] = [{"outcome": "failed", "finished_ago": 3600}]
    with simmod.Simulator(document) as server:
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
    document = copy.deepcopy(simmod.DEFAULT_SCENARIO)
    document["clusters"][0]["jobs"] = [{"name": name} for name in ("with space", "数据同步", "a/b", "x%y")]
    with simmod.Simulator(document) as server:
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
    assert statuses["mysql2obs"] == "NEVER_EXECUTED" and statuses["nightly_sync"] == "SUCCEEDED"
    assert all("last-update-date" in job for job in body["jobs"])
    body = requests.get(cdm_url(sim, "job/all?filter=2&page_size=10"), headers=TOKEN, timeout=5).json()
    assert sorted(job["name"] for job in body["jobs"]) == ["jdbc2hive", "mysql2obs", "obs2dws"]
    body = requests.get(cdm_url(sim, "job/all?page_size=10&page_no=2"), headers=TOKEN, timeout=5).json()
    assert body["jobs"] == [] and body["total"] == 5
    for bad in ("page_size=9", "page_size=101", "page_size=x", "page_no=0"):
        assert requests.get(cdm_url(sim, "job/all?" + bad), headers=TOKEN, timeout=5).status_code == 400
    job = requests.get(job_url(sim, "obs2dws", None), headers=TOKEN, timeout=5).json()["jobs"][0]
    assert job["name"] == "obs2dws" and job["from-connector-name"] == "obs-connector"
    assert job["to-connector-name"] == "dws-connector" and job["status"] == "NEVER_EXECUTED"
    start(sim, "nightly_sync")
    body = requests.get(cdm_url(sim, "submissions?jname=nightly_sync"), headers=TOKEN, timeout=5).json()
    assert body["total"] == 2 and body["page_no"] == 1
    ids = [sub["submission-id"] for sub in body["submissions"]]
    assert ids == sorted(ids, reverse=True)
    assert [sub["status"] for sub in body["submissions"]] == ["BOOTING", "SUCCEEDED"]
    assert_cdm(requests.get(cdm_url(sim, "submissions?jname=nope"), headers=TOKEN, timeout=5), "Cdm.0100")


# ---------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------

def add_fault(sim, **fault):
    control(sim, "POST", "faults", fault)


def test_fault_throttle(sim):
    add_fault(sim, kind="throttle")
    response = requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5)
    body = assert_apig(response, 429, "APIG.0308")
    assert body["error_msg"] == "The request is throttled." and response.headers["Retry-After"] == "1"
    add_fault(sim, kind="throttle", retry_after="99999")
    assert requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5).headers["Retry-After"] == "99999"
    add_fault(sim, kind="throttle", retry_after=None)
    response = requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5)
    assert response.status_code == 429 and "Retry-After" not in response.headers
    assert requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5).status_code == 200
    assert control(sim, "GET", "stats")["faults_applied"]["throttle"] == 3


@pytest.mark.parametrize("kind, status, html", [
    ("http_500", 500, False), ("http_502", 502, True), ("http_503", 503, False), ("http_504", 504, True),
])
def test_fault_http_errors(sim, kind, status, html):
    add_fault(sim, kind=kind)
    response = requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5)
    assert response.status_code == status
    assert re.match(r"^[0-9a-f]{32}$", response.headers["X-Request-Id"])
    if html:
        assert response.headers["Content-Type"].startswith("text/html") and "<html>" in response.text
    else:
        assert response.json()["request_id"] == response.headers["X-Request-Id"]
    add_fault(sim, kind=kind, format="json" if html else "html")
    response = requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5)
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json" if html else "text/html")


def test_fault_slow(sim):
    add_fault(sim, kind="slow", delay=0.3)
    began = time.monotonic()
    assert requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5).status_code == 200
    assert time.monotonic() - began >= 0.3
    add_fault(sim, kind="slow", delay=0.5)
    with pytest.raises(requests.exceptions.Timeout):
        requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=0.2)


@pytest.mark.parametrize("variant", ["close", "reset"])
def test_fault_drop(sim, variant):
    add_fault(sim, kind="drop", variant=variant)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5)
    assert requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5).status_code == 200


def test_fault_malformed_html_empty(sim):
    add_fault(sim, kind="malformed_json")
    response = requests.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5)
    assert response.status_code == 200 and response.text.startswith('{"submissions"')
    with pytest.raises(ValueError):
        json.loads(response.text)
    add_fault(sim, kind="html")
    response = requests.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    add_fault(sim, kind="empty")
    response = requests.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5)
    assert response.status_code == 200 and response.content == b"" and response.headers["Content-Length"] == "0"


def test_fault_type_quirks(sim):
    start(sim, "long_running")
    add_fault(sim, kind="type_quirks")
    sub = requests.get(job_url(sim, "long_running"), headers=TOKEN, timeout=5).json()["submissions"][0]
    assert isinstance(sub["creation-date"], str) and int(sub["creation-date"]) > 0
    assert isinstance(sub["progress"], int)
    assert "last-udpate-user" in sub and "last-update-user" not in sub


def test_fault_wrong_types(sim):
    normal = status_of(sim, "nightly_sync")
    add_fault(sim, kind="wrong_types")
    odd = requests.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5).json()["submissions"][0]
    assert set(odd) == set(normal)

    def kind(value):
        return "number" if isinstance(value, (int, float)) and not isinstance(value, bool) else type(value).__name__

    for key, value in normal.items():
        assert kind(odd[key]) != kind(value), key


def test_fault_auth_kinds(sim):
    add_fault(sim, kind="token_expired")
    url = job_url(sim, "jdbc2hive")
    # AK/SK requests carry no token: the fault waits for a token request.
    assert requests.get(url, headers=signed("GET", url), timeout=5).status_code == 200
    body = assert_apig(requests.get(url, headers=TOKEN, timeout=5), 401, "APIG.0307")
    assert body["error_msg"] == "The token must be updated."
    add_fault(sim, kind="auth_fail")
    assert_apig(requests.get(url, headers=TOKEN, timeout=5), 401, "APIG.0301")
    add_fault(sim, kind="forbidden")
    assert_apig(requests.get(url, headers=TOKEN, timeout=5), 403, "APIG.0302")
    assert requests.get(url, headers=TOKEN, timeout=5).status_code == 200


def test_fault_oversize(sim):
    add_fault(sim, kind="oversize", bytes=2 * 1024 * 1024)
    response = requests.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5)
    assert response.status_code == 200 and len(response.content) == 2 * 1024 * 1024
    assert response.json()["submissions"][0]["status"] == "SUCCEEDED"


def test_fault_shape_change(sim):
    add_fault(sim, kind="shape_change")
    body = requests.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5).json()
    assert isinstance(body["submissions"], dict) and body["submissions"]["status"] == "SUCCEEDED"
    add_fault(sim, kind="shape_change", variant="new_status")
    body = requests.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5).json()
    assert body["submissions"][0]["status"] == "PENDING_NEW"
    add_fault(sim, kind="shape_change", variant="extra_fields")
    body = requests.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5).json()
    assert "x-trace" in body["submissions"][0] and body["submissions"][0]["status"] == "SUCCEEDED"


def test_fault_custom(sim):
    add_fault(sim, kind="custom", status=418, body={"hello": "world"}, headers={"X-Extra": "1"})
    response = requests.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5)
    assert response.status_code == 418 and response.json() == {"hello": "world"}
    assert response.headers["X-Extra"] == "1"


def test_fault_filters_count_after(sim):
    # Only status requests of jdbc2hive; skip the first one; then two of them.
    add_fault(sim, kind="http_503", job="jdbc2hive", path="/status", after=1, count=2)
    codes = []
    for _attempt in range(4):
        requests.get(job_url(sim, "obs2dws"), headers=TOKEN, timeout=5)
        requests.get(job_url(sim, "jdbc2hive", None), headers=TOKEN, timeout=5)
        codes.append(requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5).status_code)
    assert codes == [200, 503, 503, 200]
    add_fault(sim, kind="http_500", count=-1, route="start")
    for _attempt in range(3):
        assert start(sim, "jdbc2hive").status_code == 500
    assert status_of(sim, "jdbc2hive") is None     # the gateway answered: the job never started
    assert len(control(sim, "GET", "faults")["faults"]) == 1
    control(sim, "DELETE", "faults")
    assert start(sim, "jdbc2hive").status_code == 200


def test_rewrite_faults_still_execute(sim):
    # A start whose answer is garbled did start the job (the client cannot know).
    add_fault(sim, kind="malformed_json", route="start")
    assert start(sim, "jdbc2hive").status_code == 200
    assert status_of(sim, "jdbc2hive")["status"] == "BOOTING"


def test_faults_from_scenario_and_control_errors():
    document = copy.deepcopy(simmod.DEFAULT_SCENARIO)
    document["faults"] = [{"kind": "throttle", "count": 2, "retry_after": 5}]
    with simmod.Simulator(document) as server:
        codes = [requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5).status_code for _i in range(3)]
        assert codes == [429, 429, 200]
        response = requests.post(server.url + "/_sim/faults", data=json.dumps({"kind": "bogus"}), timeout=5)
        assert response.status_code == 400 and "fault kind" in response.json()["error"]
        control(server, "POST", "faults", [{"kind": "http_503"}, {"kind": "http_502"}])
        codes = [requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5).status_code for _i in range(3)]
        assert codes == [503, 502, 200]
        control(server, "POST", "reset")
        assert requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5).status_code == 429


def test_control_stats(sim):
    assert control(sim, "GET", "health") == {"ok": True}
    start(sim, "jdbc2hive")
    status_of(sim, "jdbc2hive")
    requests.get(cdm_url(sim, "job/all"), headers=TOKEN, timeout=5)
    requests.post(sim.url + "/v3/auth/tokens", json=iam_body(), timeout=5)
    stats = control(sim, "GET", "stats")
    assert stats["requests"] == 4
    assert stats["by_route"] == {"start": 1, "status": 1, "job_list": 1, "token": 1}
    assert stats["by_job"] == {"jdbc2hive": 2}
    assert stats["tokens_issued"] == 1 and stats["auth_failures"] == 0
    control(sim, "POST", "reset_stats")
    assert control(sim, "GET", "stats")["requests"] == 0
    assert requests.get(sim.url + "/_sim/nothing", timeout=5).status_code == 404


# ---------------------------------------------------------------------------
# Server behaviour
# ---------------------------------------------------------------------------

def test_keep_alive_and_concurrency(sim):
    connection = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    path = "/v1.1/%s/clusters/%s/cdm/job/jdbc2hive/status" % (PROJECT, CLUSTER)
    for _attempt in range(3):
        connection.request("GET", path, headers=TOKEN)
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read()) == {"submissions": []}
    connection.close()

    errors = []

    def poll():
        with requests.Session() as session:
            for _attempt in range(20):
                response = session.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5)
                if response.status_code != 200:
                    errors.append(response.status_code)

    threads = [threading.Thread(target=poll) for _index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stats = control(sim, "GET", "stats")
    assert stats["by_route"]["status"] == 3 + 12 * 20


def test_tls(tmp_path):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    result = subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                             "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        pytest.skip("openssl cannot make a test certificate")
    with simmod.Simulator(tls_cert=cert, tls_key=key) as server:
        assert server.url.startswith("https://")
        response = requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5, verify=cert)
        assert response.status_code == 200
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5)
        # A plain-HTTP client does not break the server.
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(job_url(server, "jdbc2hive").replace("https", "http"), headers=TOKEN, timeout=5)
        assert requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5, verify=cert).status_code == 200


def wait_for(path, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return
        time.sleep(0.02)
    raise AssertionError("%s did not appear" % path)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_port_file_log_and_signal(tmp_path, signum):
    port_file = str(tmp_path / "port")
    log_file = str(tmp_path / "requests.log")
    process = subprocess.Popen([sys.executable, SIM_PATH, "--port", "0", "--port-file", port_file, "--log", log_file,
                                "--token", "cli-secret-token", "--speed", "600"],
                               cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(port_file)
        with open(port_file) as handle:
            port = int(handle.read())
        base = "http://127.0.0.1:%d" % port
        assert requests.get(base + "/_sim/health", timeout=5).json() == {"ok": True}
        url = "%s/v1.1/%s/clusters/%s/cdm/job/jdbc2hive/status" % (base, PROJECT, CLUSTER)
        assert requests.get(url, headers={"X-Auth-Token": "cli-secret-token"}, timeout=5).status_code == 200
        assert requests.get(url, headers=TOKEN, timeout=5).status_code == 401
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert b"cli-secret-token" not in stdout + stderr
    with open(log_file) as handle:
        log = handle.read()
    assert "GET /v1.1/%s/clusters/%s/cdm/job/jdbc2hive/status 200" % (PROJECT, CLUSTER) in log
    assert " 401" in log and "cli-secret-token" not in log and "X-Auth-Token" not in log
    # The port is free again.
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.bind(("127.0.0.1", port))
    finally:
        probe.close()


def test_cli_bad_scenario(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"speed": -1, "clusters": []}')
    result = subprocess.run([sys.executable, SIM_PATH, "--scenario", str(bad)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=20, check=False)
    assert result.returncode == 2 and b"speed" in result.stderr


# ---------------------------------------------------------------------------
# Vendor SDK cross-check
# ---------------------------------------------------------------------------

def sdk_client(sim, access_key="sim-ak", secret_key="sim-sk", token=None):
    pytest.importorskip("huaweicloudsdkcdm")
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkcdm.v1 import CdmClient

    config = HttpConfig.get_default_config()
    config.timeout = 5
    client = CdmClient.new_builder() \
        .with_credentials(BasicCredentials(access_key, secret_key, PROJECT)) \
        .with_http_config(config) \
        .with_endpoints([sim.url]) \
        .build()
    if token is not None:
        # The SDK has no token credential for CDM: preset the header. It still
        # signs with the (dummy) AK/SK; the simulator lets X-Auth-Token decide.
        client.preset_headers = {"X-Auth-Token": token}
    return client


def run_sdk_lifecycle(sim, client):
    from huaweicloudsdkcdm.v1 import (CdmStartJobReq, ShowJobStatusRequest, StartJobRequest, StopJobRequest,
                                      ShowJobsRequest, ShowSubmissionsRequest, ListClustersRequest)

    response = client.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name="nightly_sync"))
    sub = response.submissions[0]
    assert sub.status == "SUCCEEDED" and sub.progress == 100
    assert sub.counters.org_apache_sqoop_submission_counter_sqoop_counters.rows_written == 500000
    response = client.start_job(StartJobRequest(cluster_id=CLUSTER, job_name="long_running",
                                                body=CdmStartJobReq(variables={"day": "1"})))
    assert response.status_code == 200 and response.submissions[0].status == "BOOTING"
    status = client.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name="long_running")).submissions[0]
    assert status.status in ("BOOTING", "RUNNING") and status.external_id.startswith("job_local")
    response = client.stop_job(StopJobRequest(cluster_id=CLUSTER, job_name="long_running"))
    assert response.status_code == 200 and response.validation_result == []
    status = client.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name="long_running")).submissions[0]
    assert status.status == "FAILED" and status.progress == -1 and status.error_summary
    assert client.show_jobs(ShowJobsRequest(cluster_id=CLUSTER, job_name="all", page_size=10)).total == 5
    assert client.show_submissions(ShowSubmissionsRequest(cluster_id=CLUSTER, jname="long_running")).total == 1
    assert client.list_clusters(ListClustersRequest()).clusters[0].id == CLUSTER


def test_vendor_sdk_aksk(sim):
    client = sdk_client(sim)
    run_sdk_lifecycle(sim, client)
    assert control(sim, "GET", "stats")["by_auth"] == {"aksk": 8}


def test_vendor_sdk_token(sim):
    client = sdk_client(sim, "dummy-ak", "dummy-sk", token="sim-token")
    run_sdk_lifecycle(sim, client)
    assert control(sim, "GET", "stats")["by_auth"] == {"token": 8}


def test_vendor_sdk_errors(sim):
    client = sdk_client(sim)
    from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
    from huaweicloudsdkcdm.v1 import ShowJobStatusRequest, StartJobRequest

    with pytest.raises(ClientRequestException) as info:
        client.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name="nope"))
    assert info.value.status_code == 400 and "Cdm.0100" in str(info.value.error_msg) + str(info.value.error_code)
    assert re.match(r"^[0-9a-f]{32}$", info.value.request_id)
    client.start_job(StartJobRequest(cluster_id=CLUSTER, job_name="jdbc2hive"))
    with pytest.raises(ClientRequestException) as info:
        client.start_job(StartJobRequest(cluster_id=CLUSTER, job_name="jdbc2hive"))
    assert info.value.status_code == 400
    bad = sdk_client(sim, secret_key="wrong")
    with pytest.raises(ClientRequestException) as info:
        bad.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name="jdbc2hive"))
    assert info.value.status_code == 401 and info.value.error_code == "APIG.0301"


def test_vendor_sdk_odd_job_names():
    document = copy.deepcopy(simmod.DEFAULT_SCENARIO)
    names = ("with space", "数据同步", "a/b", "plus+sign")
    document["clusters"][0]["jobs"] = [{"name": name} for name in names]
    with simmod.Simulator(document) as server:
        client = sdk_client(server)
        from huaweicloudsdkcdm.v1 import ShowJobStatusRequest, StartJobRequest

        for name in names:
            client.start_job(StartJobRequest(cluster_id=CLUSTER, job_name=name))
            sub = client.show_job_status(ShowJobStatusRequest(cluster_id=CLUSTER, job_name=name)).submissions[0]
            assert sub.job_name == name


def test_vendor_signer_matches_simulator(sim):
    pytest.importorskip("huaweicloudsdkcore")
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.sdk_request import SdkRequest
    from huaweicloudsdkcore.signer.signer import Signer

    host = "127.0.0.1:%d" % sim.port
    path = "/v1.1/%s/clusters/%s/cdm/job/all" % (PROJECT, CLUSTER)
    request = SdkRequest(method="GET", schema="http", host=host, resource_path=path,
                         query_params=[("filter", "a b"), ("page_size", "10")],
                         header_params={"Content-Type": "application/json", "X-Project-Id": PROJECT}, body="")
    request = Signer(BasicCredentials("sim-ak", "sim-sk", PROJECT)).sign(request)
    response = requests.get("http://%s%s" % (host, request.uri), headers=request.header_params, timeout=5)
    assert response.status_code == 200, response.text
