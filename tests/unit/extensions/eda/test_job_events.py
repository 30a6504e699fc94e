# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The event source huaweicloud.cdm.job_events, driven by a fake clock against the in-process simulator.

The fake clock is the simulator's clock too (speed 1: a simulated second is a
clock second), and the source's ``sleep`` moves it forward; so a test says
exactly which runs exist at each poll and asserts the exact events and requests.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat

import pytest

from ansible_collections.huaweicloud.cdm.extensions.eda.plugins.event_source import job_events
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.tests.simulator.cdm_sim import Simulator

CLUSTER = "6ec9a0a4-76be-4262-8697-e7af1fac7920"
PROJECT = "1551c7f6c808414d8e9f3c514a170f2e"
START = 1800000000.0
SCENARIO = {
    "name": "job-events",
    "speed": 1,
    "tokens": ["sim-token"],
    "clusters": [{
        "id": CLUSTER,
        "name": "cdm-events",
        "jobs": [
            {"name": "ok_job", "boot": 10, "duration": 100, "outcome": "succeeded", "rows_written": 500,
             "history": [{"outcome": "succeeded", "finished_ago": 3600}]},
            {"name": "bad_job", "boot": 10, "duration": 50, "outcome": "failed",
             "error_summary": "DWS refused the rows.", "error_details": "duplicate key"},
            {"name": "quick_job", "boot": 5, "duration": 20, "outcome": "succeeded", "rows_written": 7,
             "history": [{"outcome": "succeeded", "finished_ago": 7200}]},
            {"name": "idle_job", "duration": 30, "outcome": "succeeded"},
        ],
    }],
}


class Clock(object):
    """The test's time: read by the source and the simulator, moved by the source's sleeps."""

    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now


class Stop(Exception):
    pass


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def sim(clock):
    with Simulator(scenario=SCENARIO, clock=clock, record=True) as simulator:
        yield simulator


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for spec in _options.CONNECTION_ARGSPEC.values():
        for variable in (spec.get("fallback") or (None, []))[1]:
            monkeypatch.delenv(variable, raising=False)


def start(sim, clock, name, ago=0):
    """Start a run of ``name`` ``ago`` seconds before now, straight in the simulator (no request recorded)."""
    now = clock.now
    clock.now = now - ago
    try:
        status, _body = sim.state.job_start(CLUSTER, name, b"")
    finally:
        clock.now = now
    assert status == 200


class Source(object):
    """Runs the source until it has slept ``polls`` times; ``actions[n]`` runs just before poll n (1-based)."""

    def __init__(self, sim, clock, **args):
        self.sim, self.clock = sim, clock
        self.args = dict(endpoint=sim.url, project_id=PROJECT, auth_token="sim-token", cluster_id=CLUSTER,
                         retries=0, interval=60)
        self.args.update(args)
        self.events, self.sleeps, self.requests_per_poll = [], [], []

    def run(self, polls, actions=None):
        actions = actions or {}
        seen = [len(self.sim.requests)]

        events = self.events

        class Queue(object):
            async def put(self, event):
                events.append(event)

        async def sleep(seconds):
            self.sleeps.append(seconds)
            self.requests_per_poll.append([r.path.split("/cdm/", 1)[-1] for r in self.sim.requests[seen[0]:]])
            seen[0] = len(self.sim.requests)
            if len(self.sleeps) >= polls:
                raise Stop()
            self.clock.now += seconds
            if len(self.sleeps) + 1 in actions:
                actions[len(self.sleeps) + 1]()

        if 1 in actions:
            actions[1]()
        with pytest.raises(Stop):
            asyncio.run(job_events.run(Queue(), self.args, clock=self.clock, sleep=sleep))
        return self.events

    def summary(self):
        return [(e["cdm"]["kind"], e["cdm"].get("transition"), e["cdm"].get("job_name"), e["cdm"].get("old_status"),
                 e["cdm"].get("status")) for e in self.events]


def fail(source):
    with pytest.raises(job_events.JobEventsError) as info:
        asyncio.run(job_events.run(None, source.args, clock=source.clock))
    return str(info.value)


def test_runs_succeed_fail_and_finish_between_polls(sim, clock):
    source = Source(sim, clock, emit=["started", "finished"])
    source.run(5, {
        2: lambda: (start(sim, clock, "ok_job"), start(sim, clock, "bad_job")),
        # quick_job starts and ends (20 s) between the polls at 60 and 120; its list status stays SUCCEEDED.
        3: lambda: start(sim, clock, "quick_job", ago=55),
    })
    assert source.summary() == [
        ("job", "started", "bad_job", None, "BOOTING"),
        ("job", "started", "ok_job", None, "BOOTING"),
        ("job", "failed", "bad_job", "BOOTING", "FAILED"),
        ("job", "succeeded", "quick_job", None, "SUCCEEDED"),
        ("job", "succeeded", "ok_job", "RUNNING", "SUCCEEDED"),
    ]
    failed, succeeded = source.events[2]["cdm"], source.events[4]["cdm"]
    assert failed["error_summary"] == "DWS refused the rows." and failed["error_details"] == "duplicate key"
    assert failed["finished"] is True and failed["succeeded"] is False and failed["progress"] == -1.0
    assert failed["cluster_id"] == CLUSTER and failed["at_start"] is False
    assert succeeded["counters"]["rows_written"] == 500 and succeeded["progress"] == 100.0
    assert succeeded["submission_id"] == source.events[1]["cdm"]["submission_id"]
    assert succeeded["last_update_date"] == int((START + 160) * 1000)
    assert succeeded["creation_date"] == int((START + 60) * 1000) and succeeded["request_id"]
    assert source.events[3]["cdm"]["submission_id"] not in (None, succeeded["submission_id"])
    # One job-list request a poll; a status call only for a job whose run changed.
    assert source.requests_per_poll == [
        ["job/all?page_no=1&page_size=100"],
        ["job/all?page_no=1&page_size=100", "job/bad_job/status", "job/ok_job/status"],
        ["job/all?page_no=1&page_size=100", "job/bad_job/status", "job/ok_job/status", "job/quick_job/status"],
        ["job/all?page_no=1&page_size=100", "job/ok_job/status"],
        ["job/all?page_no=1&page_size=100"],
    ]
    assert source.sleeps == [60] * 5


def test_default_emit_is_finished_runs_only(sim, clock):
    source = Source(sim, clock)
    source.run(4, {2: lambda: (start(sim, clock, "ok_job"), start(sim, clock, "bad_job"))})
    assert source.summary() == [("job", "failed", "bad_job", "BOOTING", "FAILED"),
                                ("job", "succeeded", "ok_job", "RUNNING", "SUCCEEDED")]


def test_an_api_outage_backs_off_reports_once_and_recovers(sim, clock):
    source = Source(sim, clock, error_threshold=100, max_backoff=120)

    def outage():
        start(sim, clock, "bad_job")
        sim.add_faults({"kind": "http_503", "route": "job_list", "count": 4})

    source.run(6, {2: outage})
    assert source.sleeps == [60, 60, 120, 120, 120, 60]
    assert source.summary() == [("api_unavailable", None, None, None, None), ("api_recovered", None, None, None, None),
                                ("job", "failed", "bad_job", None, "FAILED")]
    down, up = source.events[0]["cdm"], source.events[1]["cdm"]
    assert (down["since"], down["seconds"], down["failures"], down["http_status"]) == (START + 60, 180, 3, 503)
    assert down["error_code"] == "APIG.0201" and down["request_id"] and down["cluster_id"] == CLUSTER
    assert (up["since"], up["seconds"], up["failures"]) == (START + 60, 420, 4)


def test_events_of_a_poll_cut_short_by_an_error_are_not_lost(sim, clock):
    source = Source(sim, clock, emit=["started", "finished"])

    def start_both():
        start(sim, clock, "ok_job")
        start(sim, clock, "bad_job")
        # bad_job's status call (first, by name) succeeds; ok_job's fails, which ends that poll.
        sim.add_faults({"kind": "http_503", "route": "status", "job": "ok_job", "count": 1})

    source.run(3, {2: start_both})
    assert source.summary() == [("job", "started", "bad_job", None, "BOOTING"),
                                ("job", "failed", "bad_job", "BOOTING", "FAILED"),
                                ("job", "started", "ok_job", None, "RUNNING")]
    assert source.sleeps == [60, 60, 60]


def test_a_short_outage_gives_no_event(sim, clock):
    source = Source(sim, clock, error_threshold=300)
    source.run(4, {2: lambda: sim.add_faults({"kind": "throttle", "route": "job_list", "count": 2})})
    assert source.events == [] and source.sleeps == [60, 60, 120, 60]


def test_a_state_file_reports_each_transition_once_across_restarts(sim, clock, tmp_path):
    state = str(tmp_path / "state" / "events.json")
    first = Source(sim, clock, emit=["started", "finished"], state_file=state)
    first.run(2, {2: lambda: start(sim, clock, "bad_job")})
    assert first.summary() == [("job", "started", "bad_job", None, "BOOTING")]
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o600
    assert "sim-token" not in open(state).read()
    # Down for two minutes: bad_job failed meanwhile; the restarted source reports that, and nothing twice.
    clock.now += 120
    second = Source(sim, clock, emit=["started", "finished"], state_file=state)
    second.run(2)
    assert second.summary() == [("job", "failed", "bad_job", "BOOTING", "FAILED")]
    assert second.events[0]["cdm"]["at_start"] is True
    third = Source(sim, clock, emit=["started", "finished"], state_file=state, initial=True)
    third.run(2)
    assert third.events == []


def test_without_a_state_file_a_restart_repeats_nothing(sim, clock):
    first = Source(sim, clock, emit=["started", "finished"])
    first.run(2, {2: lambda: start(sim, clock, "ok_job")})
    assert first.summary() == [("job", "started", "ok_job", None, "BOOTING")]
    second = Source(sim, clock, emit=["started", "finished"])
    second.run(3)
    # The run under way at the restart is the baseline: its start is not repeated, its end is reported.
    assert second.summary() == [("job", "succeeded", "ok_job", "RUNNING", "SUCCEEDED")]


def test_initial_reports_the_runs_finished_before_start_up(sim, clock):
    source = Source(sim, clock, initial=True)
    source.run(2)
    assert source.summary() == [("job", "succeeded", "ok_job", None, "SUCCEEDED"),
                                ("job", "succeeded", "quick_job", None, "SUCCEEDED")]
    assert all(event["cdm"]["at_start"] for event in source.events)
    # The never-run job costs no status call.
    assert source.requests_per_poll[0] == ["job/all?page_no=1&page_size=100", "job/ok_job/status",
                                           "job/quick_job/status"]


def test_jobs_filters_by_name_and_pattern(sim, clock):
    source = Source(sim, clock, jobs=["bad_*", "quick_job"], emit=["failed", "started"])
    source.run(3, {2: lambda: (start(sim, clock, "ok_job"), start(sim, clock, "bad_job"))})
    assert source.summary() == [("job", "started", "bad_job", None, "BOOTING"),
                                ("job", "failed", "bad_job", "BOOTING", "FAILED")]
    assert not any("ok_job" in path for poll in source.requests_per_poll for path in poll)


def test_a_running_run_without_updates_is_reported_stalled_once(sim, clock):
    stuck = {"total": 1, "page_no": 1, "page_size": 100, "jobs": [
        {"name": "ok_job", "status": "RUNNING", "external_id": "job_local1_0009", "last-update-date": START * 1000}]}
    sim.add_faults({"kind": "custom", "route": "job_list", "status": 200, "body": json.dumps(stuck), "count": -1,
                    "content_type": "application/json"})
    source = Source(sim, clock, emit=["stalled", "finished"], stalled_after=150)
    source.run(5)
    assert source.summary() == [("job", "stalled", "ok_job", "RUNNING", "RUNNING")]
    assert source.events[0]["cdm"]["idle_seconds"] == 180
    assert all(poll == ["job/all?page_no=1&page_size=100"] for poll in source.requests_per_poll)


@pytest.mark.parametrize("args, words", [
    ({"auth_token": "wrong-token-value"}, "APIG.0301"),
    ({"cluster_id": "00000000-0000-0000-0000-000000000000"}, "Cdm.0001"),
    ({"cluster_id": None, "cluster_name": "no-such"}, "cluster_name 'no-such' names no cluster"),
])
def test_permanent_errors_end_the_source(sim, clock, args, words):
    source = Source(sim, clock, **args)
    message = fail(source)
    assert words in message and "wrong-token-value" not in message


@pytest.mark.parametrize("args, words", [
    ({"interval": 0}, "interval must be a number of seconds greater than 0"),
    ({"cluster_name": "cdm-events"}, "mutually exclusive"),
    ({"cluster_id": None}, "one of the following is required: cluster_id, cluster_name"),
    ({"emit": ["exploded"]}, "emit"),
    ({"intervall": 5}, "unknown argument(s) intervall; the source takes: access_key, auth_token"),
    ({"auth_token": None}, "no complete credentials"),
    ({"endpoint": "ftp://example.com"}, "endpoint must be an http:// or https:// URL"),
])
def test_bad_arguments_end_the_source_before_any_request(sim, clock, args, words):
    source = Source(sim, clock, **args)
    assert words in fail(source)
    assert sim.requests == []


def test_connection_options_come_from_the_environment(sim, clock, monkeypatch):
    monkeypatch.setenv("HUAWEICLOUD_AUTH_TOKEN", "sim-token")
    monkeypatch.setenv("HUAWEICLOUD_CDM_ENDPOINT", sim.url)
    monkeypatch.setenv("HUAWEICLOUD_SDK_PROJECT_ID", PROJECT)
    source = Source(sim, clock, cluster_name="cdm-events", cluster_id=None)
    for name in ("auth_token", "endpoint", "project_id"):
        del source.args[name]
    source.run(3, {2: lambda: start(sim, clock, "bad_job", ago=55)})
    assert source.summary() == [("job", "failed", "bad_job", None, "FAILED")]
    assert source.requests_per_poll[0][0].endswith("/clusters")
    assert sim.requests[0].header("X-Auth-Token") == "sim-token"


def test_a_transient_error_resolving_the_cluster_name_does_not_end_the_source(sim, clock):
    sim.add_faults({"kind": "http_502", "route": "cluster_list", "count": 1})
    source = Source(sim, clock, cluster_name="cdm-events", cluster_id=None)
    source.run(3, {3: lambda: start(sim, clock, "bad_job", ago=55)})
    assert source.summary() == [("job", "failed", "bad_job", None, "FAILED")]
    assert source.sleeps[0] == 60


def test_a_corrupt_state_file_ends_the_source(sim, clock, tmp_path):
    state = tmp_path / "state.json"
    state.write_text("{not json")
    assert "state_file %s cannot be read" % state in fail(Source(sim, clock, state_file=str(state)))


def test_the_documentation_matches_the_arguments():
    import yaml

    docs = yaml.safe_load(job_events.DOCUMENTATION)
    assert docs["extends_documentation_fragment"] == ["huaweicloud.cdm.connection", "huaweicloud.cdm.cluster"]
    assert sorted(docs["options"]) == sorted(_options.JOB_EVENTS_ARGSPEC)
    for name, spec in _options.JOB_EVENTS_ARGSPEC.items():
        documented = docs["options"][name]
        assert (documented["type"], documented.get("default"), documented.get("choices"), documented.get("elements")) \
            == (spec["type"], spec.get("default"), spec.get("choices"), spec.get("elements")), name
    examples = yaml.safe_load(job_events.EXAMPLES)
    assert list(examples[0]["sources"][0]) == ["huaweicloud.cdm.job_events"]
    known = set(_options.JOB_EVENTS_ARGSPEC) | set(_options.CONNECTION_ARGSPEC) | set(_options.CLUSTER_ARGSPEC)
    assert not set(examples[0]["sources"][0]["huaweicloud.cdm.job_events"]) - known


def test_plain_http_to_another_machine_is_warned_and_an_unknown_host_ends_the_source(sim, clock, monkeypatch, caplog):
    import socket

    def no_such_name(*_args, **_kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    source = Source(sim, clock, endpoint="http://cdm.example.com")
    with caplog.at_level("WARNING", logger="huaweicloud.cdm.job_events"):
        message = fail(source)
    assert "does not resolve" in message and "sim-token" not in message
    assert [record.getMessage() for record in caplog.records] == [
        "endpoint is a plain http:// URL to another machine: credentials cross the network unencrypted"]
