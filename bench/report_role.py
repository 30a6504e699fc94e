# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Report section 5: the job_wait role against the bare module in an until loop."""

from __future__ import annotations

from report import fmt_ratio, goal_line, pair, sec, table

# From the issue: role ÷ bare, on jobs already finished (the whole wait) and per poll round of a wait of several polls.
GOAL_FINISHED_RATIO = 1.5
GOAL_ROUND_RATIO = 1.15

WAIT_PHRASES = {"finished": "already finished", "polls": "%d polls"}


def section(role):
    """(markdown parts, goal lines) of scenario 5; ``role`` may be None (not run)."""
    out, goals = [], []
    if not role:
        return out, goals
    polls = role["polls"]
    out.append("### 5. The job_wait role against the bare module (median of %d runs, in pairs)\n" % role["runs"])
    rows = []
    for wait in ("finished", "polls"):
        for count in role["sizes"]:
            for form in ("bare", "role"):
                row = next((row for row in role["rows"] if (row["n"], row["wait"], row["form"]) == (count, wait, form)),
                           None)
                if row is None:
                    continue
                rows.append([form, row["playbook"] + ".yml", count, WAIT_PHRASES[wait].replace("%d", str(polls)),
                             "%d" % row["polls"], "%d" % row["requests"], sec(row["wall"]), sec(row["cpu"]),
                             sec(row["wait_wall"]), sec(row["wait_cpu"]), pair(row["round_wall"], row["round_cpu"]),
                             pair(row["running_wall"], row["running_cpu"]) if wait == "polls" else "-"])
    out.append(table(["form", "playbook", "N", "jobs", "polls", "requests", "wall s", "CPU s", "wait wall s",
                      "wait CPU s", "per poll round ms", "running round ms"], rows))
    out.append("""
- bare: cdm_job_status in one until loop (job_name for one job, job_names for several); role: include_role
  huaweicloud.cdm.job_wait with job_wait_job_name or job_wait_job_names, on the same jobs, with the same delay
  (%g s). Each pair of runs (bare and role) is made in turn, each pair in the other order.
- already finished: the jobs ended before the wait, which makes one poll. %d polls: the jobs run, and end
  together after the wait's poll %d.
- wall s, CPU s: the whole `ansible-playbook` process. wait wall s, wait CPU s: from the wait's first task to
  its last (bench_timer callback), the role's own tasks included. per poll round: the wait's wall time less its
  until sleeps, and its CPU, divided by its polls. running round: one poll while the jobs run, the until
  sleep left out (wall / CPU ms).
""" % (role["delay"], polls, polls - 1))
    for ratios in sorted(role["ratios"], key=lambda item: (item["wait"] != "finished", item["n"])):
        count = ratios["n"]
        if ratios["wait"] == "finished":
            wall, cpu = ratios["wait_wall"], ratios["wait_cpu"]
            out.append("N=%d, jobs already finished, role ÷ bare (median of %d pairs): whole wait wall %s, CPU %s.\n"
                       % (count, ratios["pairs"], fmt_ratio(wall), fmt_ratio(cpu)))
            goals.append(goal_line(_within(GOAL_FINISHED_RATIO, wall, cpu),
                                   "job_wait role, N=%d, jobs already finished: the whole wait costs at most %g× the "
                                   "bare module's until loop (wall %s, CPU %s)"
                                   % (count, GOAL_FINISHED_RATIO, fmt_ratio(wall), fmt_ratio(cpu))))
        else:
            wall, cpu = ratios["round_wall"], ratios["round_cpu"]
            out.append("N=%d, a wait of %d polls, role ÷ bare (median of %d pairs): per poll round wall %s, CPU %s; "
                       "whole wait wall %s, CPU %s; a running round alone wall %s, CPU %s.\n"
                       % (count, polls, ratios["pairs"], fmt_ratio(wall), fmt_ratio(cpu),
                          fmt_ratio(ratios["wait_wall"]), fmt_ratio(ratios["wait_cpu"]),
                          fmt_ratio(ratios["running_wall"]), fmt_ratio(ratios["running_cpu"])))
            goals.append(goal_line(_within(GOAL_ROUND_RATIO, wall, cpu),
                                   "job_wait role, N=%d, a wait of %d polls: a poll round costs at most %g× the bare "
                                   "module's until loop (wall %s, CPU %s)"
                                   % (count, polls, GOAL_ROUND_RATIO, fmt_ratio(wall), fmt_ratio(cpu))))
    out.extend(_task_table(role))
    return out, goals


def _task_table(role):
    """The waits on jobs already finished, task by task: what each of the role's tasks costs next to the bare poll."""
    tasks = dict(((entry["n"], entry["form"]), entry["tasks"]) for entry in role.get("tasks") or [])
    sizes = [count for count in role["sizes"] if (count, "role") in tasks]
    if not sizes:
        return []
    names = [name for name, _wall, _cpu in tasks[(sizes[0], "role")]]
    rows = []
    for index, name in enumerate(names):
        row = [name.replace("huaweicloud.cdm.job_wait : ", "")[:70]]
        for count in sizes:
            entries = tasks[(count, "role")]
            row.append(pair(entries[index][1], entries[index][2]) if index < len(entries) else "-")
        rows.append(row)
    for form in ("role", "bare"):
        rows.append(["%s: the whole wait" % form] + [
            pair(sum(entry[1] for entry in tasks[(count, form)]), sum(entry[2] for entry in tasks[(count, form)]))
            if (count, form) in tasks else "-" for count in sizes])
    return ["#### The waits on jobs already finished, task by task (median, wall / CPU ms)\n",
            table(["task"] + ["N=%d" % count for count in sizes], rows),
            "\nEach task from its start to the next task's start (bench_timer), so what Ansible does between two tasks "
            "counts with the task it prepares; the bare wait is its one poll task.\n"]


def _within(goal, wall, cpu):
    return wall is not None and cpu is not None and wall <= goal and cpu <= goal
