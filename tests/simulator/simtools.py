# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the simulator's tests share: its identifiers, URL builders and assertions."""

import json
import os
import time
from urllib.parse import quote

import requests

from cdm_sim.auth import signer

HERE = os.path.dirname(os.path.abspath(__file__))
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


def iam_body(user="sim-user", password="sim-password", domain="sim-domain", project=PROJECT):
    return {"auth": {
        "identity": {"methods": ["password"],
                     "password": {"user": {"name": user, "password": password, "domain": {"name": domain}}}},
        "scope": {"project": {"id": project}},
    }}


def add_fault(sim, **fault):
    control(sim, "POST", "faults", fault)


def wait_for(path, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return
        time.sleep(0.02)
    raise AssertionError("%s did not appear" % path)
