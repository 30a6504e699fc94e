# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.modules import iam_token  # noqa: E402

PASSWORD = "PASSWORD-SECRET-4b5c6d"
WRONG_PASSWORD = "WRONG-PASSWORD-SECRET-7c8d9e"
TOKEN = "TOKEN-SECRET-a1b2c3d4"
SECRET_KEY = "SK-SECRET-e5f6a7b8c9"


@pytest.fixture(scope="module")
def sim_scenario():
    """IAM knows one user, deployer in domain corp."""
    return {"users": [{"name": "deployer", "password": PASSWORD, "domain": "corp"}],
            "clusters": [{"id": "cluster-1", "jobs": []}]}


@pytest.fixture
def args(api):
    return {"project_id": "project-1", "iam_endpoint": api.url, "user_name": "deployer", "password": PASSWORD,
            "domain_name": "corp", "timeout": 5}


@pytest.fixture
def run(run_module):
    return lambda module_args, check_mode=False: run_module(iam_token.main, module_args, check_mode=check_mode)


def iam_requests(api):
    return [request for request in api.requests if request.path == "/v3/auth/tokens"]


# Fetching a token

def test_password_gives_a_project_scoped_token(run, args, api):
    result, code = run(args)
    assert code == 0
    [request] = iam_requests(api)
    assert (result["token"], result["auth_method"], result["changed"]) == (api.issued_token, "password", False)
    body = json.loads(request.body)
    user = body["auth"]["identity"]["password"]["user"]
    assert (user["name"], user["password"], user["domain"]["name"]) == ("deployer", PASSWORD, "corp")
    assert body["auth"]["scope"] == {"project": {"id": "project-1"}}
    assert PASSWORD not in result["_stdout"]


def test_check_mode_fetches_the_token_too(run, args, api):
    result, code = run(args, check_mode=True)
    assert code == 0
    assert len(iam_requests(api)) == 1
    assert result["token"] == api.issued_token


def test_credentials_and_iam_endpoint_come_from_the_environment(run, api, monkeypatch):
    for name, value in (("HUAWEICLOUD_SDK_PROJECT_ID", "project-1"), ("HUAWEICLOUD_SDK_IAM_ENDPOINT", api.url),
                        ("HW_USER_NAME", "deployer"), ("HW_PASSWORD", PASSWORD), ("HW_DOMAIN_NAME", "corp")):
        monkeypatch.setenv(name, value)
    result, code = run({})
    assert code == 0
    assert result["token"] == api.issued_token
    assert PASSWORD not in result["_stdout"]


def test_password_is_used_even_when_a_token_is_also_set(run, args, api):
    result, code = run(dict(args, auth_token=TOKEN))
    assert code == 0
    assert result["token"] == api.issued_token
    assert iam_requests(api)[0].header("X-Auth-Token") is None


def test_region_gives_the_iam_endpoint():
    params = {"project_id": "p", "region": "cn-north-4", "user_name": "u", "password": "p", "domain_name": "d",
              "timeout": 30.0, "retries": 3}
    assert iam_token.check_options(params, None).iam_endpoint == "https://iam.cn-north-4.myhuaweicloud.com"


# Failures

def test_wrong_password_fails_with_the_iam_error_and_no_secret(run, args, api):
    result, code = run(dict(args, password=WRONG_PASSWORD))
    assert code == 1
    assert result["failed"]
    assert result["http_status"] == 401
    assert result["error_message"] == "The username or password is wrong."
    assert not result["retryable"]
    assert len(iam_requests(api)) == 1
    assert result["request_id"] == iam_requests(api)[0].request_id
    assert "request id: %s" % result["request_id"] in result["msg"]
    assert WRONG_PASSWORD not in result["_stdout"]


def test_unavailable_iam_fails_as_retryable(run, args, api):
    api.faults({"kind": "http_503", "route": "token", "count": -1})
    result, code = run(dict(args, retries=0))
    assert code == 1
    assert result["http_status"] == 503
    assert result["retryable"]


def test_answer_without_a_token_header_fails(run, args, api):
    api.iam(201, json.dumps({"token": {}}))
    result, code = run(args)
    assert code == 1
    assert "X-Subject-Token" in result["msg"]


@pytest.mark.parametrize("other, words", [
    ({"auth_token": TOKEN}, "auth_token is set"),
    ({"access_key": "AK", "secret_key": SECRET_KEY}, "access_key and secret_key are set"),
    ({}, "missing: user_name, password, domain_name"),
])
def test_without_a_password_it_fails_clearly_and_sends_nothing(run, api, other, words):
    result, code = run(dict({"project_id": "project-1", "iam_endpoint": api.url}, **other))
    assert code == 1
    assert result["msg"].startswith("iam_token needs user_name, password and domain_name")
    assert words in result["msg"]
    assert not result["retryable"]
    assert api.requests == []
    assert TOKEN not in result["_stdout"] and SECRET_KEY not in result["_stdout"]


def test_without_iam_endpoint_or_region_it_fails(run, args, api):
    del args["iam_endpoint"]
    result, code = run(args)
    assert code == 1
    assert "iam_endpoint or region" in result["msg"]
    assert api.requests == []


def test_bad_iam_endpoint_is_refused(run, args, api):
    result, code = run(dict(args, iam_endpoint="ftp://iam.example.com"))
    assert code == 1
    assert "iam_endpoint" in result["msg"]
    assert api.requests == []


def test_a_shared_option_check_still_applies(run, args, api):
    result, code = run(dict(args, retries=_options.MAX_RETRIES + 1))
    assert code == 1
    assert result["msg"].startswith("retries must be")
    assert api.requests == []


# Credentials that would cross the network in clear

def test_a_plain_http_iam_endpoint_on_another_machine_gets_a_warning(run, args, no_such_host, warnings_of):
    result, code = run(dict(args, iam_endpoint="http://iam.example.com:8080", retries=0))
    assert code == 1
    assert warnings_of(result) == ["iam_endpoint is a plain http:// URL to another machine (iam.example.com:8080): "
                                   "the credentials cross the network unencrypted; use https://"]
    assert PASSWORD not in result["_stdout"]


def test_a_plain_http_iam_endpoint_on_this_machine_gets_no_warning(run, args, warnings_of):
    result, code = run(args)
    assert code == 0
    assert warnings_of(result) == []


def test_a_plain_http_cdm_endpoint_gets_no_warning_as_nothing_goes_there(run, args, api, warnings_of):
    result, code = run(dict(args, endpoint="http://cdm.example.com:8080"))
    assert code == 0
    assert warnings_of(result) == []
    assert [request.path for request in api.requests] == ["/v3/auth/tokens"]


def test_a_bad_cdm_endpoint_is_refused_as_the_cdm_modules_refuse_it(run, args, api):
    result, code = run(dict(args, endpoint="ftp://cdm.example.com"))
    assert code == 1
    assert result["msg"].startswith("endpoint must be an http:// or https:// URL")
    assert api.requests == []


# only_for_password_auth: what the job_wait role uses

@pytest.mark.parametrize("other, method", [
    ({"auth_token": TOKEN}, "token"),
    ({"access_key": "AK", "secret_key": SECRET_KEY}, "aksk"),
])
def test_only_for_password_auth_asks_nothing_when_another_way_is_used(run, args, api, other, method):
    result, code = run(dict(args, only_for_password_auth=True, **other))
    assert code == 0
    assert (result["token"], result["auth_method"]) == (None, method)
    assert api.requests == []


def test_only_for_password_auth_fetches_when_password_is_the_way(run, args, api):
    result, code = run(dict(args, only_for_password_auth=True))
    assert code == 0
    assert len(iam_requests(api)) == 1
    assert (result["token"], result["auth_method"]) == (api.issued_token, "password")


@pytest.mark.parametrize("value", [True, False])
def test_only_for_password_auth_is_not_taken_for_a_password(run, args, warnings_of, value):
    result, code = run(dict(args, only_for_password_auth=value))
    assert code == 0
    assert warnings_of(result) == []
    assert result["invocation"]["module_args"]["only_for_password_auth"] is value


def test_only_for_password_auth_still_fails_without_any_credentials(run, api):
    result, code = run({"project_id": "project-1", "iam_endpoint": api.url, "only_for_password_auth": True})
    assert code == 1
    assert "iam_token needs user_name, password and domain_name" in result["msg"]
