# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gateway's authentication (token, AK/SK signature, lockout) and IAM's token call."""

import copy
import datetime
import json
import re

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim import DEFAULT_SCENARIO, Simulator  # noqa: E402
from simtools import CLUSTER, PROJECT, TOKEN, assert_apig, cdm_url, control, iam_body, job_url, signed, signer, status_of  # noqa: E402


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
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["project_id"] = PROJECT
    with Simulator(document) as server:
        assert requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5).status_code == 200
        assert_apig(requests.get(job_url(server, "jdbc2hive", project="other"), headers=TOKEN, timeout=5),
                    403, "APIG.0302")


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
    server = Simulator(token="t2", access_key="ak2", secret_key="sk2", user="u2", password="p2").start()
    try:
        url = job_url(server, "jdbc2hive")
        assert requests.get(url, headers={"X-Auth-Token": "t2"}, timeout=5).status_code == 200
        assert requests.get(url, headers=TOKEN, timeout=5).status_code == 401
        assert requests.get(url, headers=signed("GET", url, access_key="ak2", secret_key="sk2"), timeout=5).status_code == 200
        response = requests.post(server.url + "/v3/auth/tokens", json=iam_body(user="u2", password="p2"), timeout=5)
        assert response.status_code == 201
    finally:
        server.stop()
