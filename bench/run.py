# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What checking and waiting on CDM jobs costs the controller: `make bench`.

Runs against the local CDM simulator (tests/simulator), served from a thread
of this process, and prints medians of repeated runs and ratios measured in
the same run:

1. one ad hoc status check: cdm_job_status vs ansible.builtin.uri;
2. one status check inside the module's process vs a bare requests.get;
3. waiting on 1, 10, 50 and 100 jobs: (a) the cost of one poll round, (b)
   whole waits on jobs that end at the same moment, in the loop pattern (one
   until-loop per job), the batch form (job_names) and the job_wait role;
4. detection latency: from a job's end to the wait's return.

The simulator runs in this process so that its clock can jump: every job of
the wait's cluster then ends at the same simulated moment, right after the
wait's chosen poll, however slow a busy machine makes each poll. Its CPU is
not counted in the figures, which are those of the ansible processes.

Run it with a Python that has ansible-core, requests and jmespath (bench.sh
builds one); ansible and ansible-playbook are taken from the same bin folder. Exit status: 0 when every measurement ran (a missed goal is printed as
GOAL MISSED, not an error), 1 on an operational error, 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import datetime
import glob
import json
import math
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SIMULATOR = os.path.join(ROOT, "tests", "simulator", "cdm_simulator.py")
PROBE = os.path.join(HERE, "module_probe.py")
CALLBACKS = os.path.join(HERE, "callback_plugins")

# Two clusters of the same 100 jobs. On CLUSTER, every reset of the simulator starts
# all jobs again, to run for half an hour, unless the clock jumps (Sim.end_jobs).
# On FINISHED_CLUSTER, each job has one run that SUCCEEDED a minute before.
CLUSTER = "6ec9a0a4-76be-4262-8697-e7af1fac7920"
FINISHED_CLUSTER = "a3c9e1f7-6b2d-4e8a-9f0c-1d2e3f4a5b6c"
# And a larger cluster, whose job list takes three pages: every job runs, the wait asks about 1 or N of them.
BIG_CLUSTER = "c4d5e6f7-0a1b-4c2d-8e3f-5a6b7c8d9e0f"
BIG_CLUSTER_JOBS = 250
RUN_SECONDS = 1800         # real seconds a job of CLUSTER runs
CLOCK_JUMP = 3600          # real seconds the simulator's clock jumps to end them all at once
SETTLE = 0.1               # seconds given to the answer of the poll after which the jobs end
ROUND_POLLS = 6            # polls per run in 3a, back to back (delay 0); the first and the last are left out
# A loop-pattern wait on more jobs than this runs once: it already makes N + 3 polls,
# and on 100 jobs it takes a minute.
LOOP_REPEATED_UP_TO = 10
PROJECT = "0b5f3b6a1e8f4c0d9a2b7c6d5e4f3a21"
TOKEN = "sim-token"
JOBS_IN_CLUSTER = 100      # one page of the job list (the API's largest page)
SPEED = 60.0               # simulated seconds per real second
PROBE_JOB = "bench_001"    # the job of the single checks (1 and 2, on FINISHED_CLUSTER) and of the latency (4)

# Goals from the issue.
GOAL_ROUND_RATIO = 1.5


class BenchError(Exception):
    """Something that stops the benchmark from measuring (not a missed goal)."""


class Interrupted(Exception):
    """SIGTERM, turned into an exception so that the cleanup runs."""


def job_names(count):
    return ["bench_%03d" % number for number in range(1, count + 1)]


def big_state():
    return "running, %d-job cluster" % BIG_CLUSTER_JOBS


STATES = {  # 3a: the jobs a round looks at, by the cluster they are on
    "running": CLUSTER,
    "finished": FINISHED_CLUSTER,
    big_state(): BIG_CLUSTER,
}
STATE_PHRASES = {
    "running": "running jobs",
    "finished": "finished jobs",
    big_state(): "running jobs on a %d-job cluster" % BIG_CLUSTER_JOBS,
}


def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def ms(seconds):
    return "-" if seconds is None else "%.0f" % (seconds * 1000.0)


def sec(seconds):
    return "-" if seconds is None else "%.2f" % seconds


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(value):
    return "-" if value is None else "%.2f×" % value


# -- processes ----------------------------------------------------------------

class Timed(object):
    """A finished child process: wall seconds, CPU seconds (its whole tree, once reaped), exit code."""

    def __init__(self, wall, cpu, returncode, output):
        self.wall = wall
        self.cpu = cpu
        self.returncode = returncode
        self.output = output


def run_timed(argv, env, cwd, output_path, monitor=None):
    """Run a command to its end; CPU comes from wait4, so it covers every descendant the command reaped.

    For ansible on localhost that is the controller, its forked workers and the
    module processes they start. ``monitor``, when given, is called about every
    10 ms while the command runs.
    """
    with open(output_path, "wb") as output:
        began = time.perf_counter()
        process = subprocess.Popen(argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=output,
                                   stderr=subprocess.STDOUT)
        try:
            if monitor is None:
                _pid, status, usage = os.wait4(process.pid, 0)
            else:
                while True:
                    pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                    if pid:
                        break
                    monitor()
                    time.sleep(0.01)
        except BaseException:
            stop_process(process)
            raise
        wall = time.perf_counter() - began
    process.returncode = os.waitstatus_to_exitcode(status)
    with open(output_path, "rb") as handle:
        text = handle.read().decode("utf-8", "replace")
    return Timed(wall, usage.ru_utime + usage.ru_stime, process.returncode, text)


def stop_process(process, grace=5.0):
    """End one child we started, by its id: SIGTERM, then SIGKILL."""
    if process is None or process.poll() is not None:
        return
    try:
        process.terminate()
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    except OSError:
        pass


# -- the simulator --------------------------------------------------------------

def scenario():
    return {
        "name": "bench",
        "speed": SPEED,
        "tokens": [TOKEN],
        "clusters": [
            {"id": CLUSTER, "name": "cdm-bench", "jobs": [
                {"name": name, "duration": RUN_SECONDS * SPEED, "boot": 10, "outcome": "succeeded", "autostart": True}
                for name in job_names(JOBS_IN_CLUSTER)]},
            {"id": FINISHED_CLUSTER, "name": "cdm-bench-finished", "jobs": [
                {"name": name, "history": [{"outcome": "succeeded", "finished_ago": 60}]}
                for name in job_names(JOBS_IN_CLUSTER)]},
            {"id": BIG_CLUSTER, "name": "cdm-bench-big", "jobs": [
                {"name": name, "duration": RUN_SECONDS * SPEED, "boot": 10, "outcome": "succeeded", "autostart": True}
                for name in job_names(BIG_CLUSTER_JOBS)]},
        ],
    }


def load_simulator():
    folder = os.path.dirname(SIMULATOR)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import cdm_simulator
    return cdm_simulator


class Sim(object):
    """The CDM simulator in this process (a server thread), with a clock that can jump forward."""

    def __init__(self, workdir):
        self.offset = 0.0
        self.log_path = os.path.join(workdir, "simulator.log")
        self.server = load_simulator().Simulator(scenario=scenario(), log_file=self.log_path, clock=self.clock)
        self.state = self.server.state
        self.server.start()
        self.url = self.server.url

    def clock(self):
        return time.time() + self.offset

    def stop(self):
        self.server.stop()

    def restart_jobs(self):
        """Every job of CLUSTER starts now; statistics zeroed."""
        self.state.reset()
        self.state.reset_stats()

    def reset_stats(self):
        self.state.reset_stats()

    def stats(self):
        return self.state.snapshot_stats()

    def end_jobs(self):
        """Every running job ends now, at one simulated moment; returns that moment on the real clock."""
        self.offset += CLOCK_JUMP
        return time.time()

    def polls_seen(self, form):
        """How many polls the running wait has made: its job list requests, or the first job's status requests."""
        with self.state.lock:
            if form in ("batch", "role"):
                return self.state.stats["by_route"].get("job_list", 0)
            return self.state.stats["by_job_route"].get(PROBE_JOB, {}).get("status", 0)

    def status_url(self, job, cluster=FINISHED_CLUSTER):
        return "%s/v1.1/%s/clusters/%s/cdm/job/%s/status" % (self.url, PROJECT, cluster, job)

    def log_offset(self):
        return os.path.getsize(self.log_path) if os.path.exists(self.log_path) else 0

    def api_log(self, offset):
        """(epoch seconds, method, path) of each API request logged since offset; control calls left out."""
        entries = []
        with open(self.log_path, "rb") as handle:
            handle.seek(offset)
            for raw in handle.read().decode("utf-8", "replace").splitlines():
                parts = raw.split(" ")
                if len(parts) < 3 or not parts[2].startswith("/v1.1/"):
                    continue
                stamp = datetime.datetime.strptime(parts[0], "%Y-%m-%dT%H:%M:%S.%fZ")
                epoch = stamp.replace(tzinfo=datetime.timezone.utc).timestamp()
                entries.append((epoch, parts[1], parts[2]))
        return entries


# -- ansible ------------------------------------------------------------------------

PLAYBOOKS = {
    "baseline": """
- name: Baseline, ansible-playbook with no task
  hosts: localhost
  gather_facts: false
  tasks: []
""",
    "single": """
- name: One job, the single form in an until loop
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait for the job
      huaweicloud.cdm.cdm_job_status:
        cluster_id: "{{ bench_cluster }}"
        job_name: "{{ bench_jobs[0] }}"
      register: job
      until: job is huaweicloud.cdm.finished
      retries: "{{ bench_retries }}"
      delay: "{{ bench_delay }}"
""",
    "rounds_single": """
- name: One job polled ROUND_POLLS times back to back, single form
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Poll the job
      huaweicloud.cdm.cdm_job_status:
        cluster_id: "{{ bench_cluster }}"
        job_name: "{{ bench_jobs[0] }}"
      register: job
      until: job.attempts | default(1) >= bench_polls
      retries: "{{ bench_polls }}"
      delay: 0
""",
    "rounds_batch": """
- name: N jobs polled ROUND_POLLS times back to back, batch form
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Poll the jobs
      huaweicloud.cdm.cdm_job_status:
        cluster_id: "{{ bench_cluster }}"
        job_names: "{{ bench_jobs }}"
      register: batch
      until: batch.attempts | default(1) >= bench_polls
      retries: "{{ bench_polls }}"
      delay: 0
""",
    "loop": """
- name: Several jobs, the loop pattern (each job waited in turn)
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait for each job
      huaweicloud.cdm.cdm_job_status:
        cluster_id: "{{ bench_cluster }}"
        job_name: "{{ item }}"
      loop: "{{ bench_jobs }}"
      register: item_result
      until: item_result is huaweicloud.cdm.finished
      retries: "{{ bench_retries }}"
      delay: "{{ bench_delay }}"
""",
    "batch": """
- name: Several jobs, the batch form (job_names) in one until loop
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait for all jobs
      huaweicloud.cdm.cdm_job_status:
        cluster_id: "{{ bench_cluster }}"
        job_names: "{{ bench_jobs }}"
      register: batch
      until: batch is huaweicloud.cdm.finished
      retries: "{{ bench_retries }}"
      delay: "{{ bench_delay }}"
""",
    "result": """
- name: The batch form's result of N jobs, handed back by a stand-in module that makes no request
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Return the recorded result
      bench_result:
        path: "{{ bench_result_path }}"
      register: batch
      until: batch.attempts | default(1) >= 2 and batch is huaweicloud.cdm.finished
      retries: 2
      delay: 0
""",
    "role": """
- name: Several jobs, the job_wait role with job_wait_job_names
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Wait for all jobs
      ansible.builtin.include_role:
        name: huaweicloud.cdm.job_wait
      vars:
        job_wait_cluster_id: "{{ bench_cluster }}"
        job_wait_job_names: "{{ bench_jobs }}"
        job_wait_delay: "{{ bench_delay }}"
        job_wait_timeout: "{{ bench_retries * bench_delay }}"
""",
}


# 3c: a module that returns a result read from a file, and makes no request. It
# lives in the work folder's library/ (next to the playbooks), not in the collection.
RESULT_MODULE = """#!/usr/bin/python
import json
from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True)))
    with open(module.params["path"]) as handle:
        result = json.load(handle)
    module.exit_json(**result)


main()
"""


def role_available():
    """The job_wait role is being written alongside: measure it once it has tasks and takes job_wait_job_names."""
    tasks = os.path.join(ROOT, "roles", "job_wait", "tasks", "main.yml")
    if not os.path.exists(tasks):
        return False
    for path in glob.glob(os.path.join(ROOT, "roles", "job_wait", "**", "*.yml"), recursive=True):
        with open(path) as handle:
            if "job_wait_job_names" in handle.read():
                return True
    return False


class Ansible(object):
    def __init__(self, python, workdir, simulator):
        self.python = python
        self.bin = os.path.dirname(python)
        self.workdir = workdir
        self.simulator = simulator
        self.counter = 0
        for tool in ("ansible", "ansible-playbook"):
            if not os.access(os.path.join(self.bin, tool), os.X_OK):
                raise BenchError("%s not found next to %s: give --python a venv's python that has ansible-core"
                                 % (tool, python))
        collections = os.path.join(workdir, "collections")
        os.makedirs(os.path.join(collections, "ansible_collections", "huaweicloud"))
        os.symlink(ROOT, os.path.join(collections, "ansible_collections", "huaweicloud", "cdm"))
        self.collections = collections
        config = os.path.join(workdir, "ansible.cfg")
        open(config, "w").close()  # an empty config: no ~/.ansible.cfg or /etc/ansible settings
        for name, text in PLAYBOOKS.items():
            with open(os.path.join(workdir, name + ".yml"), "w") as handle:
                handle.write(text.lstrip())
        os.makedirs(os.path.join(workdir, "library"))
        with open(os.path.join(workdir, "library", "bench_result.py"), "w") as handle:
            handle.write(RESULT_MODULE)
        env = dict((key, value) for key, value in os.environ.items()
                   if not key.startswith(("HUAWEICLOUD_", "HW_", "CLOUD_SDK_", "ANSIBLE_")))
        env.update({
            "HUAWEICLOUD_CDM_ENDPOINT": simulator.url,
            "HUAWEICLOUD_SDK_PROJECT_ID": PROJECT,
            "HUAWEICLOUD_AUTH_TOKEN": TOKEN,
            "ANSIBLE_CONFIG": config,
            "ANSIBLE_COLLECTIONS_PATH": collections,
            "ANSIBLE_CALLBACK_PLUGINS": CALLBACKS,
            "ANSIBLE_CALLBACKS_ENABLED": "bench_timer",
            "ANSIBLE_LOCALHOST_WARNING": "False",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False",
            "ANSIBLE_RETRY_FILES_ENABLED": "False",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_HOME": os.path.join(workdir, "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": os.path.join(workdir, "ansible-local"),
            "ANSIBLE_REMOTE_TMP": os.path.join(workdir, "ansible-remote"),
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        })
        self.env = env

    def _paths(self, label):
        self.counter += 1
        base = os.path.join(self.workdir, "run-%04d-%s" % (self.counter, label))
        return base + ".out", base + ".timer.json"

    def adhoc(self, module, args, env_extra=None):
        output, _timer = self._paths("adhoc")
        env = dict(self.env, **(env_extra or {}))
        timed = run_timed([os.path.join(self.bin, "ansible"), "localhost", "-m", module, "-a", args],
                          env, self.workdir, output)
        if timed.returncode != 0 or "SUCCESS" not in timed.output:
            raise BenchError("ansible -m %s failed (exit %s):\n%s" % (module, timed.returncode, timed.output[-3000:]))
        return timed

    def playbook(self, name, variables=None, monitor=None):
        output, timer_path = self._paths(name)
        vars_path = output[:-4] + ".vars.json"
        with open(vars_path, "w") as handle:
            json.dump(variables or {}, handle)
        env = dict(self.env, BENCH_TIMER_FILE=timer_path)
        timed = run_timed([os.path.join(self.bin, "ansible-playbook"), os.path.join(self.workdir, name + ".yml"),
                           "-e", "@" + vars_path], env, self.workdir, output, monitor)
        if timed.returncode != 0:
            raise BenchError("ansible-playbook %s.yml failed (exit %s):\n%s"
                             % (name, timed.returncode, timed.output[-3000:]))
        try:
            with open(timer_path) as handle:
                timed.timer = json.load(handle)
        except (OSError, ValueError) as error:
            raise BenchError("the bench_timer callback wrote nothing for %s.yml (%s):\n%s"
                             % (name, error, timed.output[-2000:]))
        return timed

    def versions(self):
        code = ("import sys, ansible.release, requests, jmespath; "
                "print(sys.version.split()[0], ansible.release.__version__, requests.__version__, jmespath.__version__)")
        out = subprocess.run([self.python, "-c", code], stdout=subprocess.PIPE, check=True, env=self.env).stdout
        python, core, requests_version, jmespath_version = out.decode().split()
        return {"python": python, "ansible_core": core, "requests": requests_version, "jmespath": jmespath_version}


# -- scenario 1 ------------------------------------------------------------------------

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


# -- scenario 2 ------------------------------------------------------------------------

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


# -- scenarios 3 and 4: waits ----------------------------------------------------------------

def _span(first, second, minus=0.0):
    """(wall, CPU, main-process CPU) between two callback events; ``minus`` seconds of until sleep off the wall."""
    return (second[0] - first[0] - minus, second[1] - first[1], second[2] - first[2])


def _median_span(spans):
    return (median([span[0] for span in spans]), median([span[1] for span in spans])) if spans else (None, None)


def analyse_wait(form, count, timed, requests_made, log, delay):
    """Figures of one wait from the process, the callback's events and the simulator's log.

    Poll rounds from the callback: the first poll (task start to the first
    result), the running rounds (between two until retries, less the delay)
    and the last round (the last retry to the end, less the delay). For the
    loop pattern a round checks every job once: its last round is the first
    job's final poll plus one poll of every other job; its running round, which
    the loop never makes, is N times a poll of the first job while it runs.
    """
    tasks = [task for task in timed.timer["tasks"] if task.get("end")]
    if not tasks:
        raise BenchError("no task of the %s wait finished" % form)
    first_task = min(tasks, key=lambda task: task["start"][0])
    last_task = max(tasks, key=lambda task: task["end"][0])
    poll_task = max(tasks, key=lambda task: task.get("attempts") or 0)
    polls = poll_task.get("attempts") or 1
    if form == "loop":
        if len(poll_task["items"]) != count:
            raise BenchError("the loop wait reported %d items, not %d" % (len(poll_task["items"]), count))
        first_job_end = poll_task["items"][0]["end"]
        retries = [event for event in poll_task["retries"] if event[0] <= first_job_end[0]]
    else:
        first_job_end = poll_task["end"]
        retries = poll_task["retries"]
    points = [poll_task["start"]] + retries + [first_job_end]
    first_poll = _span(points[0], points[1])
    running = _median_span([_span(points[index], points[index + 1], delay) for index in range(1, len(points) - 2)])
    last_round = _span(points[-2], points[-1], delay if len(points) > 2 else 0.0)
    if form == "loop":
        running = (None if running[0] is None else running[0] * count, None if running[1] is None else running[1] * count)
        rest = _span(first_job_end, poll_task["end"])
        last_round = (last_round[0] + rest[0], last_round[1] + rest[1], last_round[2] + rest[2])
        per_round_requests = [count]
    else:
        per_round_requests, current = [], None
        for entry in log:
            if entry[2].endswith("/cdm/job/all"):
                if current is not None:
                    per_round_requests.append(current)
                current = 1
            elif current is not None:
                current += 1
        if current is not None:
            per_round_requests.append(current)
    return {
        "form": form, "n": count, "wall": timed.wall, "cpu": timed.cpu,
        "wait_wall": last_task["end"][0] - first_task["start"][0],
        "wait_cpu": last_task["end"][1] - first_task["start"][1],
        "requests": requests_made, "polls": polls,
        "first_poll_wall": first_poll[0], "first_poll_cpu": first_poll[1],
        "running_wall": running[0], "running_cpu": running[1],
        "last_wall": last_round[0], "last_cpu": last_round[1], "last_main_cpu": last_round[2],
        "requests_per_round_max": max(per_round_requests) if per_round_requests else None,
        "rounds_with_one_request": sum(1 for value in per_round_requests if value == 1),
        "end": last_task["end"][0],
        "log": log,
    }


def run_wait(ansible, simulator, form, count, delay, running_polls, phase=0.0):
    """One wait on N jobs of CLUSTER that all end together, ``phase`` seconds after the wait's poll number ``running_polls``."""
    simulator.restart_jobs()
    offset = simulator.log_offset()
    watch = {"seen": None, "ended": None}

    def end_jobs_on_time():
        if watch["ended"] is not None:
            return
        if watch["seen"] is None:
            if simulator.polls_seen(form) >= running_polls:
                watch["seen"] = time.time()
        elif time.time() >= watch["seen"] + SETTLE + phase:
            watch["ended"] = simulator.end_jobs()

    # The retries are a bound only: the jobs end after running_polls polls.
    timed = ansible.playbook(form, {"bench_cluster": CLUSTER, "bench_jobs": job_names(count), "bench_delay": delay,
                                    "bench_retries": running_polls + 30}, end_jobs_on_time)
    if watch["ended"] is None:
        raise BenchError("the %s wait on %d jobs returned before the jobs ended:\n%s" % (form, count, timed.output[-2000:]))
    stats = simulator.stats()
    log = simulator.api_log(offset)
    result = analyse_wait(form, count, timed, stats["requests"], log, delay)
    result["max_concurrent"] = stats.get("max_concurrent")
    result["ended"] = watch["ended"]
    return result


def scenario_rounds(ansible, simulator, sizes, repeats):
    """3a: the cost of one poll round, from ROUND_POLLS polls back to back (no delay) of N running or finished jobs."""
    print("\n[3a] one poll round over N jobs: %d polls back to back, %d runs per case" % (ROUND_POLLS, repeats), flush=True)
    big = big_state()
    cases = [("single", 1, state) for state in ("running", "finished")]
    cases += [("batch", count, state) for state in ("running", "finished") for count in sizes]
    cases += [("batch", count, big) for count in sorted(set((min(sizes), max(sizes))))]
    samples = dict((case, []) for case in cases)
    for repeat in range(repeats):
        for form, count, state in cases:
            cluster = STATES[state]
            simulator.restart_jobs()
            timed = ansible.playbook("rounds_" + form, {"bench_cluster": cluster, "bench_jobs": job_names(count),
                                                        "bench_polls": ROUND_POLLS})
            stats = simulator.stats()
            task = max(timed.timer["tasks"], key=lambda entry: entry.get("attempts") or 0)
            if task.get("attempts") != ROUND_POLLS or len(task["retries"]) != ROUND_POLLS - 1:
                raise BenchError("the %s poll of %d %s jobs made %s attempts, not %d"
                                 % (form, count, state, task.get("attempts"), ROUND_POLLS))
            # Left out: the first poll, with the one-time costs (worker fork, loading the module), and the
            # last, which also hands the task's result over (3b measures that round in whole waits).
            events = task["retries"]
            spans = [_span(events[index], events[index + 1]) for index in range(len(events) - 1)]
            samples[(form, count, state)].append({
                "wall": median([span[0] for span in spans]), "cpu": median([span[1] for span in spans]),
                "main_cpu": median([span[2] for span in spans]),
                "requests": stats["requests"] / float(ROUND_POLLS), "max_concurrent": stats.get("max_concurrent")})
        print("    run %d done" % (repeat + 1), flush=True)
    rows = []
    for form, count, state in cases:
        runs = samples[(form, count, state)]
        rows.append({"form": form, "n": count, "state": state, "wall": median([run["wall"] for run in runs]),
                     "cpu": median([run["cpu"] for run in runs]), "main_cpu": median([run["main_cpu"] for run in runs]),
                     "requests": max(run["requests"] for run in runs),
                     "max_concurrent": max(run["max_concurrent"] or 0 for run in runs), "runs": len(runs)})
    return rows


def record_batch_result(ansible, count):
    """The batch form's result for ``count`` finished jobs, as the module returns it (ad hoc, -m)."""
    timed = ansible.adhoc("huaweicloud.cdm.cdm_job_status",
                          json.dumps({"cluster_id": FINISHED_CLUSTER, "job_names": job_names(count)}))
    try:
        result = json.loads(timed.output[timed.output.index("{"):])
    except ValueError as error:
        raise BenchError("could not read the batch result of %d jobs (%s):\n%s" % (count, error, timed.output[-2000:]))
    if len(result.get("jobs") or []) != count or not result.get("finished"):
        raise BenchError("the batch result of %d jobs is not %d finished jobs" % (count, count))
    result.pop("invocation", None)
    return result


BRIEF_KEYS = ("job_name", "status", "finished", "succeeded")


def scenario_result(ansible, sizes, repeats):
    """3c: the last round of a task whose module returns the batch result of N finished jobs without a request.

    A last case gives the largest N's result with only BRIEF_KEYS in each job:
    what the same number of jobs costs with fewer values each.
    """
    print("\n[3c] the result of N finished jobs handed back without any request, %d runs each" % repeats, flush=True)
    cases = []
    for count in sizes:
        result = record_batch_result(ansible, count)
        cases.append((count, "full", result))
        if count == max(sizes) and count > 1:
            brief = dict(result, jobs=[dict((key, job.get(key)) for key in BRIEF_KEYS) for job in result["jobs"]])
            cases.append((count, "brief", brief))
    paths, sizes_kb = {}, {}
    for count, kind, result in cases:
        paths[(count, kind)] = os.path.join(ansible.workdir, "result-%d-%s.json" % (count, kind))
        with open(paths[(count, kind)], "w") as handle:
            json.dump(result, handle)
        sizes_kb[(count, kind)] = len(json.dumps(result, separators=(",", ":"))) / 1024.0
    samples = dict(((count, kind), []) for count, kind, _result in cases)
    for _repeat in range(repeats):
        for count, kind, _result in cases:
            timed = ansible.playbook("result", {"bench_result_path": paths[(count, kind)]})
            task = max(timed.timer["tasks"], key=lambda entry: entry.get("attempts") or 0)
            if task.get("attempts") != 2 or len(task["retries"]) != 1:
                raise BenchError("the stand-in task of %d jobs made %s attempts, not 2" % (count, task.get("attempts")))
            samples[(count, kind)].append(_span(task["retries"][0], task["end"]))
    return [{"n": count, "kind": kind, "kb": sizes_kb[(count, kind)], "runs": len(samples[(count, kind)]),
             "wall": median([span[0] for span in samples[(count, kind)]]),
             "cpu": median([span[1] for span in samples[(count, kind)]]),
             "main_cpu": median([span[2] for span in samples[(count, kind)]])} for count, kind, _result in cases]


def baseline(ansible, repeats):
    samples = [ansible.playbook("baseline") for _repeat in range(repeats)]
    return {"wall": median([timed.wall for timed in samples]), "cpu": median([timed.cpu for timed in samples])}


WAIT_FIGURES = ("wall", "cpu", "wait_wall", "wait_cpu", "requests", "polls", "first_poll_wall", "first_poll_cpu",
                "running_wall", "running_cpu", "last_wall", "last_cpu", "last_main_cpu", "rounds_with_one_request",
                "max_concurrent")


def summarise(samples):
    out = dict((key, median([sample.get(key) for sample in samples])) for key in WAIT_FIGURES)
    # The worst round of any run, not a median: the goal is a bound.
    out["requests_per_round_max"] = max(sample["requests_per_round_max"] for sample in samples)
    out["rounds_with_one_request"] = min(sample["rounds_with_one_request"] for sample in samples)
    out["form"], out["n"], out["runs"] = samples[0]["form"], samples[0]["n"], len(samples)
    return out


def scenario_waits(ansible, simulator, forms, sizes, repeats, delay, running_polls):
    print("\n[3b] waiting on %s jobs that end together after the wait's poll %d; delay %g s; %d runs each"
          % (", ".join(str(size) for size in sizes), running_polls, delay, repeats), flush=True)
    samples = {}
    for repeat in range(repeats):
        for count in sizes:
            for form in forms:
                if form == "loop" and count > LOOP_REPEATED_UP_TO and repeat > 0:
                    continue
                began = time.perf_counter()
                result = run_wait(ansible, simulator, form, count, delay, running_polls)
                samples.setdefault((form, count), []).append(result)
                print("    run %d  %-6s N=%-3d  %5.1f s  %4d requests  %3d polls"
                      % (repeat + 1, form, count, time.perf_counter() - began, result["requests"], result["polls"]),
                      flush=True)
    return dict((key, summarise(value)) for key, value in samples.items())


def scenario_latency(ansible, simulator, cases, repeats, delay, round_estimate):
    """4: the jobs end at points spread evenly over one poll cycle (delay + a round), after the wait's second poll."""
    print("\n[4] detection latency: delay %g s, %d runs per case, the end spread over the poll cycle"
          % (delay, repeats), flush=True)
    cycle = delay + round_estimate
    rows = []
    for form, count in cases:
        samples = []
        for repeat in range(repeats):
            phase = max(0.0, cycle * (repeat + 0.5) / repeats - SETTLE)
            result = run_wait(ansible, simulator, form, count, delay, 2, phase)
            seen = [entry[0] for entry in result["log"] if entry[0] >= result["ended"]]
            if not seen:
                raise BenchError("no request of the %s wait came after the jobs ended" % form)
            latency = result["end"] - result["ended"]
            first = seen[0] - result["ended"]   # the end -> the first request that can see it
            tail = result["end"] - seen[0]      # that request -> the wait returns
            samples.append({"latency": latency, "first": first, "tail": tail, "round": result["running_wall"]})
            print("    run %d  %-6s N=%-3d  latency %.2f s (first request after the end +%.2f s, then %.2f s to return)"
                  % (repeat + 1, form, count, latency, first, tail), flush=True)
        measured_round = median([sample["round"] for sample in samples]) or round_estimate
        tail = median([sample["tail"] for sample in samples])
        rows.append({"form": form, "n": count, "delay": delay, "runs": len(samples),
                     "latency": median([sample["latency"] for sample in samples]),
                     "min": min(sample["latency"] for sample in samples),
                     "max": max(sample["latency"] for sample in samples),
                     "first": median([sample["first"] for sample in samples]), "tail": tail,
                     "round": measured_round, "expected": (delay + measured_round) / 2.0 + tail})
    return rows


# -- report -------------------------------------------------------------------------------------

def table(headers, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = ["| " + " | ".join(str(cell).ljust(width) for cell, width in zip(headers, widths)) + " |",
             "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) + " |")
    return "\n".join(lines)


def machine(ansible):
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    info = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cpus": os.cpu_count(), "cpu_model": model, "os": platform.platform(),
            "load": "%.2f %.2f %.2f" % os.getloadavg()}
    info.update(ansible.versions())
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, check=False).stdout.decode().strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False).stdout.decode().strip()
        info["commit"] = commit + (" (with uncommitted changes)" if dirty else "") if commit else "unknown"
    except OSError:
        info["commit"] = "unknown"
    return info


def pair(wall, cpu):
    return "%s / %s" % (ms(wall), ms(cpu))


def goal_line(met, text):
    return "%s: %s" % ("GOAL MET" if met else "GOAL MISSED", text)


def per_round(row, delay):
    """A wait's cost per poll round: (wall less the until sleeps, CPU) divided by its polls."""
    polls = row["polls"] or 1
    return (row["wait_wall"] - delay * (polls - 1)) / polls, row["wait_cpu"] / polls


def report(info, settings, adhoc, in_process, base, rounds, waits, latency, forms, sizes, delay=1.0, results=None):
    out = []
    out.append("### Machine\n")
    out.append("%s; %s CPUs (%s); %s; Python %s, ansible-core %s, requests %s, jmespath %s; collection at %s; "
               "load average %s at the start, %s at the end.\n"
               % (info["date"], info["cpus"], info["cpu_model"], info["os"], info["python"], info["ansible_core"],
                  info["requests"], info["jmespath"], info["commit"], info["load"], "%.2f %.2f %.2f" % os.getloadavg()))
    out.append("Settings: %s.\n" % settings)
    goals = []

    if adhoc:
        out.append("### 1. One ad hoc status check (median of %d runs)\n" % adhoc["runs"])
        out.append(table(["command", "wall ms", "controller CPU ms", "API requests"],
                         [[row["command"], ms(row["wall"]), ms(row["cpu"]), "%d" % row["requests"]] for row in adhoc["rows"]]))
        out.append("\ncdm_job_status / uri, median of the paired runs: wall %s (slower in %d of %d pairs), CPU %s "
                   "(slower in %d of %d).\n"
                   % (fmt_ratio(adhoc["wall_ratio"]), adhoc["wall_slower"], adhoc["runs"],
                      fmt_ratio(adhoc["cpu_ratio"]), adhoc["cpu_slower"], adhoc["runs"]))
        # "Not slower" within the noise of a shared machine: slower only when a sign test over the pairs says so.
        significant = [key for key in ("wall", "cpu") if adhoc[key + "_p"] < 0.05]
        goals.append(goal_line(not significant,
                               "ad hoc cdm_job_status not slower than uri (wall %s, CPU %s; %s)"
                               % (fmt_ratio(adhoc["wall_ratio"]), fmt_ratio(adhoc["cpu_ratio"]),
                                  "significantly slower in %s: sign test over %d pairs, p < 0.05"
                                  % (" and ".join(significant), adhoc["runs"]) if significant else
                                  "no significant difference: sign test over %d pairs" % adhoc["runs"])))

    if in_process:
        out.append("### 2. One status check inside the module's process (median)\n")
        out.append(table(["process", "wall ms", "CPU ms"],
                         [[row["process"], ms(row["wall"]), ms(row["cpu"])] for row in in_process["rows"]]))
        module, bare = in_process["module"], in_process["bare"]
        out.append("\nPhases, measured inside the process (bench/module_probe.py: the module's code without the AnsiballZ zip):\n")
        out.append(table(["phase", "cdm_job_status ms", "bare requests ms"], [
            ["import ansible.module_utils.basic", ms(module["import_ansible"]), "-"],
            ["import the module (+ requests, jmespath) / import requests", ms(module["import_module"]), ms(bare["import_requests"])],
            ["run: argument checks, request, normalise, JSON out", ms(module["run"]), ms(bare["run"])],
            ["  of which the HTTP request", ms(module["http"]), ms(bare["http"])],
            ["total after interpreter start", ms(module["total"]), ms(bare["total"])],
            ["whole process (interpreter start included), wall", ms(module["process_wall"]), ms(bare["process_wall"])],
        ]))
        out.append("\nAnsiballZ cdm_job_status vs bare requests.get: wall %s, CPU %s; vs AnsiballZ uri: wall %s, CPU %s. "
                   "In-process total vs bare: %s; the run phase vs the bare request: %s.\n"
                   % (fmt_ratio(in_process["payload_vs_bare_wall"]), fmt_ratio(in_process["payload_vs_bare_cpu"]),
                      fmt_ratio(in_process["payload_vs_uri_wall"]), fmt_ratio(in_process["payload_vs_uri_cpu"]),
                      fmt_ratio(in_process["in_process_vs_bare"]), fmt_ratio(in_process["run_vs_bare_run"])))

    if rounds or waits:
        out.append("### 3. Waiting on N jobs\n")
    if rounds:
        out.append("#### 3a. One poll round over N jobs (median of %d runs of %d polls back to back, the first and the "
                   "last left out)\n" % (rounds[0]["runs"], ROUND_POLLS))
        out.append(table(["form", "N", "jobs", "wall ms", "CPU ms", "of which controller process ms", "API requests",
                          "most requests at once"],
                         [[row["form"], row["n"], row["state"], ms(row["wall"]), ms(row["cpu"]), ms(row["main_cpu"]),
                           "%g" % row["requests"], "%d" % row["max_concurrent"]] for row in rounds]))
        out.append("""
One poll of the task, the until condition included (bench_timer callback: time between two until retries, and
the CPU the controller's process tree used meanwhile: the controller, its forked worker and the module process;
"of which controller process" is the controller's main process alone, which receives and registers each result).
Rounds over finished jobs that do not end the wait happen when the jobs end at different moments: each
finished job then gets its own status call in every round. On the %d-job cluster the job list takes %d pages,
whatever the number of jobs asked about. The loop pattern makes N single-form polls per
round: N times the single form's row.
""" % (BIG_CLUSTER_JOBS, -(-BIG_CLUSTER_JOBS // 100)))
        by_case = dict(((row["form"], row["n"], row["state"]), row) for row in rounds)
        small, large = min(sizes), max(sizes)
        for state in STATES:
            low, high = by_case.get(("batch", small, state)), by_case.get(("batch", large, state))
            if low is None or high is None or low is high:
                continue
            wall, cpu = ratio(high["wall"], low["wall"]), ratio(high["cpu"], low["cpu"])
            goals.append(goal_line(wall <= GOAL_ROUND_RATIO and cpu <= GOAL_ROUND_RATIO,
                                   "batch form, a round over %s: N=%d costs at most %.1f× N=%d (wall %s, CPU %s)"
                                   % (STATE_PHRASES[state], large, GOAL_ROUND_RATIO, small, fmt_ratio(wall),
                                      fmt_ratio(cpu))))
        request_checks = [(row["n"], row["state"], row["requests"]) for row in rounds if row["form"] == "batch"]
        met = all(requests_ <= count + 1 and (state != "running" or requests_ == 1)
                  for count, state, requests_ in request_checks if state != big_state())
        goals.append(goal_line(met, "batch form: requests per round at most N + 1, and 1 while the jobs run (%s)"
                               % ", ".join("N=%d %s: %g" % check for check in request_checks if check[1] != big_state())))
        big_checks = [check for check in request_checks if check[1] == big_state()]
        if big_checks:
            goals.append(goal_line(all(requests_ <= count + 1 for count, _state, requests_ in big_checks),
                                   "batch form on a %d-job cluster: requests per round at most N + 1 (%s)"
                                   % (BIG_CLUSTER_JOBS, ", ".join("N=%d: %g" % (count, requests_)
                                                                  for count, _state, requests_ in big_checks))))
        single = by_case.get(("single", 1, "running"))
        high = by_case.get(("batch", large, "running"))
        if single and high:
            out.append("A round over %d running jobs: batch form %s ms wall, %s ms CPU; loop pattern (%d single polls) "
                       "about %s ms wall, %s ms CPU, %s the batch form's.\n"
                       % (large, ms(high["wall"]), ms(high["cpu"]), large, ms(single["wall"] * large),
                          ms(single["cpu"] * large), fmt_ratio(ratio(single["cpu"] * large, high["cpu"]))))

    if waits:
        out.append("#### 3b. Whole waits on N jobs that end at the same moment (median of %d runs; the loop pattern "
                   "on more than %d jobs: 1 run)\n" % (max(row["runs"] for row in waits.values()), LOOP_REPEATED_UP_TO))
        if base:
            out.append("For scale: `ansible-playbook` with no task takes %s ms wall, %s ms CPU.\n" % (ms(base["wall"]), ms(base["cpu"])))
        rows = []
        for form in forms:
            for count in sizes:
                row = waits.get((form, count))
                if row is None:
                    continue
                rows.append([form, count, sec(row["wall"]), sec(row["cpu"]), sec(row["wait_wall"]), sec(row["wait_cpu"]),
                             "%d" % row["requests"], "%d" % row["polls"], pair(row["first_poll_wall"], row["first_poll_cpu"]),
                             pair(row["running_wall"], row["running_cpu"]) + (" (N×)" if form == "loop" and count > 1 else ""),
                             pair(row["last_wall"], row["last_cpu"]) + " / %s" % ms(row["last_main_cpu"]),
                             "%d" % row["requests_per_round_max"]])
        out.append(table(["form", "N", "wall s", "CPU s", "wait wall s", "wait CPU s", "requests", "polls",
                          "first poll ms", "running round ms", "last round ms", "max requests/round"], rows))
        out.append("""
- wall s, CPU s: the whole `ansible-playbook` process (CPU from wait4: the controller, its forked workers and
  the module processes they run on localhost). wait wall s, wait CPU s: from the wait's first task to its
  last (bench_timer callback; CPU of the same process tree read from /proc).
- Rounds (wall / CPU ms, the until sleep left out; for the last round also the CPU of the controller's main
  process, which registers the final result). A round looks at every job once: one poll of the batch task
  or of the role's poll task, N polls of the loop. first poll: the task's first attempt, with the one-time costs
  (worker fork, loading the module); running round: a round while the jobs still run; last round: the round
  that finds them finished. The loop never makes a running round over all jobs (it waits for one job at a
  time): its "(N×)" figure is N polls of the first job while it runs. Its last round is measured: the first
  job's last poll and one poll of each other job.
""")
        for form in ("batch", "role"):
            small, large = waits.get((form, min(sizes))), waits.get((form, max(sizes)))
            if small is None or large is None or large is small:
                continue
            parts = []
            for label, key in (("running round", "running"), ("last round", "last")):
                wall = ratio(large[key + "_wall"], small[key + "_wall"])
                cpu = ratio(large[key + "_cpu"], small[key + "_cpu"])
                parts.append("%s wall %s, CPU %s" % (label, fmt_ratio(wall), fmt_ratio(cpu)))
            out.append("%s N=%d vs N=%d, per round in these waits: %s.\n" % (form, max(sizes), min(sizes), "; ".join(parts)))
            if form == "batch":
                # 3a measures the running rounds more closely; only a whole wait has the round that ends it.
                wall, cpu = ratio(large["last_wall"], small["last_wall"]), ratio(large["last_cpu"], small["last_cpu"])
                goals.append(goal_line(wall <= GOAL_ROUND_RATIO and cpu <= GOAL_ROUND_RATIO,
                                       "batch form, the last round of a wait (finds the jobs finished, returns): N=%d "
                                       "costs at most %.1f× N=%d (wall %s, CPU %s)"
                                       % (max(sizes), GOAL_ROUND_RATIO, min(sizes), fmt_ratio(wall), fmt_ratio(cpu))))
            small_round, large_round = per_round(small, delay), per_round(large, delay)
            wall, cpu = ratio(large_round[0], small_round[0]), ratio(large_round[1], small_round[1])
            out.append("%s N=%d vs N=%d, per poll round of the whole wait (its wall time less the until sleeps, and its "
                       "CPU, divided by its %d polls): %s / %s ms against %s / %s ms, wall %s, CPU %s.\n"
                       % (form, max(sizes), min(sizes), large["polls"], ms(large_round[0]), ms(large_round[1]),
                          ms(small_round[0]), ms(small_round[1]), fmt_ratio(wall), fmt_ratio(cpu)))
            goals.append(goal_line(wall <= GOAL_ROUND_RATIO and cpu <= GOAL_ROUND_RATIO,
                                   "%s: a whole wait on N=%d costs at most %.1f× N=%d per poll round (wall %s, CPU %s)"
                                   % (form, max(sizes), GOAL_ROUND_RATIO, min(sizes), fmt_ratio(wall), fmt_ratio(cpu))))
            worst = [(count, waits[(form, count)]["requests_per_round_max"]) for count in sizes if (form, count) in waits]
            ones = all(waits[(form, count)]["rounds_with_one_request"] >= 1 for count in sizes if (form, count) in waits)
            goals.append(goal_line(all(value <= count + 1 for count, value in worst) and ones,
                                   "%s: in whole waits, at most N + 1 requests per round (worst: %s), 1 while the jobs run%s"
                                   % (form, ", ".join("N=%d: %d" % pair_ for pair_ in worst),
                                      "" if ones else " (NOT SEEN in every run)")))
        loop, batch = waits.get(("loop", max(sizes))), waits.get(("batch", max(sizes)))
        if loop and batch:
            out.append("At N=%d, batch form / loop pattern: wall %s, CPU %s, requests %s; last round wall %s, CPU %s.\n"
                       % (max(sizes), fmt_ratio(ratio(batch["wall"], loop["wall"])),
                          fmt_ratio(ratio(batch["cpu"], loop["cpu"])), fmt_ratio(ratio(batch["requests"], loop["requests"])),
                          fmt_ratio(ratio(batch["last_wall"], loop["last_wall"])),
                          fmt_ratio(ratio(batch["last_cpu"], loop["last_cpu"]))))

    if results:
        out.append("#### 3c. The last round's result, handed back without any request (median of %d runs)\n"
                   % results[0]["runs"])
        out.append(table(["N", "each job", "result KB", "last round wall ms", "CPU ms", "of which controller process ms"],
                         [[row["n"], "every key" if row["kind"] == "full" else ", ".join(BRIEF_KEYS), "%.0f" % row["kb"],
                           ms(row["wall"]), ms(row["cpu"]), ms(row["main_cpu"])] for row in results]))
        out.append("""
A stand-in module returns the batch form's result for N finished jobs, recorded from cdm_job_status, and makes no
request; its task polls twice (delay 0), and the round measured is the second poll, from the until retry to the
task's end, as the last round in 3b. What grows with N here is only what Ansible does with the result: the
module's exit_json, the worker reading and registering it, the until condition, and the callbacks.
""")
        full = [row for row in results if row["kind"] == "full"]
        small, large = full[0], full[-1]
        if large is not small:  # with one size only there is nothing to compare
            extra_wall, extra_cpu = large["wall"] - small["wall"], large["cpu"] - small["cpu"]
            line = ("Handing back the result of N=%d jobs instead of %d: %+.0f ms wall, %+.0f ms CPU"
                    % (large["n"], small["n"], extra_wall * 1000, extra_cpu * 1000))
            batch_small, batch_large = (waits or {}).get(("batch", small["n"])), (waits or {}).get(("batch", large["n"]))
            if batch_small and batch_large and batch_small is not batch_large:
                line += ("; the whole last round of the batch form, N=%d against N=%d (3b): %+.0f ms wall, %+.0f ms CPU. "
                         "Without the result's extra, that round would be %s wall, %s CPU of N=%d's"
                         % (large["n"], small["n"], (batch_large["last_wall"] - batch_small["last_wall"]) * 1000,
                            (batch_large["last_cpu"] - batch_small["last_cpu"]) * 1000,
                            fmt_ratio(ratio(batch_large["last_wall"] - extra_wall, batch_small["last_wall"])),
                            fmt_ratio(ratio(batch_large["last_cpu"] - extra_cpu, batch_small["last_cpu"])), small["n"]))
            out.append(line + ".\n")
            brief = [row for row in results if row["kind"] == "brief"]
            if brief:
                out.append("The same %d jobs with only %s each, against N=%d's full result: %+.0f ms wall, %+.0f ms CPU. "
                           "The cost follows the number of values in the result, not the number of jobs.\n"
                           % (brief[0]["n"], ", ".join(BRIEF_KEYS), small["n"], (brief[0]["wall"] - small["wall"]) * 1000,
                              (brief[0]["cpu"] - small["cpu"]) * 1000))

    if latency:
        out.append("### 4. Detection latency (median)\n")
        out.append(table(["form", "N", "delay s", "latency s", "min-max s", "end -> first request s",
                          "that request -> return s", "expected s"],
                         [[row["form"], row["n"], "%g" % row["delay"], sec(row["latency"]),
                           "%s-%s" % (sec(row["min"]), sec(row["max"])), sec(row["first"]), sec(row["tail"]),
                           sec(row["expected"])] for row in latency]))
        out.append("\nThe job ends at a point of the poll cycle spread evenly over the runs, so the first request "
                   "after its end comes (delay + running round) / 2 later on average; expected = that + the measured "
                   "time from this request to the wait's return (the rest of the poll, and for the role its closing "
                   "tasks).\n")
    out.append("### Goals\n")
    out.append("\n".join(goals) + "\n")
    return "\n".join(out), goals


# -- main ------------------------------------------------------------------------------------------

def parse_args(argv):
    parser = argparse.ArgumentParser(description="Benchmark of the huaweicloud.cdm status checks and waits (against the simulator).")
    parser.add_argument("--python", default=sys.executable,
                        help="a venv python with ansible-core, requests and jmespath; ansible-playbook is taken "
                             "from its bin folder (default: this python)")
    parser.add_argument("--quick", action="store_true", help="a smaller run: N in 1 and 10, fewer repeats")
    parser.add_argument("--scenarios", default="1,2,3,4", help="which scenarios to run: 1, 2, 3 (or 3a, 3b, 3c), 4 (default 1,2,3,4)")
    parser.add_argument("--sizes", help="numbers of jobs for scenario 3 (default 1,10,50,100)")
    parser.add_argument("--repeats", type=int, help="runs per measurement of scenario 2 (default 5)")
    parser.add_argument("--adhoc-repeats", type=int,
                        help="runs of each command in scenario 1 (default 10: the two differ by less than the noise)")
    parser.add_argument("--wait-repeats", type=int, help="runs per case of scenarios 3 and 4 (default 5)")
    parser.add_argument("--delay", type=float, default=1.0, help="until delay of scenario 3, seconds (default 1)")
    parser.add_argument("--latency-delay", type=float, default=2.0, help="until delay of scenario 4, seconds (default 2)")
    parser.add_argument("--running-polls", type=int, default=3,
                        help="scenario 3b: polls that find the jobs running before they end (default 3)")
    parser.add_argument("--forms", default="loop,batch,role",
                        help="wait forms of scenario 3 (default loop,batch,role; role only when roles/job_wait has it)")
    parser.add_argument("--ansible-env", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for every ansible run, such as ANSIBLE_PIPELINING=True "
                             "(repeatable; shown in the report)")
    parser.add_argument("--markdown", help="also write the report (markdown) to this file")
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (playbooks, outputs, simulator log)")
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in (args.sizes or ("1,10" if args.quick else "1,10,50,100")).split(",")]
    if any(size < 1 or size > JOBS_IN_CLUSTER for size in args.sizes):
        parser.error("sizes must be from 1 to %d" % JOBS_IN_CLUSTER)
    args.repeats = args.repeats or (3 if args.quick else 5)
    args.adhoc_repeats = args.adhoc_repeats or (4 if args.quick else 10)
    args.wait_repeats = args.wait_repeats or (2 if args.quick else 5)
    args.scenarios = set(args.scenarios.split(","))
    args.forms = [form for form in args.forms.split(",") if form]
    for item in args.ansible_env:
        if "=" not in item:
            parser.error("--ansible-env takes NAME=VALUE, not %r" % item)
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    forms = [form for form in args.forms if form != "role" or role_available()]
    if "role" in args.forms and "role" not in forms:
        print("note: roles/job_wait does not take job_wait_job_names yet; its rows are left out")

    def on_sigterm(signum, frame):
        raise Interrupted()

    signal.signal(signal.SIGTERM, on_sigterm)
    workdir = tempfile.mkdtemp(prefix="cdm-bench-")
    simulator = None
    started = time.perf_counter()
    try:
        simulator = Sim(workdir)
        ansible = Ansible(args.python, workdir, simulator)
        ansible.env.update(item.split("=", 1) for item in args.ansible_env)
        info = machine(ansible)
        print("huaweicloud.cdm benchmark: %s CPUs (%s), Python %s, ansible-core %s; simulator at %s"
              % (info["cpus"], info["cpu_model"], info["python"], info["ansible_core"], simulator.url), flush=True)
        adhoc = in_process = waits = latency = None
        if "1" in args.scenarios:
            adhoc = scenario_adhoc(ansible, simulator, args.adhoc_repeats)
        if "2" in args.scenarios:
            in_process = scenario_in_process(ansible, simulator, args.repeats)
        base = None
        if args.scenarios & {"3", "3b"}:
            base = baseline(ansible, args.wait_repeats)
        rounds = None
        if args.scenarios & {"3", "3a"}:
            rounds = scenario_rounds(ansible, simulator, args.sizes, args.wait_repeats)
        if args.scenarios & {"3", "3b"}:
            waits = scenario_waits(ansible, simulator, forms, args.sizes, args.wait_repeats, args.delay,
                                   args.running_polls)
        results = None
        if args.scenarios & {"3", "3c"}:
            results = scenario_result(ansible, sorted(set((min(args.sizes), max(args.sizes)))), args.wait_repeats)
        if "4" in args.scenarios:
            cases = [("single", 1), ("batch", 1), ("batch", max(args.sizes))]
            if "role" in forms:
                cases.append(("role", max(args.sizes)))
            estimate = [row["wall"] for row in rounds or [] if (row["form"], row["n"], row["state"]) == ("batch", 1, "running")]
            latency = scenario_latency(ansible, simulator, cases, args.wait_repeats, args.latency_delay,
                                       estimate[0] if estimate else 0.4)
        settings = ("%d jobs on the cluster; in 3b and 4 they all start before each wait and end together after "
                    "its poll %d (3b) or 2 (4); until delay %g s (4: %g s); %d runs for scenario 1, %d for 2, %d for "
                    "3-4; %.0f s in all"
                    % (JOBS_IN_CLUSTER, args.running_polls, args.delay, args.latency_delay, args.adhoc_repeats,
                       args.repeats, args.wait_repeats, time.perf_counter() - started))
        if args.ansible_env:
            settings += "; ansible run with %s" % ", ".join(args.ansible_env)
        else:
            settings += "; Ansible's defaults (an empty ansible.cfg: no pipelining)"
        text, _goals = report(info, settings, adhoc, in_process, base, rounds, waits, latency, forms, args.sizes,
                              delay=args.delay, results=results)
        print("\n" + text)
        if args.markdown:
            with open(args.markdown, "w") as handle:
                handle.write("\n".join("- " + line if line.startswith("GOAL ") else line for line in text.splitlines()) + "\n")
        if args.json:
            raw = {"machine": info, "settings": settings, "adhoc": adhoc, "in_process": in_process, "baseline": base,
                   "rounds": rounds, "results": results,
                   "waits": list((waits or {}).values()), "latency": latency}
            with open(args.json, "w") as handle:
                json.dump(raw, handle, indent=2, default=str)
        return 0
    except BenchError as error:
        sys.stderr.write("bench: %s\n" % error)
        return 1
    except (KeyboardInterrupt, Interrupted):
        sys.stderr.write("bench: interrupted\n")
        return 130
    finally:
        if simulator is not None:
            simulator.stop()
        if args.keep:
            sys.stderr.write("bench: work folder kept: %s\n" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
