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
   until-loop per job), the batch form (job_names) and the job_wait role,
   (c) what handing the last round's result back costs;
4. detection latency: from a job's end to the wait's return;
5. the job_wait role against the bare module in an until loop, on 1 and 100
   jobs: jobs already finished, and a wait of several polls.

This file holds the options and the order of the scenarios. The rest:
harness.py (the simulator in this process, timed ansible runs), playbooks/
(what ansible-playbook runs), measure_checks.py (1, 2), measure_waits.py (3,
4), measure_role.py (5), report.py (header, goals, formatting) and the
sections report_checks.py (1, 2), report_waits.py (3, 4), report_role.py (5).

Run it with a Python that has ansible-core, requests and jmespath (make bench
builds one: the bench session of noxfile.py); ansible and ansible-playbook are
taken from the same bin folder. Exit status: 0 when every measurement ran (a
missed goal is printed as GOAL MISSED, not an error), 1 on an operational
error, 130 on Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import sys
import tempfile
import time

import measure_checks
import measure_role
import measure_waits
import report
import report_checks
import report_role
import report_waits
from harness import JOBS_IN_CLUSTER, Ansible, BenchError, Interrupted, Sim, role_available


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Benchmark of the huaweicloud.cdm status checks and waits (against the simulator).")
    parser.add_argument("--python", default=sys.executable,
                        help="a venv python with ansible-core, requests and jmespath; ansible-playbook is taken "
                             "from its bin folder (default: this python)")
    parser.add_argument("--quick", action="store_true", help="a smaller run: N in 1 and 10 in scenario 3, fewer repeats")
    parser.add_argument("--scenarios", default="1,2,3,4,5",
                        help="which scenarios to run: 1, 2, 3 (or 3a, 3b, 3c), 4, 5 (default 1,2,3,4,5)")
    parser.add_argument("--sizes", help="numbers of jobs for scenario 3 (default 1,10,50,100)")
    parser.add_argument("--repeats", type=int, help="runs per measurement of scenario 2 (default 5)")
    parser.add_argument("--adhoc-repeats", type=int,
                        help="runs of each command in scenario 1 (default 10: the two differ by less than the noise)")
    parser.add_argument("--wait-repeats", type=int, help="runs per case of scenarios 3, 4 and 5 (default 5)")
    parser.add_argument("--delay", type=float, default=1.0, help="until delay of scenarios 3 and 5, seconds (default 1)")
    parser.add_argument("--latency-delay", type=float, default=2.0, help="until delay of scenario 4, seconds (default 2)")
    parser.add_argument("--running-polls", type=int, default=3,
                        help="scenario 3b: polls that find the jobs running before they end (default 3)")
    parser.add_argument("--role-sizes", default="1,100", help="numbers of jobs for scenario 5 (default 1,100)")
    parser.add_argument("--role-polls", type=int, default=6,
                        help="scenario 5: polls of the wait of several polls (default 6)")
    parser.add_argument("--forms", default="loop,batch,role",
                        help="wait forms of scenario 3 (default loop,batch,role; role only when roles/job_wait has it)")
    parser.add_argument("--ansible-env", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment variable for every ansible run, such as ANSIBLE_PIPELINING=True "
                             "(repeatable; shown in the report)")
    parser.add_argument("--markdown", help="also write the report (markdown) to this file")
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (outputs, variables, simulator log)")
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in (args.sizes or ("1,10" if args.quick else "1,10,50,100")).split(",")]
    args.role_sizes = [int(size) for size in args.role_sizes.split(",")]
    if any(size < 1 or size > JOBS_IN_CLUSTER for size in args.sizes + args.role_sizes):
        parser.error("sizes must be from 1 to %d" % JOBS_IN_CLUSTER)
    if args.role_polls < 2:
        parser.error("--role-polls must be 2 or more")
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
    if ("role" in args.forms or "5" in args.scenarios) and not role_available():
        print("note: roles/job_wait does not take job_wait_job_names yet; its rows and scenario 5 are left out")

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
        info = report.machine(ansible)
        print("huaweicloud.cdm benchmark: %s CPUs (%s), Python %s, ansible-core %s; simulator at %s"
              % (info["cpus"], info["cpu_model"], info["python"], info["ansible_core"], simulator.url), flush=True)
        adhoc = in_process = waits = latency = role = None
        if "1" in args.scenarios:
            adhoc = measure_checks.scenario_adhoc(ansible, simulator, args.adhoc_repeats)
        if "2" in args.scenarios:
            in_process = measure_checks.scenario_in_process(ansible, simulator, args.repeats)
        base = None
        if args.scenarios & {"3", "3b"}:
            base = measure_waits.baseline(ansible, args.wait_repeats)
        rounds = None
        if args.scenarios & {"3", "3a"}:
            rounds = measure_waits.scenario_rounds(ansible, simulator, args.sizes, args.wait_repeats)
        if args.scenarios & {"3", "3b"}:
            waits = measure_waits.scenario_waits(ansible, simulator, forms, args.sizes, args.wait_repeats, args.delay,
                                                 args.running_polls)
        results = None
        if args.scenarios & {"3", "3c"}:
            results = measure_waits.scenario_result(ansible, sorted(set((min(args.sizes), max(args.sizes)))),
                                                    args.wait_repeats)
        if "4" in args.scenarios:
            cases = [("single", 1), ("batch", 1), ("batch", max(args.sizes))]
            if "role" in forms:
                cases.append(("role", max(args.sizes)))
            estimate = [row["wall"] for row in rounds or [] if (row["form"], row["n"], row["state"]) == ("batch", 1, "running")]
            latency = measure_waits.scenario_latency(ansible, simulator, cases, args.wait_repeats, args.latency_delay,
                                                     estimate[0] if estimate else 0.4)
        if "5" in args.scenarios and role_available():
            role = measure_role.scenario_role(ansible, simulator, args.role_sizes, args.wait_repeats, args.delay,
                                              args.role_polls)
        settings = ("%d jobs on the cluster; in 3b and 4 they all start before each wait and end together after "
                    "its poll %d (3b) or 2 (4); until delay %g s (4: %g s); %d runs for scenario 1, %d for 2, %d for "
                    "3-4; %.0f s in all"
                    % (JOBS_IN_CLUSTER, args.running_polls, args.delay, args.latency_delay, args.adhoc_repeats,
                       args.repeats, args.wait_repeats, time.perf_counter() - started))
        if role:
            settings += ("; 5: N in %s, its wait of several polls ending after poll %d, %d runs each"
                         % (", ".join(str(size) for size in args.role_sizes), args.role_polls - 1, args.wait_repeats))
        if args.ansible_env:
            settings += "; ansible run with %s" % ", ".join(args.ansible_env)
        else:
            settings += "; Ansible's defaults (an empty ansible.cfg: no pipelining)"
        sections = [report_checks.section(adhoc, in_process),
                    report_waits.section(base, rounds, waits, results, latency, forms, args.sizes, args.delay),
                    report_role.section(role)]
        text, _goals = report.document(info, settings, sections)
        print("\n" + text)
        if args.markdown:
            with open(args.markdown, "w") as handle:
                handle.write("\n".join("- " + line if line.startswith("GOAL ") else line for line in text.splitlines()) + "\n")
        if args.json:
            raw = {"machine": info, "settings": settings, "adhoc": adhoc, "in_process": in_process, "baseline": base,
                   "rounds": rounds, "results": results,
                   "waits": list((waits or {}).values()), "latency": latency, "role": role}
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
