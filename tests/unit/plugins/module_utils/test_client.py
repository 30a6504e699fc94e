# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from requests.structures import CaseInsensitiveDict  # noqa: E402

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _auth  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _client  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _failures  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _signer  # noqa: E402

ENDPOINT = "https://cdm.cn-north-4.myhuaweicloud.com"
IAM = "https://iam.cn-north-4.myhuaweicloud.com"
STATUS_URL = ENDPOINT + "/v1.1/project-1/clusters/cluster-1/cdm/job/jdbc2hive/status"
TOKEN = "TOKEN-VALUE-1234"
PASSWORD = "PASSWORD-VALUE-9012"


class FakeRaw(object):
    def __init__(self, body, error=None):
        self._body = body
        self._error = error
        self._position = 0

    def read(self, amount=None, decode_content=False):
        # A stream: each read goes on where the last one stopped.
        if self._error is not None:
            raise self._error
        end = len(self._body) if amount is None else self._position + amount
        chunk = self._body[self._position:end]
        self._position += len(chunk)
        return chunk

    read1 = read

    def close(self):
        pass

    def release_conn(self):
        pass


class FakeResponse(object):
    def __init__(self, status, body=b"", headers=None, read_error=None):
        self.status_code = status
        self.headers = CaseInsensitiveDict(headers or {})
        self.raw = FakeRaw(body, read_error)
        self.closed = False

    def close(self):
        self.closed = True


class FakeSession(object):
    """Answers each request with the next scripted response, or raises the next scripted exception."""

    def __init__(self, *script):
        self.script = list(script)
        self.calls = []
        self.responses = []

    def request(self, method, url, **kwargs):
        self.calls.append(dict(kwargs, method=method, url=url))
        assert self.script, "unexpected request %s %s" % (method, url)
        answer = self.script.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        self.responses.append(answer)
        return answer

    def urls(self):
        return [call["url"] for call in self.calls]


def reply(status=200, body=None, headers=None, request_id="req-1", read_error=None):
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode("utf-8")
    all_headers = {"Content-Type": "application/json"}
    if request_id:
        all_headers["X-Request-Id"] = request_id
    all_headers.update(headers or {})
    return FakeResponse(status, body or b"", all_headers, read_error)


def iam_reply(token="iam-token-1", fixture_loader=None):
    body = fixture_loader("iam_token.json") if fixture_loader else {"token": {}}
    return reply(201, body, headers={"X-Subject-Token": token}, request_id="iam-req")


@pytest.fixture
def status_ok(fixture_loader):
    return lambda request_id="req-ok": reply(200, fixture_loader("status_succeeded.json"), request_id=request_id)


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def make_client(sleeps):
    def make(session, auth=None, retries=3):
        auth = auth or _auth.TokenAuth(TOKEN)
        return _client.CdmClient(ENDPOINT, auth, timeout=12.5, retries=retries, verify="/ca.pem", session=session,
                                 sleep=sleeps.append)
    return make


def password_auth():
    return _auth.PasswordAuth("alice", PASSWORD, "corp", "project-1", IAM)


def renewable_token_auth():
    return _auth.TokenAuth(TOKEN, renewer=password_auth())


# Success

def test_successful_call_returns_the_body_and_request_id(make_client, status_ok, fixture_loader):
    session = FakeSession(status_ok())
    body, request_id = make_client(session).call("GET", STATUS_URL)
    assert body == fixture_loader("status_succeeded.json")
    assert request_id == "req-ok"


def test_the_answer_carries_the_services_clock_from_its_date_header(make_client, fixture_loader):
    session = FakeSession(reply(200, {"submissions": []}, headers={"Date": "Tue, 14 Nov 2023 22:13:20 GMT"}))
    answer = make_client(session).call("GET", STATUS_URL)
    assert (answer.date, answer[0], answer[1]) == (1700000000, {"submissions": []}, "req-1")


def test_an_answer_without_a_date_header_has_no_service_time(make_client, status_ok):
    assert make_client(FakeSession(status_ok())).call("GET", STATUS_URL).date is None


def test_the_date_is_the_one_of_the_answer_that_came_after_the_retries(make_client):
    session = FakeSession(reply(503, headers={"Date": "Mon, 13 Nov 2023 22:13:20 GMT"}),
                          reply(200, {"submissions": []}, headers={"Date": "Tue, 14 Nov 2023 22:13:20 GMT"}))
    assert make_client(session).call("GET", STATUS_URL).date == 1700000000


def test_successful_call_makes_one_request_with_the_token(make_client, status_ok):
    session = FakeSession(status_ok())
    make_client(session).call("GET", STATUS_URL)
    assert len(session.calls) == 1
    call = session.calls[0]
    assert (call["method"], call["url"]) == ("GET", STATUS_URL)
    assert call["headers"]["X-Auth-Token"] == TOKEN
    assert call["headers"]["Accept"] == "application/json"


def test_request_uses_timeout_tls_settings_and_no_redirects(make_client, status_ok):
    session = FakeSession(status_ok())
    make_client(session).call("GET", STATUS_URL)
    call = session.calls[0]
    assert call["timeout"] == 12.5
    assert call["verify"] == "/ca.pem"
    assert call["allow_redirects"] is False
    assert call["data"] is None


def test_body_is_sent_as_compact_json(make_client, status_ok):
    session = FakeSession(status_ok())
    make_client(session).call("PUT", STATUS_URL, body={"variables": {"a": "b"}})
    call = session.calls[0]
    assert call["data"] == b'{"variables":{"a":"b"}}'
    assert call["headers"]["Content-Type"].startswith("application/json")


def test_every_response_is_closed(make_client, status_ok):
    session = FakeSession(reply(503), status_ok())
    make_client(session).call("GET", STATUS_URL)
    assert all(response.closed for response in session.responses)


def test_request_id_from_the_openstack_header_is_used(make_client):
    session = FakeSession(reply(200, {"submissions": []}, headers={"X-Openstack-Request-Id": "os-req"}, request_id=None))
    assert make_client(session).call("GET", STATUS_URL)[1] == "os-req"


def test_requests_made_are_counted(make_client, status_ok):
    session = FakeSession(reply(503), status_ok())
    client = make_client(session)
    client.call("GET", STATUS_URL)
    assert client.requests_made == 2


# Retries

def test_503_then_200_is_retried_after_a_short_backoff(make_client, status_ok, sleeps):
    session = FakeSession(reply(503, "busy"), status_ok())
    body, _request_id = make_client(session).call("GET", STATUS_URL)
    assert body["submissions"][0]["status"] == "SUCCEEDED"
    assert len(session.calls) == 2
    assert len(sleeps) == 1 and 0.25 <= sleeps[0] <= 0.5


def test_backoff_grows_between_retries(make_client, status_ok, sleeps):
    session = FakeSession(reply(502), reply(503), reply(504), status_ok())
    make_client(session, retries=3).call("GET", STATUS_URL)
    assert len(sleeps) == 3
    assert 0.25 <= sleeps[0] <= 0.5
    assert 0.5 <= sleeps[1] <= 1.0
    assert 1.0 <= sleeps[2] <= 2.0


def test_429_waits_as_long_as_retry_after_says(make_client, status_ok, fixture_loader, sleeps):
    session = FakeSession(reply(429, fixture_loader("error_apig_throttled.json"), headers={"Retry-After": "7"}), status_ok())
    make_client(session).call("GET", STATUS_URL)
    assert sleeps == [7.0]


def test_absurd_retry_after_is_capped(make_client, status_ok, sleeps):
    session = FakeSession(reply(429, headers={"Retry-After": "86400"}), status_ok())
    make_client(session).call("GET", STATUS_URL)
    assert sleeps == [30.0]


def test_unparseable_retry_after_falls_back_to_backoff(make_client, status_ok, sleeps):
    session = FakeSession(reply(429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), status_ok())
    make_client(session).call("GET", STATUS_URL)
    assert 0.25 <= sleeps[0] <= 0.5


def test_job_not_found_is_not_retried(make_client, fixture_loader, sleeps):
    session = FakeSession(reply(400, fixture_loader("error_cdm_job_not_found.json"), request_id="req-400"))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session).call("GET", STATUS_URL)
    error = caught.value
    assert len(session.calls) == 1
    assert sleeps == []
    assert (error.http_status, error.error_code, error.request_id, error.retryable) == (400, "Cdm.0100", "req-400", False)


def test_unauthorized_is_not_retried_so_the_key_pair_is_not_locked(make_client, fixture_loader, sleeps):
    session = FakeSession(reply(401, fixture_loader("error_apig_unauthorized.json")))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, auth=_auth.AkSkAuth("AK", "SK-VALUE", "project-1")).call("GET", STATUS_URL)
    assert len(session.calls) == 1
    assert sleeps == []
    assert caught.value.error_code == "APIG.0301"


def test_redirect_is_not_followed_and_not_retried(make_client):
    session = FakeSession(reply(302, "", headers={"Location": "https://elsewhere.example.com/"}))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session).call("GET", STATUS_URL)
    assert caught.value.http_status == 302
    assert len(session.calls) == 1


def test_exhausted_retries_fail_with_a_retryable_error(make_client, sleeps):
    session = FakeSession(*[reply(503, "busy", request_id="req-%d" % n) for n in range(4)])
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, retries=3).call("GET", STATUS_URL)
    assert len(session.calls) == 4
    assert len(sleeps) == 3
    assert caught.value.retryable is True
    assert caught.value.http_status == 503
    assert "req-3" in caught.value.message


def test_zero_retries_means_one_request(make_client, sleeps):
    session = FakeSession(reply(503))
    with pytest.raises(_errors.CdmError):
        make_client(session, retries=0).call("GET", STATUS_URL)
    assert len(session.calls) == 1
    assert sleeps == []


def test_timeout_is_retried(make_client, status_ok):
    session = FakeSession(requests.exceptions.ReadTimeout("Read timed out."), status_ok())
    make_client(session).call("GET", STATUS_URL)
    assert len(session.calls) == 2


def test_timeout_every_time_fails_retryable_without_http_status(make_client):
    session = FakeSession(*[requests.exceptions.ConnectTimeout("timed out") for _attempt in range(2)])
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, retries=1).call("GET", STATUS_URL)
    error = caught.value
    assert (error.http_status, error.retryable) == (None, True)
    assert "no answer from cdm.cn-north-4.myhuaweicloud.com within 12.5 seconds" in error.message


def test_connection_error_is_retried(make_client, status_ok):
    session = FakeSession(requests.exceptions.ConnectionError("[Errno 111] Connection refused"), status_ok())
    make_client(session).call("GET", STATUS_URL)
    assert len(session.calls) == 2


def test_connection_error_message_is_short_and_names_the_host(make_client):
    session = FakeSession(requests.exceptions.ConnectionError("HTTPSConnectionPool(host=...): Max retries exceeded "
                                                              "(Caused by NewConnectionError('[Errno 111] Connection refused'))"))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, retries=0).call("GET", STATUS_URL)
    assert caught.value.message == "could not reach cdm.cn-north-4.myhuaweicloud.com: [Errno 111] Connection refused"
    assert caught.value.retryable is True


def test_tls_failure_is_not_retried_and_points_at_ca_path(make_client):
    session = FakeSession(requests.exceptions.SSLError("certificate verify failed"))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session).call("GET", STATUS_URL)
    assert len(session.calls) == 1
    assert caught.value.retryable is False
    assert "ca_path" in caught.value.message and "validate_certs" in caught.value.message


def test_invalid_url_is_not_retried(make_client):
    session = FakeSession(requests.exceptions.InvalidURL("Failed to parse: http://127.0.0.1:99999/v1.1"),
                          requests.exceptions.InvalidURL("Failed to parse: http://127.0.0.1:99999/v1.1"))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, retries=1).call("GET", STATUS_URL)
    assert len(session.calls) == 1
    assert caught.value.retryable is False


def test_invalid_header_error_never_repeats_the_header_value(make_client):
    session = FakeSession(requests.exceptions.InvalidHeader(
        "Invalid leading whitespace, reserved character(s), or return character(s) in header value: %r" % (TOKEN + "\n")))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, retries=0).call("GET", STATUS_URL)
    assert TOKEN not in caught.value.message
    assert caught.value.retryable is False


def test_body_broken_off_midway_is_retried(make_client, status_ok):
    session = FakeSession(reply(200, read_error=IOError("connection reset")), status_ok())
    make_client(session).call("GET", STATUS_URL)
    assert len(session.calls) == 2


def test_ak_sk_request_is_signed_afresh_on_every_attempt(make_client, status_ok):
    session = FakeSession(reply(503), status_ok())
    make_client(session, auth=_auth.AkSkAuth("AK", "SK-VALUE", "project-1")).call("GET", STATUS_URL)
    for call in session.calls:
        assert _signer.parse_authorization(call["headers"]["Authorization"])[0] == "AK"
        assert call["headers"]["X-Project-Id"] == "project-1"
        assert call["headers"]["Host"] == "cdm.cn-north-4.myhuaweicloud.com"


# Bodies that are not what was expected

@pytest.mark.parametrize("body, reason", [("", "empty body"), ("   ", "empty body"), ("<html><body>Login</body></html>", "invalid JSON"),
                                          ('{"submissions": [', "invalid JSON")])
def test_unexpected_success_body_is_a_clear_error(make_client, body, reason):
    session = FakeSession(reply(200, body, request_id="req-odd"))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session).call("GET", STATUS_URL)
    message = caught.value.message
    assert reason in message
    assert "HTTP 200" in message and "req-odd" in message
    assert "Traceback" not in message and "\n" not in message


def test_html_error_page_gives_status_and_snippet(make_client, fixture_loader):
    session = FakeSession(reply(403, fixture_loader("error_gateway.html", raw=True), headers={"Content-Type": "text/html"}))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session).call("GET", STATUS_URL)
    assert "HTTP 403" in caught.value.message
    assert "502 Bad Gateway" in caught.value.message


def test_oversize_body_is_refused(make_client, monkeypatch):
    monkeypatch.setattr(_client, "MAX_BODY_BYTES", 64)
    session = FakeSession(reply(200, b"{" + b" " * 100 + b"}"))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session).call("GET", STATUS_URL)
    assert "larger than 64 bytes" in caught.value.message
    assert caught.value.retryable is False
    assert len(session.calls) == 1
    assert session.responses[0].closed


def test_body_of_exactly_the_limit_is_read(make_client, monkeypatch):
    monkeypatch.setattr(_client, "MAX_BODY_BYTES", 64)
    body = b'{"submissions": []' + b" " * (64 - 19) + b"}"
    assert len(body) == 64
    assert make_client(FakeSession(reply(200, body))).call("GET", STATUS_URL)[0] == {"submissions": []}


def test_invalid_utf8_is_replaced_not_raised(make_client):
    session = FakeSession(reply(200, b'{"job": "\xff\xfe"}'))
    assert make_client(session).call("GET", STATUS_URL)[0]["job"] == "\ufffd\ufffd"


# The environment: proxies, CA bundle, ~/.netrc

class RecordingAdapter(requests.adapters.BaseAdapter):
    """A real requests transport adapter that records what the session hands it and answers 200."""

    def __init__(self, body):
        super(RecordingAdapter, self).__init__()
        self.body = body
        self.sent = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        self.sent.append({"headers": dict(request.headers), "verify": verify, "proxies": dict(proxies or {})})
        response = requests.models.Response()
        response.status_code = 200
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json", "X-Request-Id": "req-env"})
        response.raw = FakeRaw(self.body)
        response.request = request
        return response

    def close(self):
        pass


@pytest.fixture
def environment(monkeypatch, tmp_path):
    """A clean environment for the proxy, CA and netrc variables; returns the monkeypatch."""
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy",
                 "NO_PROXY", "no_proxy", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NETRC"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return monkeypatch


@pytest.fixture
def real_session(fixture_loader):
    """The session CdmClient makes for itself, over a recording adapter instead of the network."""
    session = _client.new_session()
    adapter = RecordingAdapter(json.dumps(fixture_loader("status_succeeded.json")).encode("utf-8"))
    session.mount("https://", adapter)
    return session, adapter


def netrc_everywhere(environment, tmp_path):
    path = tmp_path / "netrc"
    path.write_text("default login netrc-user password NETRC-SECRET\n")
    path.chmod(0o600)
    environment.setenv("NETRC", str(path))


@pytest.mark.parametrize("auth", [_auth.TokenAuth(TOKEN), _auth.AkSkAuth("AK", "SK-VALUE", "project-1")],
                         ids=["token", "ak_sk"])
def test_a_netrc_entry_never_reaches_the_api(environment, tmp_path, real_session, auth):
    # requests' own sessions would send these credentials as HTTP Basic auth, in place of the AK/SK signature.
    netrc_everywhere(environment, tmp_path)
    session, adapter = real_session
    _client.CdmClient(ENDPOINT, auth, session=session).call("GET", STATUS_URL)
    sent = adapter.sent[0]["headers"]
    assert "NETRC-SECRET" not in repr(sent)
    if isinstance(auth, _auth.AkSkAuth):
        assert _signer.parse_authorization(sent["Authorization"])[0] == "AK"
    else:
        assert "Authorization" not in sent
        assert sent["X-Auth-Token"] == TOKEN


def test_the_proxy_from_the_environment_is_used(environment, real_session):
    environment.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    session, adapter = real_session
    _client.CdmClient(ENDPOINT, _auth.TokenAuth(TOKEN), session=session).call("GET", STATUS_URL)
    assert adapter.sent[0]["proxies"].get("https") == "http://proxy.example:3128"


def test_no_proxy_from_the_environment_is_honoured(environment, real_session):
    environment.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    environment.setenv("NO_PROXY", ".myhuaweicloud.com")
    session, adapter = real_session
    _client.CdmClient(ENDPOINT, _auth.TokenAuth(TOKEN), session=session).call("GET", STATUS_URL)
    assert "https" not in adapter.sent[0]["proxies"]


@pytest.mark.parametrize("verify, expected", [
    (True, "/env/ca-bundle.pem"),  # validate_certs on, no ca_path: the environment's bundle, as requests does
    ("/ca.pem", "/ca.pem"),        # ca_path wins over the environment
    (False, False),                # validate_certs off stays off
])
def test_ca_bundle_from_the_environment_only_when_no_ca_path(environment, real_session, verify, expected):
    environment.setenv("REQUESTS_CA_BUNDLE", "/env/ca-bundle.pem")
    session, adapter = real_session
    _client.CdmClient(ENDPOINT, _auth.TokenAuth(TOKEN), verify=verify, session=session).call("GET", STATUS_URL)
    assert adapter.sent[0]["verify"] == expected


def test_the_environment_is_read_once_per_host(environment, make_client, status_ok, fixture_loader, monkeypatch):
    seen = []
    real = requests.utils.get_environ_proxies
    monkeypatch.setattr(requests.utils, "get_environ_proxies", lambda url, *a, **k: seen.append(url) or real(url, *a, **k))
    session = FakeSession(iam_reply(fixture_loader=fixture_loader), status_ok(), status_ok(), status_ok())
    client = make_client(session, auth=password_auth())
    for _attempt in range(3):
        client.call("GET", STATUS_URL)
    assert [urlsplit(url).netloc for url in seen] == ["iam.cn-north-4.myhuaweicloud.com", "cdm.cn-north-4.myhuaweicloud.com"]
    assert all(call["proxies"] == {} for call in session.calls)


# Token renewal and IAM

def test_expired_token_is_renewed_once_and_the_call_succeeds(make_client, status_ok, fixture_loader, sleeps):
    session = FakeSession(reply(401, fixture_loader("error_apig_token_expired.json")),
                          iam_reply("fresh-token", fixture_loader), status_ok())
    body, _request_id = make_client(session, auth=renewable_token_auth()).call("GET", STATUS_URL)
    assert body["submissions"][0]["status"] == "SUCCEEDED"
    assert session.urls() == [STATUS_URL, IAM + "/v3/auth/tokens", STATUS_URL]
    assert session.calls[0]["headers"]["X-Auth-Token"] == TOKEN
    assert session.calls[2]["headers"]["X-Auth-Token"] == "fresh-token"
    assert sleeps == []


def test_iam_is_asked_with_the_password_identity(make_client, status_ok, fixture_loader):
    session = FakeSession(reply(401, fixture_loader("error_apig_token_expired.json")), iam_reply(), status_ok())
    make_client(session, auth=renewable_token_auth()).call("GET", STATUS_URL)
    iam_call = session.calls[1]
    assert iam_call["method"] == "POST"
    identity = json.loads(iam_call["data"])["auth"]["identity"]
    assert identity["password"]["user"] == {"name": "alice", "password": PASSWORD, "domain": {"name": "corp"}}


def test_token_expired_twice_fails(make_client, fixture_loader):
    expired = fixture_loader("error_apig_token_expired.json")
    session = FakeSession(reply(401, expired), iam_reply(), reply(401, expired))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, auth=renewable_token_auth()).call("GET", STATUS_URL)
    assert caught.value.token_expired is True
    assert len(session.calls) == 3


def test_expired_token_without_password_identity_fails_at_once(make_client, fixture_loader):
    session = FakeSession(reply(401, fixture_loader("error_apig_token_expired.json")))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session).call("GET", STATUS_URL)
    assert caught.value.error_code == "APIG.0307"
    assert len(session.calls) == 1


def test_password_auth_fetches_the_token_once_for_several_calls(make_client, status_ok, fixture_loader):
    session = FakeSession(iam_reply("iam-token-1", fixture_loader), status_ok(), status_ok(), status_ok())
    client = make_client(session, auth=password_auth())
    for _call in range(3):
        client.call("GET", STATUS_URL)
    assert session.urls().count(IAM + "/v3/auth/tokens") == 1
    assert [call["headers"]["X-Auth-Token"] for call in session.calls[1:]] == ["iam-token-1"] * 3


def test_iam_error_shape_is_parsed_and_not_retried(make_client, fixture_loader, sleeps):
    session = FakeSession(reply(401, fixture_loader("error_iam_unauthorized.json"), request_id="iam-req-401"))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, auth=password_auth()).call("GET", STATUS_URL)
    error = caught.value
    assert error.message.startswith("IAM answered HTTP 401: [401] The username or password is wrong.")
    assert error.request_id == "iam-req-401"
    assert len(session.calls) == 1
    assert sleeps == []


def test_iam_error_never_shows_the_password(make_client, fixture_loader):
    session = FakeSession(reply(401, fixture_loader("error_iam_unauthorized.json")))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, auth=password_auth()).call("GET", STATUS_URL)
    assert PASSWORD not in caught.value.message
    assert PASSWORD not in repr(caught.value.as_result())


def test_iam_answer_without_a_token_header_is_an_error(make_client):
    session = FakeSession(reply(201, {"token": {}}, request_id="iam-req"))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, auth=password_auth()).call("GET", STATUS_URL)
    assert "X-Subject-Token" in caught.value.message
    assert "iam-req" in caught.value.message


def test_unavailable_iam_is_asked_at_most_retries_plus_one_times(make_client):
    session = FakeSession(*[reply(503, request_id="iam-503") for _attempt in range(4)])
    with pytest.raises(_errors.CdmError):
        make_client(session, auth=password_auth(), retries=1).call("GET", STATUS_URL)
    assert len(session.calls) <= 2


# Mistakes that no retry heals: said once, with what to change

def test_a_host_name_that_does_not_resolve_is_permanent_and_points_at_region_and_endpoint(monkeypatch, sleeps):
    import socket

    def no_such_name(*_args, **_kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    client = _client.CdmClient("https://cdm.cn-nort-4.myhuaweicloud.com", _auth.TokenAuth(TOKEN), retries=3,
                               sleep=sleeps.append)
    with pytest.raises(_errors.CdmError) as caught:
        client.call("GET", client.endpoint + "/v1.1/p/clusters")
    assert (caught.value.retryable, caught.value.kind, client.requests_made, sleeps) == (False, "host_not_found", 1, [])
    assert caught.value.message.startswith(
        "the host name cdm.cn-nort-4.myhuaweicloud.com does not resolve ([Errno -2] Name or service not known): "
        "check region and cloud")
    assert "set endpoint" in caught.value.message


def test_a_temporary_name_resolution_failure_is_retried(make_client, status_ok):
    session = FakeSession(requests.exceptions.ConnectionError("[Errno -3] Temporary failure in name resolution"),
                          status_ok())
    make_client(session).call("GET", STATUS_URL)
    assert len(session.calls) == 2


@pytest.fixture
def plain_http_server():
    """A loopback server that answers every request in plain HTTP."""
    from http.server import BaseHTTPRequestHandler, HTTPServer
    import threading

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "127.0.0.1:%d" % server.server_address[1]
    server.shutdown()
    server.server_close()


def test_https_to_a_plain_http_server_says_so_and_is_not_retried(plain_http_server, sleeps):
    client = _client.CdmClient("https://" + plain_http_server, _auth.TokenAuth(TOKEN), retries=3, sleep=sleeps.append)
    with pytest.raises(_errors.CdmError) as caught:
        client.call("GET", client.endpoint + "/v1.1/p/clusters")
    assert (caught.value.retryable, caught.value.kind, sleeps) == (False, "plain_http_server", [])
    assert "%s answers in plain HTTP, not TLS: use http://" % plain_http_server in caught.value.message
    assert "ca_path" not in caught.value.message


def test_a_plain_http_server_does_not_pass_for_a_tls_one(plain_http_server):
    assert _failures.speaks_tls("http://%s/v1.1" % plain_http_server, 2.0) is False


def test_http_to_a_tls_server_says_use_https_and_is_not_retried(make_client, monkeypatch):
    # A TLS server drops a request sent in plain text; a TLS handshake with it then succeeds.
    monkeypatch.setattr(_failures, "speaks_tls", lambda url, timeout: url.startswith("http://cdm.example"))
    dropped = requests.exceptions.ConnectionError("('Connection aborted.', ConnectionResetError(104, 'reset'))")
    session = FakeSession(dropped)
    client = _client.CdmClient("http://cdm.example:8443", _auth.TokenAuth(TOKEN), retries=3, session=session)
    with pytest.raises(_errors.CdmError) as caught:
        client.call("GET", client.endpoint + "/v1.1/p/clusters")
    assert (caught.value.retryable, caught.value.kind, len(session.calls)) == (False, "tls_server", 1)
    assert "cdm.example:8443 speaks TLS: use https:// instead of http://" in caught.value.message


def test_a_dropped_connection_to_a_plain_server_stays_transient(make_client, status_ok, monkeypatch):
    monkeypatch.setattr(_failures, "speaks_tls", lambda url, timeout: False)
    dropped = requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('closed'))")
    session = FakeSession(dropped, status_ok())
    client = _client.CdmClient("http://127.0.0.1:9", _auth.TokenAuth(TOKEN), retries=3, session=session,
                               sleep=lambda _seconds: None)
    client.call("GET", client.endpoint + "/v1.1/p/clusters")
    assert len(session.calls) == 2


@pytest.mark.parametrize("code", ["APIG.0307", "APIGW.0307"])
def test_an_expired_token_with_either_gateway_prefix_is_renewed(make_client, status_ok, code):
    expired = reply(401, {"error_code": code, "error_msg": "The token must be updated."})
    session = FakeSession(expired, iam_reply(), status_ok())
    make_client(session, auth=renewable_token_auth()).call("GET", STATUS_URL)
    assert len(session.calls) == 3


# Every gateway rule against the simulator, with both prefixes the gateway uses
# (APIG. in its own guide, APIGW. in the signing guide the CDM pages link to).

SIM_PROJECT = "0123456789abcdef0123456789abcdef"
SIM_CLUSTER = "6ec9a0a4-76be-4262-8697-e7af1fac7920"


@pytest.fixture(scope="module", params=["APIG", "APIGW"])
def gateway(request):
    """A simulator whose gateway errors carry one prefix, and the prefix."""
    from ansible_collections.huaweicloud.cdm.tests.simulator.cdm_sim import DEFAULT_SCENARIO, Simulator

    scenario = dict(DEFAULT_SCENARIO, gateway_prefix=request.param, aksk_lockout={"failures": 2, "seconds": 300})
    with Simulator(scenario=scenario, record=True) as sim:
        yield sim, request.param


@pytest.fixture
def sim_client(gateway, sleeps):
    """``sim_client(auth=None, retries=3)``: a real client on the simulator (back to its scenario), and the simulator."""
    sim, _prefix = gateway
    sim.reset()

    def make(auth=None, retries=3):
        client = _client.CdmClient(sim.url, auth or _auth.TokenAuth("sim-token"), timeout=5, retries=retries,
                                   sleep=sleeps.append)
        return client, sim
    return make


def sim_status_url(sim, job="jdbc2hive", cluster=SIM_CLUSTER):
    return "%s/v1.1/%s/clusters/%s/cdm/job/%s/status" % (sim.url, SIM_PROJECT, cluster, job)


def sim_password_auth(sim, project=SIM_PROJECT):
    return _auth.PasswordAuth("sim-user", "sim-password", "sim-domain", project, sim.url)


def test_an_expired_token_is_renewed_with_either_prefix(gateway, sim_client, sleeps):
    client, sim = sim_client(auth=_auth.TokenAuth("sim-token", renewer=sim_password_auth(gateway[0])))
    sim.add_faults({"kind": "token_expired"})
    body, _request_id = client.call("GET", sim_status_url(sim, "nightly_sync"))
    assert body["submissions"][0]["status"] == "SUCCEEDED"
    answers = [(request.path.split("?")[0].rsplit("/", 1)[-1], request.status) for request in sim.requests]
    assert answers == [("status", 401), ("tokens", 201), ("status", 200)]
    fresh = sim.requests[1].response_headers["X-Subject-Token"]
    assert sim.requests[2].header("X-Auth-Token") == fresh and sleeps == []


def test_an_expired_token_without_a_password_fails_at_once_with_either_prefix(gateway, sim_client):
    client, sim = sim_client()
    sim.add_faults({"kind": "token_expired"})
    with pytest.raises(_errors.CdmError) as caught:
        client.call("GET", sim_status_url(sim))
    error = caught.value
    assert (error.error_code, error.kind, error.retryable) == ("%s.0307" % gateway[1], "token_expired", False)
    assert error.token_expired and len(sim.requests) == 1


def test_a_token_refused_again_after_renewal_fails_with_either_prefix(gateway, sim_client):
    client, sim = sim_client(auth=_auth.TokenAuth("sim-token", renewer=sim_password_auth(gateway[0])))
    sim.add_faults({"kind": "token_expired", "count": 2})
    with pytest.raises(_errors.CdmError) as caught:
        client.call("GET", sim_status_url(sim))
    assert caught.value.error_code == "%s.0307" % gateway[1]
    assert "renewed once" in caught.value.message and len(sim.requests) == 3


def test_throttling_is_retried_after_retry_after_with_either_prefix(gateway, sim_client, sleeps):
    client, sim = sim_client()
    sim.add_faults({"kind": "throttle", "count": 2, "retry_after": "2"})
    body, _request_id = client.call("GET", sim_status_url(sim, "nightly_sync"))
    assert body["submissions"][0]["status"] == "SUCCEEDED"
    assert [request.status for request in sim.requests] == [429, 429, 200] and sleeps == [2.0, 2.0]


def test_throttling_to_the_end_fails_retryable_with_either_prefix(gateway, sim_client, sleeps):
    client, sim = sim_client(retries=2)
    sim.add_faults({"kind": "throttle", "count": -1, "retry_after": "1"})
    with pytest.raises(_errors.CdmError) as caught:
        client.call("GET", sim_status_url(sim))
    error = caught.value
    assert (error.http_status, error.error_code, error.retryable) == (429, "%s.0308" % gateway[1], True)
    assert len(sim.requests) == 3 and sleeps == [1.0, 1.0]


def test_a_rejected_signature_is_sent_once_with_either_prefix(gateway, sim_client, sleeps):
    client, sim = sim_client(auth=_auth.AkSkAuth("sim-ak", "wrong-sk", SIM_PROJECT))
    with pytest.raises(_errors.CdmError) as caught:
        client.call("GET", sim_status_url(sim))
    error = caught.value
    assert (error.http_status, error.error_code, error.kind) == (401, "%s.0301" % gateway[1], "signature_rejected")
    assert error.retryable is False and len(sim.requests) == 1 and sleeps == []
    assert "check that secret_key belongs to access_key" in error.message
    assert "wrong-sk" not in error.message


def test_a_locked_key_is_recognised_with_either_prefix(gateway, sim_client):
    client, sim = sim_client(auth=_auth.AkSkAuth("sim-ak", "wrong-sk", SIM_PROJECT))
    for _attempt in range(2):
        with pytest.raises(_errors.CdmError):
            client.call("GET", sim_status_url(sim))
    right, _sim = sim_client(auth=_auth.AkSkAuth("sim-ak", "sim-sk", SIM_PROJECT))
    with pytest.raises(_errors.CdmError) as caught:
        right.call("GET", sim_status_url(sim))
    assert (caught.value.error_code, caught.value.kind) == ("%s.0301" % gateway[1], "key_locked")
    assert len(sim.requests) == 3


def test_a_foreign_project_is_a_credentials_error_with_either_prefix(gateway, sim_client):
    client, sim = sim_client(auth=sim_password_auth(gateway[0], project="another-project"))
    with pytest.raises(_errors.CdmError) as caught:
        client.call("GET", sim_status_url(sim))
    assert (caught.value.http_status, caught.value.error_code) == (403, "%s.0302" % gateway[1])
    assert (caught.value.kind, caught.value.retryable) == ("credentials", False)


@pytest.mark.parametrize("kind, status, number", [
    ("http_500", 500, "0103"), ("http_502", 502, "0201"), ("http_503", 503, "0201"), ("http_504", 504, "0201"),
])
def test_gateway_5xx_answers_are_retried_with_either_prefix(gateway, sim_client, sleeps, kind, status, number):
    client, sim = sim_client(retries=1)
    sim.add_faults({"kind": kind, "format": "json"})
    body, _request_id = client.call("GET", sim_status_url(sim, "nightly_sync"))
    assert body["submissions"][0]["status"] == "SUCCEEDED" and len(sleeps) == 1
    sim.add_faults({"kind": kind, "format": "json", "count": 2})
    with pytest.raises(_errors.CdmError) as caught:
        client.call("GET", sim_status_url(sim))
    error = caught.value
    assert (error.http_status, error.error_code, error.retryable) == (status, "%s.%s" % (gateway[1], number), True)
    assert error.request_id == sim.requests[-1].request_id


@pytest.mark.parametrize("fields", ["code", "both"])
def test_cdm_errors_with_code_and_message_are_read_end_to_end(fields, sleeps):
    from ansible_collections.huaweicloud.cdm.tests.simulator.cdm_sim import DEFAULT_SCENARIO, Simulator

    with Simulator(scenario=dict(DEFAULT_SCENARIO, cdm_error_fields=fields)) as sim:
        client = _client.CdmClient(sim.url, _auth.TokenAuth("sim-token"), timeout=5, retries=3, sleep=sleeps.append)
        with pytest.raises(_errors.CdmError) as caught:
            client.call("GET", sim_status_url(sim, "no_such_job"))
        error = caught.value
        assert (error.http_status, error.error_code, error.error_message) == (400, "Cdm.0100", "Job[no_such_job] doesn't exist.")
        assert (error.kind, error.retryable) == ("job_not_found", False)
        assert "check job_name and cluster_id" in error.message
        with pytest.raises(_errors.CdmError) as caught:
            client.call("GET", sim_status_url(sim, cluster="cdm-demo"))
        assert (caught.value.error_code, caught.value.kind) == ("Cdm.0001", "cluster_not_found")
        start = "%s/v1.1/%s/clusters/%s/cdm/job/long_running/start" % (sim.url, SIM_PROJECT, SIM_CLUSTER)
        client.call("PUT", start)
        with pytest.raises(_errors.CdmError) as caught:
            client.call("PUT", start)
        assert (caught.value.error_code, caught.value.error_message) == ("Cdm.0052", "Job[long_running] is running.")
        assert sleeps == []


# Writes (a job start): sent again only when they provably never reached CDM

START_URL = ENDPOINT + "/v1.1/project-1/clusters/cluster-1/cdm/job/jdbc2hive/start"
STARTED = {"submissions": [{"job-name": "jdbc2hive", "submission-id": 7, "status": "BOOTING"}]}


def refused():
    from urllib3.exceptions import MaxRetryError, NewConnectionError
    cause = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/start", reason=cause))


def dropped():
    return requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('Remote end closed'))")


@pytest.mark.parametrize("first", [
    refused, lambda: requests.exceptions.ConnectTimeout("connect timed out"),
    lambda: reply(429, {"error_code": "APIG.0308", "error_msg": "throttled"}),
    lambda: reply(503, {"error_code": "APIGW.0201", "error_msg": "Backend unavailable."}),
], ids=["refused", "connect-timeout", "throttled", "gateway-503"])
def test_a_write_that_never_reached_cdm_is_sent_again(make_client, first):
    session = FakeSession(first(), reply(200, STARTED))
    body, _request_id = make_client(session).call("PUT", START_URL)
    assert body == STARTED
    assert [call["method"] for call in session.calls] == ["PUT", "PUT"]


@pytest.mark.parametrize("failure, status", [
    (lambda: requests.exceptions.ReadTimeout("Read timed out."), None),
    (dropped, None),
    (lambda: reply(200, read_error=IOError("connection reset")), None),
    (lambda: reply(200, '{"submissions": [{"job-na'), 200),
    (lambda: reply(500, {"errCode": "Cdm.0000", "externalMessage": "System error."}), 500),
    (lambda: reply(502, "<html>Bad Gateway</html>"), 502),
    (lambda: reply(503, "<html>Service Unavailable</html>"), 503),
    (lambda: reply(504, {"error_code": "APIG.0201", "error_msg": "Backend timeout."}), 504),
], ids=["read-timeout", "dropped", "body-broken-off", "half-a-body", "500", "502", "503-without-gateway-code", "504"])
def test_a_write_that_may_have_been_carried_out_is_sent_once_and_says_so(make_client, sleeps, failure, status):
    session = FakeSession(failure())
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session).call("PUT", START_URL)
    assert len(session.calls) == 1 and sleeps == []
    assert (caught.value.outcome_unknown, caught.value.retryable, caught.value.http_status) == (True, True, status)


def test_a_refused_write_is_an_answer_not_an_unknown_outcome(make_client):
    session = FakeSession(reply(400, {"errCode": "Cdm.0059", "externalMessage": "The job is disabled."}))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session).call("PUT", START_URL)
    assert len(session.calls) == 1
    assert (caught.value.outcome_unknown, caught.value.retryable, caught.value.error_code) == (False, False, "Cdm.0059")


def test_a_write_throttled_until_the_retries_run_out_was_never_carried_out(make_client):
    session = FakeSession(*[reply(429, {"error_code": "APIG.0308", "error_msg": "throttled"}) for _try in range(2)])
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, retries=1).call("PUT", START_URL)
    assert len(session.calls) == 2
    assert (caught.value.outcome_unknown, caught.value.retryable) == (False, True)


def test_a_write_refused_at_every_try_was_never_carried_out(make_client):
    session = FakeSession(refused(), refused())
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, retries=1).call("PUT", START_URL)
    assert len(session.calls) == 2
    assert (caught.value.outcome_unknown, caught.value.not_sent) == (False, True)


def test_a_read_is_sent_again_after_a_timeout_and_a_write_marked_idempotent_too(make_client, status_ok):
    session = FakeSession(requests.exceptions.ReadTimeout("Read timed out."), status_ok(),
                          requests.exceptions.ReadTimeout("Read timed out."), reply(200, STARTED))
    client = make_client(session)
    client.call("GET", STATUS_URL)
    client.call("PUT", START_URL, idempotent=True)
    assert [call["method"] for call in session.calls] == ["GET", "GET", "PUT", "PUT"]


def test_a_read_that_fails_never_claims_an_unknown_outcome(make_client):
    session = FakeSession(requests.exceptions.ReadTimeout("Read timed out."))
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, retries=0).call("GET", STATUS_URL)
    assert caught.value.outcome_unknown is False


def test_an_expired_token_on_a_write_is_renewed_and_the_write_sent_again(make_client):
    expired = reply(401, {"error_code": "APIG.0307", "error_msg": "The token must be updated."})
    session = FakeSession(expired, iam_reply(), reply(200, STARTED))
    make_client(session, auth=renewable_token_auth()).call("PUT", START_URL)
    assert [call["method"] for call in session.calls] == ["PUT", "POST", "PUT"]


def test_a_write_whose_token_could_not_be_fetched_was_never_sent(make_client):
    unavailable = [reply(503, {"error": {"code": "503", "message": "busy"}}) for _try in range(2)]
    session = FakeSession(*unavailable)
    with pytest.raises(_errors.CdmError) as caught:
        make_client(session, auth=password_auth(), retries=1).call("PUT", START_URL)
    assert [call["method"] for call in session.calls] == ["POST", "POST"]
    assert (caught.value.outcome_unknown, caught.value.not_sent, caught.value.retryable) == (False, True, True)
