# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Scenarios 3 and 4: waiting on N jobs.

3a. the cost of one poll round; 3b. whole waits on jobs that end at the same
moment, in the loop pattern, the batch form and the job_wait role; 3c. what
handing the last round's result back costs, without any request; 4. detection
latency, from the jobs' end to the wait's return.

A wait's rounds come from the bench_timer callback (task start, until retries,
task end) and its requests from the simulator's log.
"""

from __future__ import annotations

import json
import os
import time

from harness import (BIG_CLUSTER, BIG_CLUSTER_JOBS, CLUSTER, FINISHED_CLUSTER, BenchError, job_names, median)

SETTLE = 0.1               # seconds given to the answer of the poll after which the jobs end
ROUND_POLLS = 6            # polls per run in 3a, back to back (delay 0); the first and the last are left out
# A loop-pattern wait on more jobs than this runs once: it already makes N + 3 polls,
# and on 100 jobs it takes a minute.
LOOP_REPEATED_UP_TO = 10
BRIEF_KEYS = ("job_name", "status", "finished", "succeeded")  # 3c: each job's values in the brief result


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


def per_round(row, delay):
    """A wait's cost per poll round: (wall less the until sleeps, CPU) divided by its polls."""
    polls = row["polls"] or 1
    return (row["wait_wall"] - delay * (polls - 1)) / polls, row["wait_cpu"] / polls


def run_wait(ansible, simulator, form, count, delay, running_polls, phase=0.0):
    """One wait on N jobs of CLUSTER that all end together, ``phase`` seconds after the wait's poll number ``running_polls``."""
    simulator.restart_jobs()
    offset = simulator.log_offset()
    watch = {"seen": None, "ended": None}

    def end_jobs_on_time():
        if watch["ended"] is not None:
            return
        if watch["seen"] is None:
            if simulator.polls_seen(batch=form in ("batch", "role")) >= running_polls:
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
