# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.huaweicloud.cdm.plugins.callback import job_progress
from ansible_collections.huaweicloud.cdm.plugins.callback.job_progress import CallbackModule, duration

SECRET = "MIIsecret-token-Zq8x"


class FakeDisplay:
    verbosity = 4  # the most verbose: nothing secret may show even then

    def __init__(self):
        self.lines = []

    def display(self, msg, *args, **kwargs):
        self.lines.append(msg)

    def __getattr__(self, name):  # v, vv, vvv, warning, ...: recorded as well
        return lambda msg, *args, **kwargs: self.lines.append(msg)


class FakeTask:
    def __init__(self, action="huaweicloud.cdm.cdm_job_status", uuid="task-1", resolved=True):
        self.action = action
        self.resolved_action = action if resolved else None
        self._uuid = uuid


class FakeHost:
    name = "localhost"


class LegacyResult:
    """ansible-core 2.16 to 2.18: TaskResult with _task, _host, _result only."""

    def __init__(self, fields, task):
        self._task, self._host, self._result = task, FakeHost(), fields


class CurrentResult:
    """ansible-core 2.19 and later: CallbackTaskResult with task, host, result (and the old names)."""

    def __init__(self, fields, task):
        self.task = self._task = task
        self.host = self._host = FakeHost()
        self.result = self._result = fields


@pytest.fixture(params=[LegacyResult, CurrentResult], ids=["core-2.16", "core-2.19+"])
def run(request):
    """run(fields, hook='retry'|'ok'|'failed', task=...) -> the lines the callback printed."""
    display = FakeDisplay()
    callback = CallbackModule(display=display)

    def call(fields, hook="retry", task=None):
        result = request.param(fields, task or FakeTask())
        del display.lines[:]
        if hook == "retry":
            callback.v2_runner_retry(result)
        elif hook == "ok":
            callback.v2_runner_on_ok(result)
        else:
            callback.v2_runner_on_failed(result)
        return list(display.lines)
    return call


def running(name="jdbc2hive", progress=45.0, **extra):
    return dict({"job_name": name, "status": "RUNNING", "progress": progress, "submission_id": 1201,
                 "finished": False, "succeeded": False, "counters": {}, "error_summary": None}, **extra)


@pytest.mark.parametrize("seconds, text", [(0, "0s"), (45, "45s"), (190, "3m10s"), (3720, "1h02m"), (-3, "0s")])
def test_durations_are_short(seconds, text):
    assert duration(seconds) == text


def test_a_poll_gives_status_progress_elapsed_time_left_and_submission(run):
    assert run(running(run_seconds=190, eta_seconds=235, attempts=1)) == [
        "jdbc2hive  RUNNING  45%  elapsed 3m10s  ~3m55s left  (submission 1201)"]


def test_without_run_and_eta_seconds_the_line_says_how_long_the_task_waited_and_no_time_left(run):
    lines = run(running(progress=42.5, attempts=1))
    assert lines == ["jdbc2hive  RUNNING  42.5%  waited 0s  (submission 1201)"]


def test_a_task_without_until_gives_no_wait_time(run):
    assert run(running(progress=42.5), hook="ok") == ["jdbc2hive  RUNNING  42.5%  (submission 1201)"]


def test_an_unknown_eta_gives_no_time_left(run):
    assert run(running(run_seconds=10, eta_seconds=None)) == ["jdbc2hive  RUNNING  45%  elapsed 10s  (submission 1201)"]


def test_the_final_success_gives_rows_and_bytes_written(run):
    fields = running(status="SUCCEEDED", progress=100.0, finished=True, succeeded=True, run_seconds=120,
                     counters={"rows_written": 120000, "bytes_written": 15360000, "rows_read": 120000})
    assert run(fields, hook="ok") == [
        "jdbc2hive  SUCCEEDED  elapsed 2m00s  rows written 120000, bytes written 15360000  (submission 1201)"]


def test_a_failed_job_gives_its_error_summary_even_when_the_task_is_ok(run):
    # The role's poll task has failed_when: false: the result is 'ok' with the job FAILED.
    fields = running(name="obs2dws", status="FAILED", progress=-1.0, finished=True,
                     error_summary="Failed to write data to DWS:\n value too long", failed=False)
    assert run(fields, hook="ok") == ["obs2dws  FAILED  error: Failed to write data to DWS: value too long  (submission 1201)"]


def test_a_failed_call_gives_http_status_error_code_message_and_request_id(run):
    fields = {"failed": True, "msg": "HTTP 404 Cdm.0100: job ghost does not exist", "http_status": 404,
              "error_code": "Cdm.0100", "error_message": "job ghost does not exist", "request_id": "req-7",
              "retryable": False, "finished": False, "succeeded": False, "job_name": "ghost"}
    assert run(fields, hook="failed") == [
        "ghost  API error  HTTP 404  Cdm.0100: job ghost does not exist  (request id req-7)"]


def test_a_transient_failure_in_a_poll_says_the_loop_polls_again(run):
    fields = {"failed": True, "msg": "HTTP 503: busy", "http_status": 503, "retryable": True,
              "finished": False, "succeeded": False, "job_name": "jdbc2hive"}
    assert run(fields) == ["jdbc2hive  API error  HTTP 503  HTTP 503: busy  (polling again)"]


def test_a_failed_call_hidden_by_failed_when_is_still_an_error(run):
    fields = {"failed": False, "msg": "HTTP 401", "retryable": False, "finished": False, "job_name": "jdbc2hive"}
    assert run(fields, hook="ok") == ["jdbc2hive  API error  HTTP 401"]


def test_a_module_that_could_not_run_gives_its_message(run):
    fields = {"failed": True, "msg": "/usr/bin/python3.99: not found", "module_stderr": "...", "rc": 127}
    assert run(fields, hook="failed") == ["CDM job  API error  /usr/bin/python3.99: not found"]


def test_missing_fields_give_a_line_with_what_is_known(run):
    assert run({"job_name": "jdbc2hive", "status": "RUNNING"}) == ["jdbc2hive  RUNNING"]
    assert run({"job_name": "jdbc2hive", "status": "SUCCEEDED", "finished": True}, hook="ok") == [
        "jdbc2hive  SUCCEEDED"]


def test_fields_of_the_wrong_type_give_no_error(run):
    fields = {"job_name": ["x"], "status": "RUNNING", "progress": "half", "run_seconds": "long",
              "eta_seconds": True, "submission_id": "1201", "counters": "none"}
    assert run(fields) == ["CDM job  RUNNING"]


def test_an_unknown_status_is_shown_as_it_came(run):
    assert run(running(status="PAUSED", progress=None)) == ["jdbc2hive  PAUSED  (submission 1201)"]


def test_the_final_result_of_a_loop_that_gave_up_says_not_finished(run):
    assert run(running(run_seconds=60, attempts=120), hook="failed") == [
        "jdbc2hive  RUNNING  45%  elapsed 1m00s  not finished  (submission 1201)"]


def test_the_job_module_shows_its_action(run):
    fields = running(status="BOOTING", progress=0.0, action="started", changed=True)
    assert run(fields, hook="ok", task=FakeTask("huaweicloud.cdm.cdm_job")) == [
        "jdbc2hive  started  BOOTING  0%  (submission 1201)"]


@pytest.mark.parametrize("action", ["cdm_job_status", "cdm_job"])
def test_short_names_count(run, action):
    assert run(running(), task=FakeTask(action, resolved=False)) != []


@pytest.mark.parametrize("action", ["ansible.builtin.debug", "ansible.builtin.uri", "other.collection.cdm_job_status",
                                    "huaweicloud.cdm.iam_token", "huaweicloud.cdm.cdm_job_info", "command"])
def test_other_tasks_print_nothing(run, action):
    assert run(running(), task=FakeTask(action)) == []
    assert run(running(), hook="ok", task=FakeTask(action)) == []


def test_a_skipped_task_prints_nothing(run):
    assert run({"skipped": True, "changed": False}, hook="ok") == []


def test_secrets_in_the_invocation_never_show(run):
    invocation = {"module_args": {"job_name": "jdbc2hive", "auth_token": SECRET, "password": SECRET,
                                  "secret_key": SECRET, "cluster_id": "c"}}
    for fields, hook in ((running(invocation=invocation), "retry"),
                         ({"failed": True, "msg": "HTTP 401", "retryable": False, "invocation": invocation}, "failed")):
        lines = run(fields, hook=hook)
        assert lines and not any(SECRET in line for line in lines)
    assert lines == ["jdbc2hive  API error  HTTP 401"]


def test_a_name_still_to_template_is_not_shown(run):
    fields = {"failed": True, "msg": "bad", "retryable": False, "invocation": {"module_args": {"job_name": "{{ x }}"}}}
    assert run(fields, hook="failed") == ["CDM job  API error  bad"]


def batch(*jobs):
    return {"jobs": list(jobs), "finished": all(job.get("finished") for job in jobs), "failed_jobs": [], "error_jobs": []}


def listed(name, **extra):
    """A job the job list shows as running: no progress, no submission id."""
    return dict({"job_name": name, "status": "RUNNING", "progress": None, "submission_id": None,
                 "finished": False, "succeeded": False, "source": "job_list"}, **extra)


def done(name, status="SUCCEEDED", **extra):
    return dict({"job_name": name, "status": status, "progress": 100.0 if status == "SUCCEEDED" else -1.0,
                 "submission_id": 7, "finished": True, "succeeded": status == "SUCCEEDED",
                 "counters": {"rows_written": 10} if status == "SUCCEEDED" else {},
                 "error_summary": "disk full" if status != "SUCCEEDED" else None}, **extra)


def test_a_batch_poll_prints_a_summary_and_only_the_jobs_not_running(run):
    jobs = [listed("job%02d" % number) for number in range(97)]
    jobs += [done("a"), done("b", "FAILED"), listed("orders_to_dws", progress=35.0)]
    lines = run(batch(*jobs))
    assert lines == [
        "2/100 finished: 1 succeeded, 1 failed; 98 running, slowest orders_to_dws 35%",
        "  a  SUCCEEDED  rows written 10  (submission 7)",
        "  b  FAILED  error: disk full  (submission 7)",
    ]


def test_the_next_batch_poll_prints_only_the_jobs_that_changed_since(run):
    run(batch(listed("a"), listed("b"), listed("c", status="BOOTING")))
    lines = run(batch(done("a"), listed("b"), listed("c", status="BOOTING")))
    assert lines == ["1/3 finished: 1 succeeded, 0 failed; 2 running", "  a  SUCCEEDED  rows written 10  (submission 7)"]
    # BOOTING to RUNNING is no news: both are running in the summary.
    assert run(batch(done("a"), listed("b"), listed("c"))) == ["1/3 finished: 1 succeeded, 0 failed; 2 running"]
    lines = run(batch(done("a"), listed("b"), listed("c", failed=True, retryable=True, http_status=503)))
    assert lines == ["1/3 finished: 1 succeeded, 0 failed; 1 running, 1 unreadable",
                     "  c  API error  HTTP 503  (polling again)"]
    lines = run(batch(done("a"), listed("b"), listed("c")))
    assert lines == ["1/3 finished: 1 succeeded, 0 failed; 2 running", "  c  RUNNING"]


def test_the_final_batch_result_prints_the_last_changes_and_forgets_the_task(run):
    run(batch(listed("a"), listed("b")))
    assert run(batch(done("a"), done("b", "FAILED")), hook="ok") == [
        "2/2 finished: 1 succeeded, 1 failed",
        "  a  SUCCEEDED  rows written 10  (submission 7)",
        "  b  FAILED  error: disk full  (submission 7)",
    ]
    # The same task again (a loop, a second play) starts from scratch.
    assert run(batch(listed("a"), listed("b"))) == ["0/2 finished: 0 succeeded, 0 failed; 2 running"]


def test_never_more_than_ten_changed_lines_a_poll(run):
    lines = run(batch(*[done("job%03d" % number, "FAILED") for number in range(100)]), hook="ok")
    assert lines[0] == "100/100 finished: 0 succeeded, 100 failed"
    assert len(lines) == 12 and lines[-1] == "  ... and 90 more changed"


def test_a_batch_counts_unreadable_and_not_started_jobs(run):
    unreadable = {"job_name": "ghost", "failed": True, "retryable": False, "http_status": 404,
                  "error_code": "Cdm.0100", "error_message": "no such job", "finished": False}
    never = {"job_name": "mysql2obs", "status": "NEVER_EXECUTED", "progress": None, "submission_id": None,
             "finished": False}
    lines = run(batch(listed("a"), unreadable, never))
    assert lines == ["0/3 finished: 0 succeeded, 0 failed; 1 running, 1 not running, 1 unreadable",
                     "  ghost  API error  HTTP 404  Cdm.0100: no such job",
                     "  mysql2obs  NEVER_EXECUTED"]


def test_the_slowest_job_is_the_one_with_the_most_time_left(run):
    lines = run(batch(listed("a", progress=10.0, eta_seconds=60), listed("b", progress=50.0, eta_seconds=600)))
    assert lines == ["0/2 finished: 0 succeeded, 0 failed; 2 running, slowest b 50% ~10m00s left"]


def test_two_tasks_polling_keep_their_own_memory(run):
    first, second = FakeTask(uuid="one"), FakeTask(uuid="two")
    run(batch(listed("a")), task=first)
    assert run(batch(done("a")), task=second)[1:] == ["  a  SUCCEEDED  rows written 10  (submission 7)"]
    assert run(batch(listed("a")), task=first) == ["0/1 finished: 0 succeeded, 0 failed; 1 running"]


def test_a_broken_batch_gives_no_error(run):
    assert run({"jobs": [None, "x", {"status": 3}]}) == ["0/1 finished: 0 succeeded, 0 failed; 1 not running",
                                                         "  CDM job  3"]


def test_an_error_inside_the_callback_never_fails_the_run(run, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("boom")
    monkeypatch.setattr(job_progress, "job_line", broken)
    assert run(running()) == ["huaweicloud.cdm.job_progress: no line for this result (KeyError)"]


def test_the_wait_is_timed_from_the_start_of_the_task(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(job_progress.time, "monotonic", lambda: clock[0])
    display = FakeDisplay()
    callback = CallbackModule(display=display)
    del display.lines[:]  # the "Loading callback plugin" line of -vvvv
    task = FakeTask()
    callback.v2_runner_on_start(FakeHost(), task)
    clock[0] += 190
    callback.v2_runner_retry(CurrentResult(running(attempts=1), task))
    clock[0] += 3600
    callback.v2_runner_retry(CurrentResult(running(attempts=2), task))
    assert display.lines == ["jdbc2hive  RUNNING  45%  waited 3m10s  (submission 1201)",
                             "jdbc2hive  RUNNING  45%  waited 1h03m  (submission 1201)"]


def test_other_tasks_are_not_timed():
    callback = CallbackModule(display=FakeDisplay())
    callback.v2_runner_on_start(FakeHost(), FakeTask("ansible.builtin.pause"))
    assert callback._started == {}


def test_the_documentation_is_valid_yaml_naming_the_plugin():
    yaml = pytest.importorskip("yaml")
    documentation = yaml.safe_load(job_progress.DOCUMENTATION)
    assert (documentation["name"], documentation["type"], documentation["version_added"]) == (
        "job_progress", "aggregate", "1.1.0")


def test_a_loop_gives_each_item_its_lines_and_nothing_at_the_end(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(job_progress.time, "monotonic", lambda: clock[0])
    display = FakeDisplay()
    callback = CallbackModule(display=display)
    del display.lines[:]
    task = FakeTask()
    callback.v2_runner_on_start(FakeHost(), task)
    clock[0] = 60
    callback.v2_runner_retry(CurrentResult(running("a", attempts=1, item="a", ansible_loop_var="item"), task))
    callback.v2_runner_item_on_ok(CurrentResult(done("a", item="a", ansible_loop_var="item", attempts=2), task))
    clock[0] = 90
    batch_b = dict(batch(listed("b1")), job=["b1"], ansible_loop_var="job", attempts=1)
    callback.v2_runner_retry(CurrentResult(batch_b, task))
    callback.v2_runner_item_on_failed(CurrentResult(dict(batch(listed("b1")), job=["b1"], ansible_loop_var="job",
                                                         attempts=9), task))
    callback.v2_runner_on_ok(CurrentResult({"results": [{"status": "SUCCEEDED"}], "changed": False}, task))
    assert display.lines == [
        "a  RUNNING  45%  waited 1m00s  (submission 1201)",
        "a  SUCCEEDED  rows written 10  (submission 7)",
        "0/1 finished: 0 succeeded, 0 failed; 1 running",
        "0/1 finished: 0 succeeded, 0 failed; 1 running",
    ]
    assert callback._started == {} and callback._states == {}
