# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Scenarios 1 and 2: what one status check of a finished job costs.

1. ad hoc, ``ansible localhost -m`` cdm_job_status against ansible.builtin.uri;
2. inside the module's process: the AnsiballZ files Ansible runs, run alone
   next to a bare requests.get, and module_probe.py's phases.
"""

from __future__ import annotations

import glob
import json
import math
import os

from harness import (FINISHED_CLUSTER, HERE, PROBE_JOB, PROJECT, TOKEN, BenchError, median, ratio,
                     run_timed)

PROBE = os.path.join(HERE, "module_probe.py")


def uri_args(simulator, job):
    return json.dumps({"url": simulator.status_url(job), "headers": {"X-Auth-Token": TOKEN},
                       "return_content": False})


def slower_p_value(pairs):
    """One-sided sign test: how likely the first of each pair is slower this often by chance alone."""
    slower = sum(1 for first, second in pairs if first > second)
    total = len(pairs)
    return slower, sum(math.comb(total, count) for count in range(slower, total + 1)) / 2.0 ** total


def scenario_adhoc(ansible, simulator, repeats):
    """1: one ad hoc check of a finished job, the module against uri, in pairs (each pair in the other order)."""
    print("\n[1] one ad hoc status check, %d runs each (in pairs)" % repeats, flush=True)
    forms = [
        ("huaweicloud.cdm.cdm_job_status", "cluster_id=%s job_name=%s" % (FINISHED_CLUSTER, PROBE_JOB)),
        ("ansible.builtin.uri", uri_args(simulator, PROBE_JOB)),
    ]
    samples = dict((module, {"wall": [], "cpu": [], "requests": []}) for module, _args in forms)
    for repeat in range(repeats):
        for module, args in (forms if repeat % 2 == 0 else forms[::-1]):
            simulator.reset_stats()
            timed = ansible.adhoc(module, args)
            samples[module]["wall"].append(timed.wall)
            samples[module]["cpu"].append(timed.cpu)
            samples[module]["requests"].append(simulator.stats()["requests"])
    rows = [{"command": "ansible localhost -m " + module, "wall": median(samples[module]["wall"]),
             "cpu": median(samples[module]["cpu"]), "requests": median(samples[module]["requests"])}
            for module, _args in forms]
    out = {"rows": rows, "runs": repeats, "samples": samples}
    for key in ("wall", "cpu"):
        pairs = list(zip(samples[forms[0][0]][key], samples[forms[1][0]][key]))
        out[key + "_ratio"] = median([first / second for first, second in pairs])
        out[key + "_slower"], out[key + "_p"] = slower_p_value(pairs)
    return out


# -- scenario 2 ----------------------------------------------------------------------------

def kept_payload(ansible, module, args, name):
    """The AnsiballZ file Ansible runs for a module, kept (ANSIBLE_KEEP_REMOTE_FILES) to run it alone."""
    folder = os.path.join(ansible.workdir, "kept-" + name)
    os.makedirs(folder)
    ansible.adhoc(module, args, {"ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TMP": folder})
    found = glob.glob(os.path.join(folder, "*", "AnsiballZ_*.py"))
    if len(found) != 1:
        raise BenchError("expected one kept AnsiballZ file in %s, found %d" % (folder, len(found)))
    return found[0]


def scenario_in_process(ansible, simulator, repeats):
    print("\n[2] one status check inside the module's process, %d runs each (interleaved)" % repeats, flush=True)
    module_args = {"cluster_id": FINISHED_CLUSTER, "job_name": PROBE_JOB, "project_id": PROJECT,
                   "endpoint": simulator.url, "auth_token": TOKEN}
    payload_module = kept_payload(ansible, "huaweicloud.cdm.cdm_job_status",
                                  "cluster_id=%s job_name=%s" % (FINISHED_CLUSTER, PROBE_JOB), "module")
    payload_uri = kept_payload(ansible, "ansible.builtin.uri", uri_args(simulator, PROBE_JOB), "uri")
    bare = ("import requests; r = requests.get(%r, headers={'X-Auth-Token': %r, 'Accept': 'application/json'}, "
            "timeout=30); r.raise_for_status(); r.json()" % (simulator.status_url(PROBE_JOB), TOKEN))
    processes = [
        ("python -c 'requests.get(...)' (bare)", [ansible.python, "-c", bare]),
        ("AnsiballZ ansible.builtin.uri", [ansible.python, payload_uri]),
        ("AnsiballZ huaweicloud.cdm.cdm_job_status", [ansible.python, payload_module]),
    ]
    probes = [
        ("module", [ansible.python, PROBE, "module", ansible.collections, json.dumps(module_args)]),
        ("requests", [ansible.python, PROBE, "requests", simulator.status_url(PROBE_JOB), TOKEN]),
    ]
    process_samples = dict((label, {"wall": [], "cpu": []}) for label, _argv in processes)
    phase_samples = dict((label, []) for label, _argv in probes)
    output = os.path.join(ansible.workdir, "probe.out")
    for _repeat in range(repeats):
        for label, argv in processes:
            timed = run_timed(argv, ansible.env, ansible.workdir, output)
            if timed.returncode != 0:
                raise BenchError("%s failed (exit %s):\n%s" % (label, timed.returncode, timed.output[-2000:]))
            process_samples[label]["wall"].append(timed.wall)
            process_samples[label]["cpu"].append(timed.cpu)
        for label, argv in probes:
            timed = run_timed(argv, ansible.env, ansible.workdir, output)
            try:
                phases = json.loads(timed.output.strip().splitlines()[-1])
            except (ValueError, IndexError):
                phases = None
            if timed.returncode != 0 or not phases or phases.get("failed"):
                raise BenchError("module_probe.py %s failed (exit %s):\n%s" % (label, timed.returncode, timed.output[-2000:]))
            phases["process_wall"] = timed.wall
            phases["process_cpu"] = timed.cpu
            phase_samples[label].append(phases)
    rows = [{"process": label, "wall": median(process_samples[label]["wall"]), "cpu": median(process_samples[label]["cpu"])}
            for label, _argv in processes]

    def phase(label, key):
        return median([sample.get(key) for sample in phase_samples[label]])

    module_phases = dict((key, phase("module", key)) for key in
                         ("import_ansible", "import_module", "run", "http", "total", "process_wall", "process_cpu"))
    bare_phases = dict((key, phase("requests", key)) for key in
                       ("import_requests", "run", "http", "total", "process_wall", "process_cpu"))
    bare_row, uri_row, module_row = rows
    return {
        "rows": rows, "module": module_phases, "bare": bare_phases,
        "payload_vs_bare_wall": ratio(module_row["wall"], bare_row["wall"]),
        "payload_vs_bare_cpu": ratio(module_row["cpu"], bare_row["cpu"]),
        "payload_vs_uri_wall": ratio(module_row["wall"], uri_row["wall"]),
        "payload_vs_uri_cpu": ratio(module_row["cpu"], uri_row["cpu"]),
        "in_process_vs_bare": ratio(module_phases["total"], bare_phases["total"]),
        "run_vs_bare_run": ratio(module_phases["run"], bare_phases["run"]),
    }
