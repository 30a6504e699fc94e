# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The three ways to authenticate to Huawei Cloud, and how one is chosen.

An auth object turns a request's headers into authenticated headers. None of
them ever puts a secret into an exception message or ``repr``.
"""

from __future__ import annotations

import threading

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _signer

AUTH_METHODS_HELP = (
    "no complete credentials were given; use one of: auth_token; access_key and secret_key; "
    "or user_name, password and domain_name (see the module documentation for their environment variables)"
)


class TokenAuth(object):
    """An IAM token sent as X-Auth-Token."""

    name = "token"

    def __init__(self, token, renewer=None):
        self._token = token
        self._renewer = renewer
        self._lock = threading.Lock()

    def __repr__(self):
        return "TokenAuth(<token hidden>)"

    def headers(self, method, url, headers, body, client):
        headers = dict(headers)
        headers["X-Auth-Token"] = self._token
        return headers

    @property
    def can_renew(self):
        return self._renewer is not None

    def renew(self, client, stale_token=None):
        # Batch calls run in threads: the first to see the token expire renews it, the others use the new one.
        with self._lock:
            if stale_token is not None and stale_token != self._token:
                return
            self._token = self._renewer.fetch_token(client)


class AkSkAuth(object):
    """SDK-HMAC-SHA256 signing with an access key and secret key."""

    name = "aksk"

    def __init__(self, access_key, secret_key, project_id, security_token=None):
        self._access_key = access_key
        self._secret_key = secret_key
        self._project_id = project_id
        self._security_token = security_token

    def __repr__(self):
        return "AkSkAuth(<keys hidden>)"

    can_renew = False

    def headers(self, method, url, headers, body, client):
        headers = dict(headers)
        if self._project_id:
            headers["X-Project-Id"] = self._project_id
        if self._security_token:
            headers["X-Security-Token"] = self._security_token
        return _signer.sign(method, url, headers, body or b"", self._access_key, self._secret_key)


class PasswordAuth(object):
    """A project-scoped IAM token fetched once with user name and password, then X-Auth-Token."""

    name = "password"

    def __init__(self, user_name, password, domain_name, project_id, iam_endpoint):
        self._user_name = user_name
        self._password = password
        self._domain_name = domain_name
        self._project_id = project_id
        self.iam_endpoint = iam_endpoint.rstrip("/")
        self._token = None
        # Batch status calls run in threads: the token is fetched once for all of them.
        self._lock = threading.Lock()

    def __repr__(self):
        return "PasswordAuth(<password hidden>)"

    can_renew = True

    def token_request_body(self):
        return {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": self._user_name, "password": self._password, "domain": {"name": self._domain_name}}}},
            "scope": {"project": {"id": self._project_id}},
        }}

    def fetch_token(self, client):
        return client.fetch_iam_token(self.iam_endpoint + "/v3/auth/tokens", self.token_request_body())

    def headers(self, method, url, headers, body, client):
        with self._lock:
            if self._token is None:
                self._token = self.fetch_token(client)
            token = self._token
        headers = dict(headers)
        headers["X-Auth-Token"] = token
        return headers

    def renew(self, client, stale_token=None):
        with self._lock:
            if stale_token is not None and stale_token != self._token:
                return
            self._token = self.fetch_token(client)


def select_auth(params, iam_endpoint=None):
    """The first complete method in the documented order, or None.

    ``params`` holds the module's auth options. A token given together with a
    password identity is renewed with that identity when the gateway says it
    expired (APIG.0307).
    """
    project_id = params.get("project_id")
    password_auth = None
    if params.get("user_name") and params.get("password") and params.get("domain_name") and iam_endpoint:
        password_auth = PasswordAuth(params["user_name"], params["password"], params["domain_name"],
                                     project_id, iam_endpoint)
    if params.get("auth_token"):
        return TokenAuth(params["auth_token"], renewer=password_auth)
    if params.get("access_key") and params.get("secret_key"):
        return AkSkAuth(params["access_key"], params["secret_key"], project_id, params.get("security_token"))
    return password_auth
