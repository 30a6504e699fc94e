# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""cdm_job_status behind a gateway whose codes read APIGW., and a CDM that answers code/message only."""

from __future__ import annotations

import pytest

requests = pytest.importorskip("requests")
pytest.importorskip("jmespath")

# pylint: disable=wrong-import-position
from ansible_collections.huaweicloud.cdm.plugins.modules import cdm_job_status  # noqa: E402

TOKEN = "TOKEN-SECRET-f0e1d2"
SECRET_KEY = "SK-SECRET-c3b4a5"
PASSWORD = "PASSWORD-SECRET-968778"
STATUS_PATH = "/v1.1/project-1/clusters/cluster-1/cdm/job/jdbc2hive/status"


@pytest.fixture(scope="module")
def sim_scenario():
    return {
        "gateway_prefix": "APIGW",
        "cdm_error_fields": "code",
        "tokens": [TOKEN],
        "access_keys": [{"access_key": "AK-1", "secret_key": SECRET_KEY}],
        "users": [{"name": "alice", "password": PASSWORD, "domain": "corp"}],
        "clusters": [{"id": "cluster-1", "jobs": [
            {"name": "jdbc2hive", "history": [{"outcome": "succeeded", "finished_ago": 60}]}]}],
    }


@pytest.fixture
def args(api):
    return {"project_id": "project-1", "cluster_id": "cluster-1", "job_name": "jdbc2hive", "endpoint": api.url,
            "auth_token": TOKEN, "timeout": 5}


@pytest.fixture
def run(run_module):
    return lambda module_args: run_module(cdm_job_status.main, module_args)


def test_an_apigw_0307_token_is_renewed_with_the_password(run, args, api):
    api.faults({"kind": "token_expired"})
    result, code = run(dict(args, user_name="alice", password=PASSWORD, domain_name="corp", iam_endpoint=api.url))
    assert (code, result["status"]) == (0, "SUCCEEDED")
    assert [(r.method, r.path, r.status) for r in api.requests] == [
        ("GET", STATUS_PATH, 401), ("POST", "/v3/auth/tokens", 201), ("GET", STATUS_PATH, 200)]
    assert PASSWORD not in result["_stdout"] and TOKEN not in result["_stdout"]


def test_an_apigw_0307_without_a_password_fails_at_once_with_the_hint(run, args, api):
    api.faults({"kind": "token_expired"})
    result, code = run(args)
    assert code == 1 and (result["error_code"], result["retryable"]) == ("APIGW.0307", False)
    assert "the IAM token expired" in result["msg"] and len(api.requests) == 1


def test_an_apigw_0308_is_ridden_out(run, args, api):
    api.faults({"kind": "throttle", "count": 2, "retry_after": "0"})
    result, code = run(args)
    assert (code, result["status"]) == (0, "SUCCEEDED")
    assert [r.status for r in api.requests] == [429, 429, 200]


def test_an_apigw_0301_signature_is_sent_once(run, args, api):
    module_args = dict(args, access_key="AK-1", secret_key="SK-WRONG-SECRET")
    module_args.pop("auth_token")
    result, code = run(module_args)
    assert code == 1 and (result["error_code"], result["retryable"]) == ("APIGW.0301", False)
    assert "check that secret_key belongs to access_key" in result["msg"]
    assert len(api.requests) == 1 and "SK-WRONG-SECRET" not in result["_stdout"]


def test_an_apigw_5xx_to_the_end_fails_as_retryable(run, args, api):
    api.faults({"kind": "http_503", "count": -1})
    result, code = run(dict(args, retries=1))
    assert code == 1 and (result["http_status"], result["error_code"], result["retryable"]) == (503, "APIGW.0201", True)
    assert (result["finished"], len(api.requests)) == (False, 2)


def test_a_cdm_error_in_code_and_message_names_the_missing_job(run, args, api):
    result, code = run(dict(args, job_name="nosuchjob"))
    assert code == 1 and (result["error_code"], result["retryable"]) == ("Cdm.0100", False)
    assert result["error_message"] == "Job[nosuchjob] doesn't exist."
    assert "check job_name and cluster_id" in result["msg"]
