# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the benchmark measures with: the simulator in this process, and timed ansible runs.

The simulator runs in this process so that its clock can jump: every job of
the wait's cluster then ends at the same simulated moment, right after the
wait's chosen poll, however slow a busy machine makes each poll. Its CPU is
not counted in the figures, which are those of the ansible processes.
"""

from __future__ import annotations

import datetime
import glob
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SIMULATOR = os.path.join(ROOT, "tests", "simulator", "cdm_simulator.py")
PLAYBOOKS = os.path.join(HERE, "playbooks")
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
PROJECT = "0b5f3b6a1e8f4c0d9a2b7c6d5e4f3a21"
TOKEN = "sim-token"
JOBS_IN_CLUSTER = 100      # one page of the job list (the API's largest page)
SPEED = 60.0               # simulated seconds per real second
PROBE_JOB = "bench_001"    # the job of the single checks (1 and 2, on FINISHED_CLUSTER) and of the latency (4)


class BenchError(Exception):
    """Something that stops the benchmark from measuring (not a missed goal)."""


class Interrupted(Exception):
    """SIGTERM, turned into an exception so that the cleanup runs."""


def job_names(count):
    return ["bench_%03d" % number for number in range(1, count + 1)]


def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


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

    def polls_seen(self, batch):
        """How many polls the running wait has made: its job list requests (batch), or the first job's status requests."""
        with self.state.lock:
            if batch:
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
    """ansible and ansible-playbook of one venv, against the simulator, with an empty config and bench_timer on.

    The playbooks are bench/playbooks/*.yml; their library/ folder holds the
    stand-in module of 3c. Outputs and variables go to the work folder.
    """

    def __init__(self, python, workdir, simulator):
        self.python = os.path.abspath(python)  # the commands run in the work folder
        self.bin = os.path.dirname(self.python)
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
        """Run bench/playbooks/NAME.yml; the result has the bench_timer events in ``timer``."""
        output, timer_path = self._paths(name)
        vars_path = output[:-4] + ".vars.json"
        with open(vars_path, "w") as handle:
            json.dump(variables or {}, handle)
        env = dict(self.env, BENCH_TIMER_FILE=timer_path)
        timed = run_timed([os.path.join(self.bin, "ansible-playbook"), os.path.join(PLAYBOOKS, name + ".yml"),
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
