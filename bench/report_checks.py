# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Report sections 1 and 2: one status check, ad hoc and inside the module's process."""

from __future__ import annotations

from report import fmt_ratio, goal_line, ms, table


def section(adhoc, in_process):
    """(markdown parts, goal lines) of scenarios 1 and 2; either may be None (not run)."""
    out, goals = [], []
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
    return out, goals
