# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Report sections 3 and 4: waiting on N jobs (3a rounds, 3b whole waits, 3c the result's cost) and latency."""

from __future__ import annotations

from harness import BIG_CLUSTER_JOBS, ratio
from measure_waits import BRIEF_KEYS, LOOP_REPEATED_UP_TO, ROUND_POLLS, STATE_PHRASES, STATES, big_state, per_round
from report import fmt_ratio, goal_line, ms, pair, sec, table

GOAL_ROUND_RATIO = 1.5  # the batch form's goal: a round over N jobs costs at most this times a round over one
GOAL_LAST_ROUND_RATIO = 1.2  # issue 15 (lean results): the last round on N jobs against the last round on one


def section(base, rounds, waits, results, latency, forms, sizes, delay):
    """(markdown parts, goal lines) of scenarios 3 and 4; each measurement may be None (not run)."""
    out, goals = [], []
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
                goals.append(goal_line(wall <= GOAL_LAST_ROUND_RATIO and cpu <= GOAL_LAST_ROUND_RATIO,
                                       "batch form, the last round of a wait (finds the jobs finished, returns): N=%d "
                                       "costs at most %.1f× N=%d (wall %s, CPU %s)"
                                       % (max(sizes), GOAL_LAST_ROUND_RATIO, min(sizes), fmt_ratio(wall),
                                          fmt_ratio(cpu))))
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
    return out, goals
