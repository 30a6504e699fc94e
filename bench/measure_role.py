# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Scenario 5: the job_wait role against the bare module in an until loop, on the same jobs.

Two waits on 1 and on N jobs:

- **finished**: the jobs ended before the wait starts, so it makes one poll and
  the whole wait is mostly what the role does once (checks, closing tasks);
- **polls**: the jobs run, and end together after the wait's poll ``polls - 1``,
  so the wait makes ``polls`` polls; its cost per poll round is the whole wait's
  wall time less the until sleeps, and its CPU, divided by its polls.

One job is waited on with the single form (job_name) against the role's
job_wait_job_name; several with the batch form (job_names) against
job_wait_job_names. The role is used only through its public variables, so
the figures hold whatever its tasks are. Bare and role run in pairs, each pair
in the other order, and each ratio is the median of the pairs' ratios: on a
busy machine the two waits of a pair see about the same load.
"""

from __future__ import annotations

import time

from harness import FINISHED_CLUSTER, BenchError, job_names, median, ratio
from measure_waits import analyse_wait, per_round, run_wait

WAITS = ("finished", "polls")
FIGURES = ("wall", "cpu", "wait_wall", "wait_cpu", "round_wall", "round_cpu", "running_wall", "running_cpu",
           "first_poll_wall", "first_poll_cpu", "last_wall", "last_cpu", "requests", "polls")
RATIOS = ("wait_wall", "wait_cpu", "round_wall", "round_cpu", "running_wall", "running_cpu")


def playbooks(count):
    """(bare, role) playbooks for a wait on ``count`` jobs."""
    return ("single", "role_single") if count == 1 else ("batch", "role")


def finished_wait(ansible, simulator, playbook, count, delay):
    """A wait on jobs that ended a minute before it starts: one poll."""
    simulator.reset_stats()
    offset = simulator.log_offset()
    timed = ansible.playbook(playbook, {"bench_cluster": FINISHED_CLUSTER, "bench_jobs": job_names(count),
                                        "bench_delay": delay, "bench_retries": 3})
    stats = simulator.stats()
    # The bare module's one poll: the job's status, or the job list and then each finished job's status. The
    # role's requests are only reported: they are its own business.
    expected = 1 if count == 1 else count + 1
    if playbook in ("single", "batch") and stats["requests"] != expected:
        raise BenchError("the %s wait on %d finished jobs made %d requests, not %d:\n%s"
                         % (playbook, count, stats["requests"], expected, timed.output[-2000:]))
    result = analyse_wait(playbook, count, timed, stats["requests"], simulator.api_log(offset), delay)
    result["tasks"] = task_costs(timed.timer["tasks"])
    return result


def task_costs(tasks):
    """[(task name, wall s, CPU s)]: each task from its start to the next task's start (the last one to its end),
    so what Ansible does between two tasks counts with the task it prepares."""
    tasks = [task for task in tasks if task.get("end")]
    costs = []
    for index, task in enumerate(tasks):
        until = tasks[index + 1]["start"] if index + 1 < len(tasks) else task["end"]
        costs.append((task["name"], until[0] - task["start"][0], until[1] - task["start"][1]))
    return costs


def one_wait(ansible, simulator, playbook, count, wait, delay, polls):
    if wait == "finished":
        result = finished_wait(ansible, simulator, playbook, count, delay)
        result["polls"] = 1
    else:
        result = run_wait(ansible, simulator, playbook, count, delay, polls - 1)
        if result["polls"] != polls:
            raise BenchError("the %s wait on %d jobs made %s polls, not %d" % (playbook, count, result["polls"], polls))
    result["round_wall"], result["round_cpu"] = per_round(result, delay)
    return result


def scenario_role(ansible, simulator, sizes, repeats, delay, polls):
    print("\n[5] the job_wait role against the bare module on %s jobs: finished at the start, and a wait of %d polls; "
          "delay %g s; %d pairs each" % (" and ".join(str(size) for size in sizes), polls, delay, repeats), flush=True)
    samples, pair_ratios = {}, {}
    for repeat in range(repeats):
        for count in sizes:
            for wait in WAITS:
                forms = list(zip(("bare", "role"), playbooks(count)))
                results = {}
                for form, playbook in (forms if repeat % 2 == 0 else forms[::-1]):
                    began = time.perf_counter()
                    results[form] = one_wait(ansible, simulator, playbook, count, wait, delay, polls)
                    samples.setdefault((count, wait, form), []).append(results[form])
                    print("    run %d  %-4s N=%-3d  %-8s  %5.1f s  %4d requests  %3d polls"
                          % (repeat + 1, form, count, wait, time.perf_counter() - began, results[form]["requests"],
                             results[form]["polls"]), flush=True)
                pair_ratios.setdefault((count, wait), []).append(
                    dict((key, ratio(results["role"][key], results["bare"][key])) for key in RATIOS))
    rows = []
    for (count, wait, form), runs in samples.items():
        row = dict((key, median([run.get(key) for run in runs])) for key in FIGURES)
        row.update({"n": count, "wait": wait, "form": form, "playbook": runs[0]["form"], "runs": len(runs)})
        rows.append(row)
    tasks = [{"n": count, "form": form,
              "tasks": [(name, median([run["tasks"][index][1] for run in runs]),
                         median([run["tasks"][index][2] for run in runs]))
                        for index, (name, _wall, _cpu) in enumerate(runs[0]["tasks"])]}
             for (count, wait, form), runs in samples.items()
             if wait == "finished" and all(len(run["tasks"]) == len(runs[0]["tasks"]) for run in runs)]
    ratios = [dict([("n", count), ("wait", wait), ("pairs", len(pairs))]
                   + [(key, median([pair_[key] for pair_ in pairs])) for key in RATIOS])
              for (count, wait), pairs in pair_ratios.items()]
    return {"rows": rows, "ratios": ratios, "tasks": tasks, "polls": polls, "delay": delay, "sizes": list(sizes),
            "runs": repeats}
