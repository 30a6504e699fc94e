# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import hashlib

import pytest

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _auth
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _signer

IAM = "https://iam.cn-north-4.myhuaweicloud.com"
URL = "https://cdm.cn-north-4.myhuaweicloud.com/v1.1/project-1/clusters/c-1/cdm/job/j/status"
SECRETS = ("TOKEN-VALUE-1234", "SK-VALUE-5678", "PASSWORD-VALUE-9012", "SECURITY-TOKEN-3456")

TOKEN = {"auth_token": "TOKEN-VALUE-1234"}
AKSK = {"access_key": "AK-VALUE", "secret_key": "SK-VALUE-5678"}
PASSWORD = {"user_name": "alice", "password": "PASSWORD-VALUE-9012", "domain_name": "corp"}


class FakeIamClient(object):
    """Stands in for CdmClient.fetch_iam_token: hands out numbered tokens and records the calls."""

    def __init__(self):
        self.calls = []

    def fetch_iam_token(self, url, body):
        self.calls.append((url, body))
        return "iam-token-%d" % len(self.calls)


def params(*groups, **extra):
    values = {"project_id": "project-1"}
    for group in groups:
        values.update(group)
    values.update(extra)
    return values


# select_auth

def test_token_is_chosen_first():
    assert isinstance(_auth.select_auth(params(TOKEN, AKSK, PASSWORD), IAM), _auth.TokenAuth)


def test_ak_sk_is_chosen_before_password():
    assert isinstance(_auth.select_auth(params(AKSK, PASSWORD), IAM), _auth.AkSkAuth)


def test_password_is_chosen_last():
    auth = _auth.select_auth(params(PASSWORD), IAM)
    assert isinstance(auth, _auth.PasswordAuth)
    assert auth.iam_endpoint == IAM


def test_nothing_given_selects_nothing():
    assert _auth.select_auth(params(), IAM) is None


@pytest.mark.parametrize("given", [
    {"access_key": "AK-VALUE"},
    {"secret_key": "SK-VALUE-5678"},
    {"user_name": "alice", "password": "pw"},
    {"password": "pw", "domain_name": "corp"},
    {"auth_token": ""},
])
def test_incomplete_credentials_select_nothing(given):
    assert _auth.select_auth(params(given), IAM) is None


def test_incomplete_ak_sk_is_skipped_for_a_complete_password():
    assert isinstance(_auth.select_auth(params(PASSWORD, access_key="AK-VALUE"), IAM), _auth.PasswordAuth)


def test_password_without_iam_endpoint_selects_nothing():
    assert _auth.select_auth(params(PASSWORD), None) is None


def test_token_alone_cannot_be_renewed():
    assert _auth.select_auth(params(TOKEN), IAM).can_renew is False


def test_token_with_password_identity_can_be_renewed():
    assert _auth.select_auth(params(TOKEN, PASSWORD), IAM).can_renew is True


def test_ak_sk_cannot_be_renewed():
    assert _auth.select_auth(params(AKSK), IAM).can_renew is False


# Token

def test_token_auth_sends_the_token_header():
    headers = _auth.TokenAuth("TOKEN-VALUE-1234").headers("GET", URL, {"Accept": "application/json"}, b"", None)
    assert headers == {"Accept": "application/json", "X-Auth-Token": "TOKEN-VALUE-1234"}


def test_token_auth_does_not_change_the_given_headers():
    given = {"Accept": "application/json"}
    _auth.TokenAuth("TOKEN-VALUE-1234").headers("GET", URL, given, b"", None)
    assert given == {"Accept": "application/json"}


def test_renewed_token_replaces_the_old_one():
    client = FakeIamClient()
    auth = _auth.select_auth(params(TOKEN, PASSWORD), IAM)
    auth.renew(client)
    assert auth.headers("GET", URL, {}, b"", client)["X-Auth-Token"] == "iam-token-1"
    assert client.calls[0][0] == IAM + "/v3/auth/tokens"


# Password

def test_password_auth_fetches_a_project_scoped_token_once():
    client = FakeIamClient()
    auth = _auth.select_auth(params(PASSWORD), IAM + "/")
    first = auth.headers("GET", URL, {}, b"", client)
    second = auth.headers("GET", URL, {}, b"", client)
    assert first["X-Auth-Token"] == second["X-Auth-Token"] == "iam-token-1"
    assert len(client.calls) == 1


def test_password_auth_asks_iam_with_the_documented_body():
    client = FakeIamClient()
    _auth.select_auth(params(PASSWORD), IAM).headers("GET", URL, {}, b"", client)
    url, body = client.calls[0]
    assert url == IAM + "/v3/auth/tokens"
    assert body == {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "alice", "password": "PASSWORD-VALUE-9012", "domain": {"name": "corp"}}}},
        "scope": {"project": {"id": "project-1"}},
    }}


def test_password_auth_renews_with_a_new_fetch():
    client = FakeIamClient()
    auth = _auth.select_auth(params(PASSWORD), IAM)
    auth.headers("GET", URL, {}, b"", client)
    auth.renew(client)
    assert auth.headers("GET", URL, {}, b"", client)["X-Auth-Token"] == "iam-token-2"


# AK/SK

def aksk_headers(security_token=None, project_id="project-1", body=b""):
    auth = _auth.AkSkAuth("AK-VALUE", "SK-VALUE-5678", project_id, security_token)
    return auth.headers("GET", URL, {"Accept": "application/json"}, body, None)


def test_ak_sk_adds_and_signs_the_project_id():
    headers = aksk_headers()
    assert headers["X-Project-Id"] == "project-1"
    assert "x-project-id" in _signer.parse_authorization(headers["Authorization"])[1]


def test_ak_sk_adds_and_signs_the_security_token():
    headers = aksk_headers(security_token="SECURITY-TOKEN-3456")
    assert headers["X-Security-Token"] == "SECURITY-TOKEN-3456"
    assert "x-security-token" in _signer.parse_authorization(headers["Authorization"])[1]


def test_ak_sk_without_security_token_sends_none():
    assert "X-Security-Token" not in aksk_headers()


def test_ak_sk_without_project_id_sends_none():
    assert "X-Project-Id" not in aksk_headers(project_id=None)


def test_ak_sk_signature_verifies_with_the_secret_key():
    headers = aksk_headers(security_token="SECURITY-TOKEN-3456")
    access_key, names, signature = _signer.parse_authorization(headers["Authorization"])
    assert access_key == "AK-VALUE"
    assert names == ["accept", "host", "x-project-id", "x-sdk-date", "x-security-token"]
    canonical = _signer.canonical_request("GET", "/v1.1/project-1/clusters/c-1/cdm/job/j/status", [], headers, names, b"")
    expected = _signer.signature("SK-VALUE-5678", _signer.string_to_sign(headers["X-Sdk-Date"], canonical))
    assert signature == expected


def test_ak_sk_signature_covers_the_body():
    body = b'{"variables":{}}'
    headers = aksk_headers(body=body)
    names = _signer.parse_authorization(headers["Authorization"])[1]
    canonical = _signer.canonical_request("GET", "/v1.1/project-1/clusters/c-1/cdm/job/j/status", [], headers, names, body)
    assert canonical.endswith(hashlib.sha256(body).hexdigest())
    assert _signer.parse_authorization(headers["Authorization"])[2] == _signer.signature(
        "SK-VALUE-5678", _signer.string_to_sign(headers["X-Sdk-Date"], canonical))


def test_ak_sk_never_sends_the_secret_key():
    headers = aksk_headers(security_token="SECURITY-TOKEN-3456")
    assert not any("SK-VALUE-5678" in str(value) for value in headers.values())


# Secrets stay out of repr

@pytest.mark.parametrize("given", [TOKEN, AKSK, PASSWORD, dict(AKSK, security_token="SECURITY-TOKEN-3456"), dict(TOKEN, **PASSWORD)])
def test_repr_never_shows_a_secret(given):
    auth = _auth.select_auth(params(given), IAM)
    text = repr(auth) + str(auth)
    assert not any(secret in text for secret in SECRETS)


def test_repr_of_a_token_with_a_fetched_token_shows_no_token():
    auth = _auth.select_auth(params(PASSWORD), IAM)
    auth.headers("GET", URL, {}, b"", FakeIamClient())
    assert "iam-token-1" not in repr(auth)


def test_help_names_the_three_ways():
    for option in ("auth_token", "access_key", "secret_key", "user_name", "password", "domain_name"):
        assert option in _auth.AUTH_METHODS_HELP
