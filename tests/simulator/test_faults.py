# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fault injection and the /_sim/ control calls."""

import copy
import json
import re
import time

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim import DEFAULT_SCENARIO, Simulator  # noqa: E402
from simtools import TOKEN, add_fault, assert_apig, cdm_url, control, iam_body, job_url, signed, start, status_of  # noqa: E402


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


def read_trickle(sim, job, nbytes, read_timeout):
    """Open a status request that trickles; return (response, seconds until the headers, seconds for nbytes)."""
    began = time.monotonic()
    response = requests.get(job_url(sim, job), headers=TOKEN, timeout=read_timeout, stream=True)
    headers_after = time.monotonic() - began
    received = b""
    while len(received) < nbytes:
        received += response.raw.read(1)
    return response, received, headers_after, time.monotonic() - began - headers_after


def wait_until_idle(sim, seconds=5):
    deadline = time.monotonic() + seconds
    while sim.stats()["in_flight"] and time.monotonic() < deadline:
        time.sleep(0.05)
    return sim.stats()["in_flight"]


def test_fault_trickle_sends_headers_at_once_then_a_byte_at_a_time(sim):
    add_fault(sim, kind="trickle", delay=0.1, job="nightly_sync")
    # A per-read timeout of 1 s never fires: each byte comes within 0.1 s.
    response, received, headers_after, body_after = read_trickle(sim, "nightly_sync", 6, read_timeout=1)
    assert response.status_code == 200 and headers_after < 0.5
    assert received == b'{"subm' and body_after >= 0.4
    assert int(response.headers["Content-Length"]) > 100
    response.close()
    # The simulator's thread ends once the client hangs up.
    assert wait_until_idle(sim) == 0
    assert sim.stats()["faults_applied"] == {"trickle": 1}
    assert status_of(sim, "nightly_sync")["status"] == "SUCCEEDED"


def test_fault_trickle_default_delay_and_stop(sim):
    add_fault(sim, kind="trickle")
    assert control(sim, "GET", "faults")["faults"][0]["delay"] == 0.2
    response, _received, _headers_after, _body_after = read_trickle(sim, "nightly_sync", 1, read_timeout=5)
    began = time.monotonic()
    sim.stop()
    assert time.monotonic() - began < 3
    response.close()


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
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["faults"] = [{"kind": "throttle", "count": 2, "retry_after": 5}]
    with Simulator(document) as server:
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


def test_control_speed_applies_to_runs_started_after_it_until_a_reset(sim, clock):
    # jdbc2hive runs 120 simulated seconds: 2 real seconds at the scenario's speed 60.
    start(sim, "jdbc2hive")
    assert control(sim, "POST", "speed", {"speed": 1}) == {"ok": True, "speed": 1.0}
    clock.advance(3)
    assert status_of(sim, "jdbc2hive")["status"] == "SUCCEEDED"  # started before: keeps speed 60
    start(sim, "jdbc2hive")
    clock.advance(3)
    assert status_of(sim, "jdbc2hive")["status"] in ("BOOTING", "RUNNING")  # 3 of its 120 seconds at speed 1
    control(sim, "POST", "reset")
    start(sim, "jdbc2hive")
    clock.advance(3)
    assert status_of(sim, "jdbc2hive")["status"] == "SUCCEEDED"  # the scenario's speed again


@pytest.mark.parametrize("body", [{}, {"speed": 0}, {"speed": -1}, {"speed": "fast"}, {"speed": True}, [1]])
def test_control_speed_refuses_what_is_not_a_positive_number(sim, body):
    response = requests.post(sim.url + "/_sim/speed", data=json.dumps(body), timeout=5)
    assert response.status_code == 400 and "speed must be a number greater than 0" in response.json()["error"]
