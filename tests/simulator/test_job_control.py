# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Starting and stopping runs: PENDING runs, refusals, bad variables, the stop's answers and its delay."""

import copy

import pytest

requests = pytest.importorskip("requests")

# pylint: disable=wrong-import-position
from cdm_sim import DEFAULT_SCENARIO, Simulator  # noqa: E402
from simtools import TOKEN, FakeClock, assert_cdm, cdm_url, control, job_url, start, status_of  # noqa: E402


@pytest.fixture
def control_sim(clock):
    """A simulator whose jobs each show one start or stop behaviour (speed 60: 1 real s = 60 simulated s)."""
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["job_defaults"] = {"duration": 600, "boot": 10}
    document["clusters"][0]["jobs"] = [
        {"name": "plain"},
        {"name": "queued", "pending": 30},
        {"name": "disabled", "start_error": "Cdm.0059"},
        {"name": "no_executor", "start_error": "Cdm.0037"},
        {"name": "engine_refused", "start_error": "Cdm.0056"},
        {"name": "refused", "outcome": "failure_on_submit", "error_summary": "No link named mysql_link."},
        {"name": "declared", "variables": {"day": "2024-01-01", "region": "eu"}},
        {"name": "validated", "stop_answer": "validation"},
        {"name": "warned", "stop_answer": "warning"},
        {"name": "refuses_stop", "stop_answer": "error"},
        {"name": "answers_run", "stop_answer": "submissions"},
        {"name": "slow_stop", "stop_delay": 120, "stop_status": "STOPPED"},
    ]
    server = Simulator(document, clock=clock).start()
    yield server
    server.stop()


def stop(sim, job):
    return requests.put(job_url(sim, job, "stop"), headers=TOKEN, timeout=5)


def history(sim, job):
    return requests.get(cdm_url(sim, "submissions?jname=" + job), headers=TOKEN, timeout=5).json()


def test_a_pending_run_waits_then_boots_runs_and_ends(control_sim, clock):
    response = start(control_sim, "queued")
    assert response.status_code == 200 and response.json()["submissions"][0]["status"] == "PENDING"
    sub = status_of(control_sim, "queued")
    assert (sub["status"], sub["progress"]) == ("PENDING", 0.0)
    # A queued run is active: a second start is "job is running".
    assert_cdm(start(control_sim, "queued"), "Cdm.0052")
    clock.advance(0.4)                      # 24 simulated s of 30 pending
    assert status_of(control_sim, "queued")["status"] == "PENDING"
    clock.advance(0.2)                      # 36: 6 s booting
    assert status_of(control_sim, "queued")["status"] == "BOOTING"
    clock.advance(0.5)                      # 66: running
    assert status_of(control_sim, "queued")["status"] == "RUNNING"
    clock.advance(10)                       # 666 > 30 + 600: done
    assert status_of(control_sim, "queued")["status"] == "SUCCEEDED"


def test_without_pending_a_run_starts_booting(control_sim):
    assert start(control_sim, "plain").json()["submissions"][0]["status"] == "BOOTING"
    assert status_of(control_sim, "plain")["status"] == "BOOTING"


def test_a_pending_run_can_be_stopped(control_sim):
    start(control_sim, "queued")
    assert stop(control_sim, "queued").json() == {}
    sub = status_of(control_sim, "queued")
    assert (sub["status"], sub["progress"]) == ("FAILED", -1.0) and "stopped" in sub["error-summary"]


def test_job_defaults_apply_to_every_job_and_a_job_overrides_them():
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["job_defaults"] = {"pending": 60, "stop_answer": "warning"}
    document["clusters"][0]["jobs"] = [{"name": "a"}, {"name": "b", "pending": 0}]
    with Simulator(document) as server:
        assert start(server, "a").json()["submissions"][0]["status"] == "PENDING"
        assert start(server, "b").json()["submissions"][0]["status"] == "BOOTING"
        assert stop(server, "b").json()["validation-result"][0]["status"] == "WARNING"


@pytest.mark.parametrize("job, code, message", [
    ("disabled", "Cdm.0059", "Job[disabled] is disabled and cannot be submitted."),
    ("no_executor", "Cdm.0037", "Failed to submit job[no_executor]. Cause: the cluster has no free executor."),
    ("engine_refused", "Cdm.0056", "Failed to submit job[engine_refused]. Cause: the submission engine rejected the job."),
])
def test_a_refused_start_creates_no_run(control_sim, job, code, message):
    assert assert_cdm(start(control_sim, job), code)["externalMessage"] == message
    assert history(control_sim, job)["total"] == 0
    assert requests.get(job_url(control_sim, job), headers=TOKEN, timeout=5).json() == {"submissions": []}


def test_a_disabled_job_reads_as_not_enabled(control_sim):
    jobs = requests.get(cdm_url(control_sim, "job/all?page_size=100"), headers=TOKEN, timeout=5).json()["jobs"]
    enabled = dict((job["name"], job["enabled"]) for job in jobs)
    assert enabled["disabled"] is False and enabled["no_executor"] is True


def test_failure_on_submit_is_the_start_answer_and_the_run_ends_at_once(control_sim):
    response = start(control_sim, "refused")
    assert response.status_code == 200
    assert response.json()["submissions"][0]["status"] == "FAILURE_ON_SUBMIT"
    sub = status_of(control_sim, "refused")
    assert (sub["status"], sub["progress"], sub["error-summary"]) == ("FAILURE_ON_SUBMIT", -1.0, "No link named mysql_link.")
    # Nothing is running: a stop has nothing to stop, a start is a new run.
    assert_cdm(stop(control_sim, "refused"), "Cdm.0053")
    assert start(control_sim, "refused").status_code == 200


@pytest.mark.parametrize("job, body, code, words", [
    ("plain", b"{not json", "Cdm.0000", "not valid JSON"),
    ("plain", b'{"variables": ["day"]}', "Cdm.0000", "variables must be an object"),
    ("plain", b'{"variables": {"day": 1}}', "Cdm.0037", "the value of variable day is not a string"),
    ("declared", b'{"variables": {"month": "01"}}', "Cdm.0037", "variable month is not defined in the job"),
])
def test_bad_variables_are_refused_and_start_nothing(control_sim, job, body, code, words):
    response = requests.put(job_url(control_sim, job, "start"), headers=TOKEN, data=body, timeout=5)
    assert words in assert_cdm(response, code)["externalMessage"]
    assert history(control_sim, job)["total"] == 0


def test_declared_variables_are_accepted_and_recorded(control_sim):
    assert start(control_sim, "declared", body={"variables": {"day": "2024-02-02"}}).status_code == 200
    assert start(control_sim, "plain", body={"variables": {"anything": "goes"}}).status_code == 200
    variables = dict((job["name"], job["variables"]) for job in control(control_sim, "GET", "jobs")["jobs"])
    assert variables["declared"] == {"day": "2024-02-02"} and variables["plain"] == {"anything": "goes"}


@pytest.mark.parametrize("job, answer", [
    ("plain", {}),
    ("validated", {"validation-result": []}),
    ("warned", {"validation-result": [{"status": "WARNING", "message": "The job was stopped before all data was written."}]}),
])
def test_each_stop_answer_ends_the_run(control_sim, job, answer):
    start(control_sim, job)
    response = stop(control_sim, job)
    assert (response.status_code, response.json()) == (200, answer)
    sub = status_of(control_sim, job)
    assert (sub["status"], sub["progress"]) == ("FAILED", -1.0)
    assert sub["error-summary"] == "The job was stopped by the user."
    assert_cdm(stop(control_sim, job), "Cdm.0053")


def test_an_error_validation_result_refuses_the_stop(control_sim, clock):
    start(control_sim, "refuses_stop")
    response = stop(control_sim, "refuses_stop")
    assert response.status_code == 200
    assert response.json() == {"validation-result": [
        {"status": "ERROR", "message": "The job cannot be stopped now: it is committing its output."}]}
    clock.advance(1)
    assert status_of(control_sim, "refuses_stop")["status"] == "RUNNING"
    clock.advance(10)
    assert status_of(control_sim, "refuses_stop")["status"] == "SUCCEEDED"


def test_a_submissions_stop_answer_shows_the_stopped_run(control_sim):
    started = start(control_sim, "answers_run").json()["submissions"][0]
    subs = stop(control_sim, "answers_run").json()["submissions"]
    assert [(sub["submission-id"], sub["status"], sub["progress"]) for sub in subs] == [
        (started["submission-id"], "FAILED", -1.0)]


def test_a_delayed_stop_ends_the_run_later_in_its_own_status(control_sim, clock):
    start(control_sim, "slow_stop")
    clock.advance(1)                               # 60 simulated s: running
    assert stop(control_sim, "slow_stop").json() == {}
    assert status_of(control_sim, "slow_stop")["status"] == "RUNNING"
    clock.advance(1)                               # 60 of the 120 s the stop takes
    # Stopping again while the stop is under way answers as before and does not postpone it.
    assert stop(control_sim, "slow_stop").json() == {}
    clock.advance(1.01)
    sub = status_of(control_sim, "slow_stop")
    assert (sub["status"], sub["progress"]) == ("STOPPED", -1.0) and "stopped" in sub["error-summary"]
    assert_cdm(stop(control_sim, "slow_stop"), "Cdm.0053")
    assert start(control_sim, "slow_stop").status_code == 200


def test_a_stop_delayed_past_the_natural_end_lets_the_run_finish():
    document = copy.deepcopy(DEFAULT_SCENARIO)
    document["clusters"][0]["jobs"] = [{"name": "short", "duration": 60, "stop_delay": 600}]
    clock = FakeClock()
    with Simulator(document, clock=clock) as server:
        start(server, "short")
        assert stop(server, "short").json() == {}
        clock.advance(2)
        assert status_of(server, "short")["status"] == "SUCCEEDED"
