# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Error bodies in the shapes a scenario asks for: the gateway's prefix, CDM's code/message fields."""

import copy
import socket

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim import DEFAULT_SCENARIO, Simulator  # noqa: E402
from simtools import PROJECT, TOKEN, add_fault, assert_apig, cdm_url, iam_body, job_url, signed, start  # noqa: E402


def simulator(**top):
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document.update(top)
    document["aksk_lockout"] = {"failures": 2, "seconds": 300}
    return Simulator(document)


@pytest.fixture(params=["APIG", "APIGW"])
def prefixed(request):
    with simulator(gateway_prefix=request.param) as server:
        yield server, request.param


def gateway_errors(sim):
    """One request for each error the gateway can give: (label, response)."""
    url = job_url(sim, "jdbc2hive")
    answers = [
        ("no credentials", requests.get(url, timeout=5)),
        ("unknown token", requests.get(url, headers={"X-Auth-Token": "nope"}, timeout=5)),
        ("bad signature", requests.get(url, headers=signed("GET", url, secret_key="wrong"), timeout=5)),
        ("key locked", [requests.get(url, headers=signed("GET", url, secret_key="wrong"), timeout=5),
                        requests.get(url, headers=signed("GET", url), timeout=5)][-1]),
        ("unknown route", requests.get(cdm_url(sim, "nothing"), headers=TOKEN, timeout=5)),
    ]
    for kind in ("throttle", "http_500", "http_503", "token_expired", "auth_fail", "forbidden"):
        add_fault(sim, kind=kind)
        answers.append((kind, requests.get(url, headers=TOKEN, timeout=5)))
    for kind in ("http_502", "http_504"):
        add_fault(sim, kind=kind, format="json")
        answers.append((kind, requests.get(url, headers=TOKEN, timeout=5)))
    return answers


EXPECTED = [
    ("no credentials", 401, "0301"), ("unknown token", 401, "0301"), ("bad signature", 401, "0301"),
    ("key locked", 401, "0301"), ("unknown route", 404, "0101"), ("throttle", 429, "0308"),
    ("http_500", 500, "0103"), ("http_503", 503, "0201"), ("token_expired", 401, "0307"),
    ("auth_fail", 401, "0301"), ("forbidden", 403, "0302"), ("http_502", 502, "0201"),
    ("http_504", 504, "0201"),
]


def test_every_gateway_error_carries_the_scenarios_prefix(prefixed):
    sim, prefix = prefixed
    seen = [(label, response.status_code, response.json()["error_code"]) for label, response in gateway_errors(sim)]
    assert seen == [(label, status, "%s.%s" % (prefix, number)) for label, status, number in EXPECTED]


def test_an_expired_iam_token_and_a_foreign_project_carry_the_prefix():
    with simulator(gateway_prefix="APIGW") as sim:
        response = requests.post(sim.url + "/v3/auth/tokens", json=iam_body(), timeout=5)
        token = {"X-Auth-Token": response.headers["X-Subject-Token"]}
        assert_apig(requests.get(job_url(sim, "jdbc2hive", project="other"), headers=token, timeout=5),
                    403, "APIGW.0302")
        requests.post(sim.url + "/_sim/revoke_tokens", timeout=5)
        assert_apig(requests.get(job_url(sim, "jdbc2hive"), headers=token, timeout=5), 401, "APIGW.0307")


def test_a_request_refused_before_routing_gets_the_prefix_too():
    with simulator(gateway_prefix="APIGW") as sim:
        with socket.create_connection(("127.0.0.1", sim.port), timeout=5) as raw:
            # A body announced too large is refused before it is read (nothing is left unread).
            raw.sendall(b"PUT /v1.1/p/clusters HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
            chunks = iter(lambda: raw.recv(65536), b"")   # the server closes the connection after this answer
            answer = b"".join(chunks).decode("utf-8", "replace")
        assert answer.startswith("HTTP/1.1 413 ") and '"error_code": "APIGW.0201"' in answer


@pytest.mark.parametrize("scenario_prefix, fault_prefix", [("APIG", "APIGW"), ("APIGW", "APIG")])
def test_a_fault_may_name_its_own_prefix(scenario_prefix, fault_prefix):
    with simulator(gateway_prefix=scenario_prefix) as sim:
        add_fault(sim, kind="throttle", prefix=fault_prefix)
        add_fault(sim, kind="http_503", prefix=fault_prefix)
        with requests.Session() as session:     # one connection: nothing carries over to the next request
            url = job_url(sim, "jdbc2hive")
            assert_apig(session.get(url, headers=TOKEN, timeout=5), 429, fault_prefix + ".0308")
            assert_apig(session.get(url, headers=TOKEN, timeout=5), 503, fault_prefix + ".0201")
            assert_apig(session.get(url, timeout=5), 401, scenario_prefix + ".0301")
        with pytest.raises(requests.HTTPError):
            response = requests.post(sim.url + "/_sim/faults", json={"kind": "throttle", "prefix": "apigw"}, timeout=5)
            response.raise_for_status()
        assert "fault prefix must be APIG or APIGW" in response.text


def test_custom_fault_bodies_and_iam_errors_are_sent_as_given():
    with simulator(gateway_prefix="APIGW") as sim:
        add_fault(sim, kind="custom", status=401, body={"error_code": "APIG.0307", "error_msg": "as given"})
        assert requests.get(job_url(sim, "jdbc2hive"), headers=TOKEN, timeout=5).json()["error_code"] == "APIG.0307"
        response = requests.post(sim.url + "/v3/auth/tokens", json=iam_body(password="wrong"), timeout=5)
        assert response.status_code == 401 and response.json()["error"]["code"] == "401"


def cdm_errors(sim):
    """One request for each CDM error: (status, body)."""
    answers = [
        requests.get(job_url(sim, "nope"), headers=TOKEN, timeout=5),
        requests.get(job_url(sim, "jdbc2hive", cluster="nope"), headers=TOKEN, timeout=5),
        requests.get("%s/v1.1/%s/clusters/nope" % (sim.url, PROJECT), headers=TOKEN, timeout=5),
        requests.get(cdm_url(sim, "job/all?page_size=5"), headers=TOKEN, timeout=5),
        requests.get(cdm_url(sim, "submissions"), headers=TOKEN, timeout=5),
        requests.put(job_url(sim, "jdbc2hive", "start"), headers=TOKEN, data=b"{", timeout=5),
        requests.put(job_url(sim, "jdbc2hive", "stop"), headers=TOKEN, timeout=5),
        [start(sim, "long_running"), start(sim, "long_running")][-1],
    ]
    return [(response.status_code, response.json()) for response in answers]


CDM_ERRORS = [
    (400, "Cdm.0100", "Job[nope] doesn't exist."),
    (400, "Cdm.0001", "Cluster[nope] doesn't exist."),
    (404, "Cdm.0001", "Cluster[nope] doesn't exist."),
    (400, "Cdm.0010", "The integer must be within the range [10, 100]. (page_size)"),
    (400, "Cdm.0100", "Job[] doesn't exist."),
    (400, "Cdm.0000", "System error. (the request body is not valid JSON)"),
    (400, "Cdm.0053", "Job[jdbc2hive] is not running."),
    (400, "Cdm.0052", "Job[long_running] is running."),
]


@pytest.mark.parametrize("fields, shape", [
    ("errCode", lambda code, message: {"errCode": code, "externalMessage": message}),
    ("both", lambda code, message: {"errCode": code, "externalMessage": message, "code": code, "message": message}),
    ("code", lambda code, message: {"code": code, "message": message}),
])
def test_cdm_errors_come_in_the_fields_the_scenario_asks_for(fields, shape):
    with simulator(cdm_error_fields=fields) as sim:
        assert cdm_errors(sim) == [(status, shape(code, message)) for status, code, message in CDM_ERRORS]
        # Answers that are not CDM errors are left alone.
        assert requests.get(job_url(sim, "mysql2obs"), headers=TOKEN, timeout=5).json() == {"submissions": []}
        assert assert_apig(requests.get(job_url(sim, "jdbc2hive"), timeout=5), 401, "APIG.0301")
