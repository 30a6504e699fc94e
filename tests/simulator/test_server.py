# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The server itself: keep-alive, concurrency, TLS, and the command line."""

import http.client
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim import Simulator  # noqa: E402
from simtools import CLUSTER, PROJECT, TOKEN, SIM_PATH, control, job_url, wait_for  # noqa: E402


def test_keep_alive_and_concurrency(sim):
    connection = http.client.HTTPConnection("127.0.0.1", sim.port, timeout=5)
    path = "/v1.1/%s/clusters/%s/cdm/job/jdbc2hive/status" % (PROJECT, CLUSTER)
    for _attempt in range(3):
        connection.request("GET", path, headers=TOKEN)
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read()) == {"submissions": []}
    connection.close()

    errors = []

    def poll():
        with requests.Session() as session:
            for _attempt in range(20):
                response = session.get(job_url(sim, "nightly_sync"), headers=TOKEN, timeout=5)
                if response.status_code != 200:
                    errors.append(response.status_code)

    threads = [threading.Thread(target=poll) for _index in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stats = control(sim, "GET", "stats")
    assert stats["by_route"]["status"] == 3 + 12 * 20


def test_tls(tmp_path):
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    result = subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                             "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if result.returncode != 0:
        pytest.skip("openssl cannot make a test certificate")
    with Simulator(tls_cert=cert, tls_key=key) as server:
        assert server.url.startswith("https://")
        response = requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5, verify=cert)
        assert response.status_code == 200
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5)
        # A plain-HTTP client does not break the server.
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(job_url(server, "jdbc2hive").replace("https", "http"), headers=TOKEN, timeout=5)
        assert requests.get(job_url(server, "jdbc2hive"), headers=TOKEN, timeout=5, verify=cert).status_code == 200


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_cli_port_file_log_and_signal(tmp_path, signum):
    port_file = str(tmp_path / "port")
    log_file = str(tmp_path / "requests.log")
    process = subprocess.Popen([sys.executable, SIM_PATH, "--port", "0", "--port-file", port_file, "--log", log_file,
                                "--token", "cli-secret-token", "--speed", "600"],
                               cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        wait_for(port_file)
        with open(port_file) as handle:
            port = int(handle.read())
        base = "http://127.0.0.1:%d" % port
        assert requests.get(base + "/_sim/health", timeout=5).json() == {"ok": True}
        url = "%s/v1.1/%s/clusters/%s/cdm/job/jdbc2hive/status" % (base, PROJECT, CLUSTER)
        assert requests.get(url, headers={"X-Auth-Token": "cli-secret-token"}, timeout=5).status_code == 200
        assert requests.get(url, headers=TOKEN, timeout=5).status_code == 401
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert b"cli-secret-token" not in stdout + stderr
    with open(log_file) as handle:
        log = handle.read()
    assert "GET /v1.1/%s/clusters/%s/cdm/job/jdbc2hive/status 200" % (PROJECT, CLUSTER) in log
    assert " 401" in log and "cli-secret-token" not in log and "X-Auth-Token" not in log
    # The port is free again.
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.bind(("127.0.0.1", port))
    finally:
        probe.close()


def test_cli_bad_scenario(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"speed": -1, "clusters": []}')
    result = subprocess.run([sys.executable, SIM_PATH, "--scenario", str(bad)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, timeout=20, check=False)
    assert result.returncode == 2 and b"speed" in result.stderr
