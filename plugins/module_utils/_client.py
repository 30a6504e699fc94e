# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTTP client: endpoint, authentication, retries and error mapping in one place."""

from __future__ import annotations

import json
import os
import threading
import time
import traceback

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _failures
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _retry
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _timing

REQUESTS_IMPORT_ERROR = None
try:
    import requests
except ImportError:  # pragma: no cover - exercised by the missing-library test
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

# A status body is a few kilobytes; anything near this is not a CDM answer.
MAX_BODY_BYTES = 8 * 1024 * 1024
USER_AGENT = "huaweicloud.cdm-ansible"


def new_session():
    """A requests session that leaves the environment to CdmClient: no ~/.netrc credentials, ever."""
    session = requests.Session()
    session.trust_env = False
    return session


def _request_id(response):
    return response.headers.get("X-Request-Id") or response.headers.get("X-Openstack-Request-Id")


class Answer(tuple):
    """A CDM answer: unpacks as ``(body, request_id)``; ``date`` is the service's clock (``_timing.service_time``)."""

    def __new__(cls, body, request_id, date=None):
        answer = tuple.__new__(cls, (body, request_id))
        answer.date = date
        return answer


class CdmClient(object):
    """Calls one CDM endpoint with one auth method.

    ``sleep`` and ``session`` are injectable for tests.
    """

    def __init__(self, endpoint, auth, timeout=30.0, retries=3, verify=True, session=None, sleep=time.sleep):
        self.endpoint = endpoint.rstrip("/")
        self.auth = auth
        self.timeout = timeout
        self.retries = retries
        self.verify = verify
        self.session = session or new_session()
        self.sleep = sleep
        self.requests_made = 0
        self._count_lock = threading.Lock()
        self._environment = {}

    @classmethod
    def for_connection(cls, connection, auth, **kwargs):
        """The client for a ``_connection.Connection``: its endpoint, timeout, retries and TLS settings."""
        return cls(connection.endpoint, auth, timeout=connection.timeout, retries=connection.retries,
                   verify=connection.verify, **kwargs)

    def _settings_from_environment(self, url):
        """(proxies, verify) for ``url`` as requests would take them from the environment, read once per host.

        The session does not read the environment itself (see ``new_session``):
        requests would read it again on every request, and would let a
        ``~/.netrc`` entry replace the Authorization header of a signed request.
        """
        origin = url.split("/", 3)[:3]
        key = "/".join(origin)
        settings = self._environment.get(key)
        if settings is None:
            proxies = requests.utils.get_environ_proxies(url)  # HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY
            verify = self.verify
            if verify is True:
                verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
            settings = self._environment[key] = (proxies, verify)
        return settings

    def _send(self, method, url, headers, body):
        """One HTTP exchange: (status, text, request_id, headers). Raises CdmError when nothing usable came back."""
        with self._count_lock:
            self.requests_made += 1
        proxies, verify = self._settings_from_environment(url)
        try:
            response = self.session.request(method, url, headers=headers, data=body, timeout=self.timeout,
                                            verify=verify, proxies=proxies, stream=True, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise _failures.tls_failure(url, _failures.short(exc))
        except (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL,
                requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema) as exc:
            # These quote the offending value, which may be a credential: never repeat their text.
            raise _errors.CdmError("the request to %s could not be built (%s): check the endpoint and that no "
                                   "credential holds spaces, newlines or other control characters"
                                   % (_failures.host_of(url), type(exc).__name__), retryable=False)
        except requests.exceptions.Timeout as exc:
            error = _errors.CdmError("no answer from %s within %s seconds (timeout)" % (_failures.host_of(url), self.timeout),
                                     retryable=True)
            error.not_sent = isinstance(exc, requests.exceptions.ConnectTimeout)
            raise error
        except requests.exceptions.RequestException as exc:
            error = _failures.connection_failure(url, exc, self.timeout)
            error.not_sent = _failures.never_connected(exc)
            raise error
        request_id = _request_id(response)
        try:
            raw = _read_body(response, time.monotonic() + self.timeout)
        except _BodyTimeout:
            raise _errors.CdmError("the answer from %s did not arrive within %s seconds (timeout; request id: %s)"
                                   % (_failures.host_of(url), self.timeout, request_id or "none"),
                                   http_status=response.status_code, request_id=request_id, retryable=True)
        except Exception as exc:  # the connection broke mid-body (urllib3 raises several kinds)
            raise _errors.CdmError("the answer from %s broke off: %s (request id: %s)"
                                   % (_failures.host_of(url), _failures.short(exc), request_id or "none"), retryable=True)
        finally:
            response.close()
        if raw is None:
            raise _errors.CdmError("the answer from %s is larger than %d bytes; refusing to read it (request id: %s)"
                                   % (_failures.host_of(url), MAX_BODY_BYTES, request_id or "none"),
                                   http_status=response.status_code, request_id=request_id, retryable=False)
        text = raw.decode("utf-8", errors="replace")
        return response.status_code, text, request_id, response.headers

    def _retrying(self, attempt_once, renew_token=False, sent_token=lambda: None, idempotent=True):
        """Run ``attempt_once`` under the retry policy; renew an expired token once when allowed."""
        attempt = 0
        renewed = False
        while True:
            attempt += 1
            try:
                return attempt_once()
            except _errors.CdmError as error:
                if error.exhausted:
                    # Already retried where it happened (the IAM token call): not again here.
                    raise
                if renew_token and error.token_expired and renewed:
                    raise _errors.renewed_token_refused(error)
                if renew_token and error.token_expired and not renewed and self.auth.can_renew:
                    # The gateway says the token must be renewed (APIG.0307): once, then the call goes on.
                    renewed = True
                    self.auth.renew(self, sent_token())
                    attempt -= 1
                    continue
                if not _retry.should_retry(error, attempt, self.retries, idempotent):
                    raise
                self.sleep(_retry.backoff_delay(attempt, error.retry_after))

    def _checked(self, method, url, headers, data, what):
        status, text, request_id, response_headers = self._send(method, url, headers, data)
        if 200 <= status < 300:
            return status, text, request_id, response_headers
        raise _errors.from_response(status, text, request_id, what=what,
                                    retry_after=_retry.parse_retry_after(response_headers.get("Retry-After")))

    def call(self, method, url, body=None, idempotent=None):
        """A CDM call: an ``Answer``, the decoded JSON body and the request id, with the service's clock.

        A call that is not ``idempotent`` (by default, all but GET) is retried only when it provably
        never reached CDM; when it may have been carried out, its CdmError has ``outcome_unknown``.
        """
        if idempotent is None:
            idempotent = method in ("GET", "HEAD")
        data = json.dumps(body, separators=(",", ":")).encode("utf-8") if body is not None else b""
        base_headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        if body is not None:
            base_headers["Content-Type"] = "application/json;charset=UTF-8"

        sent = {}

        def attempt_once():
            # Signed fresh on every attempt: the signature covers X-Sdk-Date.
            try:
                headers = self.auth.headers(method, url, base_headers, data, self)
            except _errors.CdmError as error:
                error.not_sent = True  # IAM failed: the CDM call itself never left
                raise
            sent["token"] = headers.get("X-Auth-Token")
            return self._checked(method, url, headers, data or None, "the CDM API")

        try:
            status, text, request_id, headers = self._retrying(attempt_once, renew_token=True,
                                                               sent_token=lambda: sent.get("token"),
                                                               idempotent=idempotent)
            return Answer(self.decode(status, text, request_id), request_id, _timing.service_time(headers.get("Date")))
        except _errors.CdmError as error:
            # A transient failure of a write the service may have carried out:
            # only a read of the state can tell (a 2xx with a broken body included).
            error.outcome_unknown = not idempotent and error.retryable and not _retry.not_delivered(error)
            raise

    @staticmethod
    def decode(status, text, request_id):
        if not text.strip():
            raise _errors.malformed_body(status, text, request_id, "empty body")
        try:
            return json.loads(text)
        except ValueError:
            raise _errors.malformed_body(status, text, request_id, "invalid JSON")

    def fetch_iam_token(self, url, body):
        """A project-scoped token from IAM (the token itself comes in the X-Subject-Token header)."""
        data = json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json;charset=UTF-8", "Accept": "application/json", "User-Agent": USER_AGENT}
        try:
            status, _text, request_id, response_headers = self._retrying(
                lambda: self._checked("POST", url, headers, data, "IAM"))
        except _errors.CdmError as error:
            error.exhausted = True
            raise
        token = response_headers.get("X-Subject-Token")
        if not token:
            raise _errors.CdmError("IAM answered HTTP %s without an X-Subject-Token header (request id: %s)"
                                   % (status, request_id or "none"), http_status=status, request_id=request_id)
        return token


class _BodyTimeout(Exception):
    pass


def _read_body(response, deadline):
    """At most MAX_BODY_BYTES + 1 bytes of the body, all of it before ``deadline`` (time.monotonic()).

    requests' timeout bounds each socket read, not the whole body: a server that
    sends a byte now and then would otherwise hold the call for hours.
    """
    raw = response.raw
    read_some = getattr(raw, "read1", None)  # urllib3 2: what has arrived, without waiting for a full chunk
    chunks, size = [], 0
    while size <= MAX_BODY_BYTES:
        if time.monotonic() > deadline:
            raise _BodyTimeout()
        if read_some is not None:
            chunk = read_some(min(65536, MAX_BODY_BYTES + 1 - size), decode_content=True)
        else:
            chunk = raw.read(min(8192, MAX_BODY_BYTES + 1 - size), decode_content=True)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > MAX_BODY_BYTES:
        return None  # not joined: an oversize body is never held twice
    return b"".join(chunks)
