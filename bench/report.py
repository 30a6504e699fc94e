# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The report: its header (machine, settings), the sections in order, and the goal lines at the end.

Each report_*.py module turns one group of measurements into a section: a
list of markdown parts and a list of goal lines, built with the helpers here.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess

from harness import ROOT


def ms(seconds):
    return "-" if seconds is None else "%.0f" % (seconds * 1000.0)


def sec(seconds):
    return "-" if seconds is None else "%.2f" % seconds


def fmt_ratio(value):
    return "-" if value is None else "%.2f×" % value


def pair(wall, cpu):
    return "%s / %s" % (ms(wall), ms(cpu))


def goal_line(met, text):
    return "%s: %s" % ("GOAL MET" if met else "GOAL MISSED", text)


def table(headers, rows):
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]
    lines = ["| " + " | ".join(str(cell).ljust(width) for cell, width in zip(headers, widths)) + " |",
             "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) + " |")
    return "\n".join(lines)


def machine(ansible):
    """Where the figures come from: date, CPUs, OS, versions, the collection's commit, the load average."""
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


def document(info, settings, sections):
    """The whole report (markdown) and its goal lines, from the (parts, goals) of each section in order."""
    out = []
    out.append("### Machine\n")
    out.append("%s; %s CPUs (%s); %s; Python %s, ansible-core %s, requests %s, jmespath %s; collection at %s; "
               "load average %s at the start, %s at the end.\n"
               % (info["date"], info["cpus"], info["cpu_model"], info["os"], info["python"], info["ansible_core"],
                  info["requests"], info["jmespath"], info["commit"], info["load"], "%.2f %.2f %.2f" % os.getloadavg()))
    out.append("Settings: %s.\n" % settings)
    goals = []
    for parts, section_goals in sections:
        out.extend(parts)
        goals.extend(section_goals)
    out.append("### Goals\n")
    out.append("\n".join(goals) + "\n")
    return "\n".join(out), goals
