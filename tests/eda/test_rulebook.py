# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ansible-rulebook runs a rulebook with huaweicloud.cdm.job_events against the CDM simulator.

The `eda` nox session runs this with ansible-rulebook installed from the package
index and the collection installed from its built tarball (CDM_EDA_COLLECTIONS);
without that variable the working tree is used through a symlink. It needs Java 17
(ansible-rulebook's rule engine runs on the JVM).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLUSTER = "6ec9a0a4-76be-4262-8697-e7af1fac7920"
PROJECT = "1551c7f6c808414d8e9f3c514a170f2e"
TOKEN = "eda-test-token-6a0d2c"
SCENARIO = {
    "name": "eda", "speed": 1, "tokens": [TOKEN],
    "clusters": [{"id": CLUSTER, "name": "cdm-eda", "jobs": [
        {"name": "nightly_orders", "boot": 1, "duration": 3, "outcome": "failed",
         "error_summary": "DWS refused the rows: duplicate key."},
        {"name": "nightly_customers", "boot": 1, "duration": 2, "outcome": "succeeded"},
    ]}],
}
RULEBOOK = """
- name: Alert when a scheduled CDM job fails
  hosts: all
  sources:
    - huaweicloud.cdm.job_events:
        cluster_name: cdm-eda
        jobs: ["nightly_*"]
        interval: 1
        emit: [failed, succeeded]
  rules:
    - name: A CDM job run failed
      condition: event.cdm.transition == "failed"
      actions:
        - run_playbook:
            name: alert.yml
        - shutdown:
"""
PLAYBOOK = """
- name: Write the alert
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Write what the event says
      ansible.builtin.copy:
        dest: "{alert}"
        content: "{{{{ ansible_eda.event.cdm | to_json }}}}"
        mode: "0600"
"""


def _request(url, method="GET", headers=None):
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=b"" if method == "PUT" else None)
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read().decode("utf-8"))


def _collections(workdir):
    installed = os.environ.get("CDM_EDA_COLLECTIONS")
    if installed:
        return installed
    os.makedirs(os.path.join(workdir, "collections", "ansible_collections", "huaweicloud"))
    os.symlink(ROOT, os.path.join(workdir, "collections", "ansible_collections", "huaweicloud", "cdm"))
    return os.path.join(workdir, "collections")


@pytest.fixture
def simulator():
    with tempfile.TemporaryDirectory(prefix="cdm-eda-sim.") as workdir:
        scenario = os.path.join(workdir, "scenario.json")
        with open(scenario, "w") as handle:
            json.dump(SCENARIO, handle)
        port_file = os.path.join(workdir, "port")
        process = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "simulator", "cdm_simulator.py"),
                                    "--scenario", scenario, "--port", "0", "--port-file", port_file])
        try:
            for _attempt in range(100):
                if os.path.exists(port_file):
                    break
                time.sleep(0.1)
            with open(port_file) as handle:
                yield "http://127.0.0.1:%s" % handle.read().strip()
        finally:
            process.terminate()
            process.wait(10)


def test_a_rulebook_runs_a_playbook_when_a_job_fails(simulator, tmp_path):
    # run_playbook copies the rulebook's folder for ansible-runner: the collection lives outside it.
    workdir = str(tmp_path / "project")
    os.mkdir(workdir)
    alert = str(tmp_path / "alert.json")
    for name, text in (("rulebook.yml", RULEBOOK), ("alert.yml", PLAYBOOK.format(alert=alert)),
                       ("inventory.yml", "all:\n  hosts:\n    localhost:\n      ansible_connection: local\n")):
        with open(os.path.join(workdir, name), "w") as handle:
            handle.write(text)
    env = dict(os.environ, HUAWEICLOUD_CDM_ENDPOINT=simulator, HUAWEICLOUD_SDK_PROJECT_ID=PROJECT,
               HUAWEICLOUD_AUTH_TOKEN=TOKEN, ANSIBLE_COLLECTIONS_PATH=_collections(str(tmp_path)),
               ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCALHOST_WARNING="0",
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    rulebook = os.path.join(os.path.dirname(sys.executable), "ansible-rulebook")
    process = subprocess.Popen([rulebook, "-r", "rulebook.yml", "-i", "inventory.yml", "-v"],
                               cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        # The jobs start once the source has made its first poll, as a schedule would start them.
        deadline = time.time() + 180
        while _request(simulator + "/_sim/stats")["by_route"].get("job_list", 0) < 1:
            assert process.poll() is None, process.stdout.read().decode("utf-8", "replace")
            assert time.time() < deadline, "the source made no job-list request within 180 seconds"
            time.sleep(0.5)
        for job in ("nightly_customers", "nightly_orders"):
            _request("%s/v1.1/%s/clusters/%s/cdm/job/%s/start" % (simulator, PROJECT, CLUSTER, job), "PUT",
                     {"X-Auth-Token": TOKEN, "Content-Type": "application/json"})
        output, _unused = process.communicate(timeout=max(10, deadline - time.time()))
    except subprocess.TimeoutExpired:
        process.kill()
        output, _unused = process.communicate()
        pytest.fail("ansible-rulebook did not end within 180 seconds:\n" + output.decode("utf-8", "replace"))
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    output = output.decode("utf-8", "replace")
    assert process.returncode == 0, output
    with open(alert) as handle:
        event = json.load(handle)
    assert (event["kind"], event["transition"], event["job_name"], event["status"]) == (
        "job", "failed", "nightly_orders", "FAILED"), event
    assert event["error_summary"] == "DWS refused the rows: duplicate key." and event["cluster_id"] == CLUSTER
    assert event["old_status"] in (None, "BOOTING", "RUNNING") and isinstance(event["submission_id"], int)
    assert TOKEN not in output
