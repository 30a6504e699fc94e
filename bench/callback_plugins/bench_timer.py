# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark helper, not part of the collection: when each task, retry and loop item ended.

bench/run.py enables it (ANSIBLE_CALLBACKS_ENABLED=bench_timer) and reads the
JSON it writes to $BENCH_TIMER_FILE. Each event is a triple: time.time() on the
controller (the clock the simulator's request log uses too, so the two can be
compared), the CPU seconds the controller's process tree has used so far:
itself, the children it reaped, and its live descendants (forked workers and
the module processes they start, with what they reaped) read from /proc. An
until retry is reported after its module process ended and was reaped, so the
difference between two events is the CPU of the poll between them. The third
member is the CPU of the controller's main process alone.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

DOCUMENTATION = r"""
name: bench_timer
type: aggregate
short_description: Task start and end times for bench/run.py
description:
  - Writes the start and end time, retry times and attempts of every task to E(BENCH_TIMER_FILE).
"""


def tree_cpu():
    """CPU seconds used so far by this process, its reaped children and its live descendants (Linux)."""
    times = os.times()
    total = times.user + times.system + times.children_user + times.children_system
    children, ticks = {}, {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return total
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry, "rb") as handle:
                data = handle.read()
        except OSError:
            continue
        # After "pid (comm) ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
        # utime stime cutime cstime; comm may hold spaces and parentheses, hence the last ")".
        fields = data[data.rindex(b")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry))
        ticks[int(entry)] = sum(int(value) for value in fields[11:15])
    pending = list(children.get(os.getpid(), []))
    while pending:
        pid = pending.pop()
        total += ticks.get(pid, 0) / float(_TICKS)
        pending.extend(children.get(pid, []))
    return total


def _now():
    """[wall clock, CPU of the process tree, CPU of this process alone (the controller's main process)]."""
    times = os.times()
    return [time.time(), tree_cpu(), times.user + times.system]


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timer"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.tasks = []

    def _current(self):
        return self.tasks[-1] if self.tasks else None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.tasks.append({"name": task.get_name(), "start": _now(), "end": None,
                           "retries": [], "items": [], "attempts": None, "status": None})

    v2_playbook_on_handler_task_start = v2_playbook_on_task_start

    def v2_runner_retry(self, result):
        if self._current() is not None:
            self._current()["retries"].append(_now())

    def _item(self, result, status):
        task = self._current()
        if task is not None:
            # Reading /proc costs a few milliseconds: CPU for the first item only, which is all bench/run.py reads.
            end = _now() if not task["items"] else [time.time(), None]
            task["items"].append({"end": end, "status": status, "attempts": result._result.get("attempts")})

    def v2_runner_item_on_ok(self, result):
        self._item(result, "ok")

    def v2_runner_item_on_failed(self, result):
        self._item(result, "failed")

    def _end(self, result, status):
        task = self._current()
        if task is None:
            return
        task["end"] = _now()
        task["status"] = status
        attempts = result._result.get("attempts")
        if attempts is None and isinstance(result._result.get("results"), list):
            attempts = sum(item.get("attempts") or 1 for item in result._result["results"] if isinstance(item, dict))
        task["attempts"] = attempts

    def v2_runner_on_ok(self, result):
        self._end(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._end(result, "failed")

    def v2_runner_on_skipped(self, result):
        self._end(result, "skipped")

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_TIMER_FILE")
        if path:
            with open(path, "w") as handle:
                json.dump({"tasks": self.tasks, "stats_at": time.time()}, handle)
