# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The gateway's authentication and IAM's token call.

AK/SK signatures are checked with the collection's own
``plugins/module_utils/_signer.py``, loaded by file path (no copy of its logic).
"""

import datetime
import hashlib
import hmac
import importlib.util
import json
import os
import secrets
import time
from urllib.parse import parse_qsl


def _load_signer():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, os.pardir,
                        "plugins", "module_utils", "_signer.py")
    spec = importlib.util.spec_from_file_location("_cdm_simulator_signer", os.path.normpath(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signer = _load_signer()


def _iam_error(status, title, message):
    return status, {"error": {"code": str(status), "message": message, "title": title}}


def _same(left, right):
    """Constant-time comparison of two strings (hmac.compare_digest wants ASCII for str)."""
    return hmac.compare_digest(left.encode("utf-8"), right.encode("utf-8"))


def _stable_id(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _iso(seconds):
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Credentials:
    """Tokens (static and IAM-issued), key pairs and their lockouts; guarded by the state's lock."""

    def __init__(self, state):
        self._state = state
        self._scenario = state.scenario
        self.tokens = {}          # issued token -> {"expires", "project_id", "revoked"}
        self.static_revoked = False
        self.key_failures = {}    # access key -> consecutive failures
        self.key_locked = {}      # access key -> monotonic time the lock ends

    def check_token(self, token, project_id):
        """Return None when the token may call this project, else (status, code, message)."""
        with self._state.lock:
            if token in self._scenario["tokens"]:
                if self.static_revoked:
                    return 401, "APIG.0307", "The token must be updated."
                return None
            issued = self.tokens.get(token)
            if issued is None:
                return 401, "APIG.0301", "Incorrect IAM authentication information: decrypt token fail"
            if issued["revoked"] or self._state.clock() >= issued["expires"]:
                return 401, "APIG.0307", "The token must be updated."
            if issued["project_id"] != project_id:
                # A token is scoped to one project (or to none, for a domain-scoped token).
                return 403, "APIG.0302", "The IAM user is forbidden in the currently selected project"
            return None

    def revoke_tokens(self, include_static=False):
        with self._state.lock:
            for issued in self.tokens.values():
                issued["revoked"] = True
            if include_static:
                self.static_revoked = True
            return len(self.tokens)

    def access_key(self, access_key):
        with self._state.lock:
            for entry in self._scenario["access_keys"]:
                if _same(entry["access_key"], access_key):
                    return entry
            return None

    def key_is_locked(self, access_key):
        with self._state.lock:
            until = self.key_locked.get(access_key)
            if until is None:
                return False
            if time.monotonic() >= until:
                del self.key_locked[access_key]
                self.key_failures.pop(access_key, None)
                return False
            return True

    def key_result(self, access_key, success):
        """Track consecutive signature failures; lock the key pair as the gateway does."""
        with self._state.lock:
            if success:
                self.key_failures.pop(access_key, None)
                return
            failures = self.key_failures.get(access_key, 0) + 1
            self.key_failures[access_key] = failures
            limit = self._scenario["aksk_lockout"]
            if limit["failures"] and failures >= limit["failures"]:
                self.key_locked[access_key] = time.monotonic() + limit["seconds"]

    def unlock_keys(self):
        with self._state.lock:
            self.key_failures = {}
            self.key_locked = {}

    def issue_token(self, body):
        """POST /v3/auth/tokens: returns (status, payload, headers)."""
        try:
            doc = json.loads(body.decode("utf-8"))
            auth = doc["auth"]
            identity = auth["identity"]
            methods = identity["methods"]
            user = identity["password"]["user"]
            name, password = user["name"], user["password"]
            domain = user["domain"]["name"]
            scope = auth.get("scope") or {}
            project = scope.get("project")
            project_id = None if project is None else project["id"]
            if not (isinstance(methods, list) and all(isinstance(v, str) for v in (name, password, domain))):
                raise TypeError("wrong types")
            if project_id is not None and not isinstance(project_id, str):
                raise TypeError("wrong project id type")
        except (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError):
            status, payload = _iam_error(400, "Bad Request", "The request body is invalid.")
            return status, payload, {}
        if "password" not in methods:
            status, payload = _iam_error(400, "Bad Request", "The authentication method is not supported.")
            return status, payload, {}
        with self._state.lock:
            known = any(
                _same(entry["name"], name) and _same(entry["password"], password) and _same(entry["domain"], domain)
                for entry in self._scenario["users"])
            if not known:
                status, payload = _iam_error(401, "Unauthorized", "The username or password is wrong.")
                return status, payload, {}
            pinned = self._scenario["project_id"]
            if project_id is not None and pinned is not None and project_id != pinned:
                status, payload = _iam_error(401, "Unauthorized", "The project ID is invalid or the user has no access to it.")
                return status, payload, {}
            now = self._state.clock()
            expires = now + self._scenario["token_ttl"]
            token = "MIIsim" + secrets.token_urlsafe(48)
            self.tokens[token] = {"expires": expires, "project_id": project_id, "revoked": False}
            self._state.stats["tokens_issued"] += 1
        domain_ref = {"id": _stable_id(domain), "name": domain}
        payload = {"token": {
            "expires_at": _iso(expires),
            "issued_at": _iso(now),
            "methods": ["password"],
            "catalog": [],
            "roles": [{"id": "0", "name": "op_fine_grained"}],
            "user": {
                "id": _stable_id(domain + "/" + name),
                "name": name,
                "domain": domain_ref,
                "password_expires_at": "",
            },
        }}
        if project_id is not None:
            payload["token"]["project"] = {"id": project_id, "name": self._scenario["region"], "domain": domain_ref}
        else:
            payload["token"]["domain"] = domain_ref
        return 201, payload, {"X-Subject-Token": token}

    def authenticate(self, method, headers, token, project_id, raw_path, raw_query, body):
        """Return None when allowed, else (status, APIG code, message).

        CHOICE: when X-Auth-Token is present it decides alone and any
        Authorization header is ignored (IAM token authentication first, as
        the vendor SDK can send both when a token is preset).
        """
        if token:
            self._state.count("by_auth", "token")
            failure = self.check_token(token, project_id)
        elif headers.get("Authorization"):
            self._state.count("by_auth", "aksk")
            failure = self._verify_signature(method, headers, raw_path, raw_query, body)
        else:
            self._state.count("by_auth", "none")
            failure = (401, "APIG.0301", "Incorrect IAM authentication information: Authorization not found.")
        pinned = self._scenario["project_id"]
        if failure is None and pinned is not None and project_id != pinned:
            failure = (403, "APIG.0302", "The IAM user is forbidden in the currently selected project")
        return failure

    def _verify_signature(self, method, headers, raw_path, raw_query, body):
        prefix = "Incorrect IAM authentication information: "
        try:
            access_key, names, sig = signer.parse_authorization(headers.get("Authorization"))
        except ValueError:
            return 401, "APIG.0301", prefix + "Authorization format incorrect."
        entry = self.access_key(access_key)
        if entry is None:
            return 401, "APIG.0301", prefix + "ak not found."
        if self.key_is_locked(access_key):
            return 401, "APIG.0301", prefix + "AK access failed to reach the limit, forbidden."
        sdk_date = headers.get("X-Sdk-Date")
        if not sdk_date:
            return 401, "APIG.0301", prefix + "X-Sdk-Date header is missing."
        try:
            moment = signer.parse_sdk_date(sdk_date)
        except ValueError:
            return 401, "APIG.0301", prefix + "X-Sdk-Date is not in the format YYYYMMDDTHHMMSSZ."
        # The skew check uses the real wall clock (clients sign with it), not the simulated one.
        skew = abs(time.time() - moment.timestamp())
        if skew > self._scenario["max_skew"]:
            return 401, "APIG.0301", prefix + "the request date (X-Sdk-Date) is skewed by more than 15 minutes from the server time."
        if entry["security_token"] is not None:
            received = headers.get("X-Security-Token") or ""
            if not _same(received, entry["security_token"]):
                self.key_result(access_key, False)
                return 401, "APIG.0301", prefix + "security token invalid."
        signed = {}
        for name in names:
            value = headers.get(name)
            if value is not None:
                signed[name] = value
        canonical = signer.canonical_request(method, raw_path, parse_qsl(raw_query, keep_blank_values=True),
                                             signed, names, body)
        expected = signer.signature(entry["secret_key"], signer.string_to_sign(sdk_date, canonical))
        if not hmac.compare_digest(expected, sig):
            self.key_result(access_key, False)
            return 401, "APIG.0301", prefix + "verify aksk signature fail."
        self.key_result(access_key, True)
        return None
