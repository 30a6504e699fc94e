# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _client
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _connection
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _jobs


class FakeClient(object):
    """Answers every call with one body."""

    def __init__(self, body, request_id="req-1", date=None):
        self.body = body
        self.request_id = request_id
        self.date = date
        self.calls = []

    def call(self, method, url, body=None):
        self.calls.append((method, url, body))
        return _client.Answer(self.body, self.request_id, self.date)


def cluster_of(client, project_id="p", cluster_id="c"):
    return _jobs.Cluster(client, _connection.Connection("https://cdm.example.com", project_id), cluster_id)


def test_status_url_is_the_documented_path():
    assert _jobs.status_url(cluster_of(FakeClient(None)), "j") == "https://cdm.example.com/v1.1/p/clusters/c/cdm/job/j/status"


def test_job_status_is_one_get_of_the_status_url(fixture_loader):
    client = FakeClient(fixture_loader("status_succeeded.json"))
    _jobs.job_status(cluster_of(client), "jdbc2hive")
    assert client.calls == [("GET", "https://cdm.example.com/v1.1/p/clusters/c/cdm/job/jdbc2hive/status", None)]


def test_job_status_returns_the_summary_request_id_and_raw_body(fixture_loader):
    body = fixture_loader("status_failed.json")
    result, raw = _jobs.job_status(cluster_of(FakeClient(body, "req-7")), "obs2dws")
    assert raw is body
    assert (result["status"], result["finished"], result["request_id"], result["job_name"]) == ("FAILED", True, "req-7", "obs2dws")


def test_job_name_in_the_result_is_the_one_asked_about(fixture_loader):
    result, _raw = _jobs.job_status(cluster_of(FakeClient(fixture_loader("status_succeeded.json"))), "asked-for")
    assert result["job_name"] == "asked-for"


def test_job_status_holds_the_newest_run_and_the_history_only_when_asked(fixture_loader):
    body = fixture_loader("status_history.json")
    lean, _raw = _jobs.job_status(cluster_of(FakeClient(body)), "j")
    full, _raw = _jobs.job_status(cluster_of(FakeClient(body)), "j", history=True)
    assert "submissions" not in lean and lean["submission"] == full["submissions"][0]
    assert len(full["submissions"]) == len(body["submissions"]) > 1
    assert dict(full, submissions=None) == dict(lean, submissions=None)


def test_job_status_measures_the_run_on_the_date_of_the_answer():
    body = {"submissions": [{"submission-id": 3, "status": "RUNNING", "progress": 25,
                             "execute-date": 1700000000000, "last-update-date": 1700000090000}]}
    result, _raw = _jobs.job_status(cluster_of(FakeClient(body, date=1700000100)), "j")
    assert (result["run_seconds"], result["eta_seconds"], result["idle_seconds"], result["service_time"]) == \
        (100, 300, 10, 1700000100)


def test_a_job_the_list_shows_running_has_its_run_and_idle_seconds_from_the_list_entry():
    entry = {"name": "j", "status": "RUNNING", "execute_start_date": 1699999700000, "execute_update_date": 1699999995000}
    client = FakeClient({"jobs": [entry], "total": 1}, date=1700000000)
    client.requests_made = 1
    result = _jobs.batch_status(cluster_of(client), ["j"])["jobs"][0]
    assert (result["source"], result["status"], result["submission"], result["progress"]) == ("job_list", "RUNNING", None, None)
    assert (result["run_seconds"], result["eta_seconds"], result["idle_seconds"], result["service_time"]) == \
        (300, None, 5, 1700000000)
    assert len(client.calls) == 1


def test_a_list_entry_without_dates_has_null_facts():
    client = FakeClient({"jobs": [{"name": "j", "status": "BOOTING"}], "total": 1}, date=1700000000)
    client.requests_made = 1
    result = _jobs.batch_status(cluster_of(client), ["j"])["jobs"][0]
    assert (result["run_seconds"], result["eta_seconds"], result["idle_seconds"]) == (None, None, None)


@pytest.mark.parametrize("body", [[], "text", 3, None])
def test_a_body_that_is_not_an_object_is_a_clear_error(body):
    with pytest.raises(_errors.CdmError) as caught:
        _jobs.job_status(cluster_of(FakeClient(body, "req-odd")), "j")
    assert "where an object was expected" in caught.value.message
    assert "req-odd" in caught.value.message


class PagedClient(object):
    """A client for a cluster of ``size`` jobs, all RUNNING, answering job/all pages and status calls."""

    def __init__(self, size):
        self.names = ["job%03d" % number for number in range(size)]
        self.calls = []
        self.requests_made = 0

    def call(self, method, url, body=None):
        self.calls.append(url)
        self.requests_made += 1
        if "/job/all?" in url:
            page = int(url.split("page_no=")[1].split("&")[0])
            names = self.names[(page - 1) * _jobs.LIST_PAGE_SIZE:page * _jobs.LIST_PAGE_SIZE]
            return _client.Answer({"jobs": [{"name": name, "status": "RUNNING"} for name in names],
                                   "total": len(self.names)}, "req")
        name = url.split("/job/")[1].split("/status")[0]
        return _client.Answer({"submissions": [{"job-name": name, "status": "RUNNING", "submission-id": 1,
                                                "progress": 5}]}, "req")


@pytest.mark.parametrize("size, asked", [
    (250, ["job000"]), (250, ["job249"]), (250, ["job000", "job150", "job249"]), (250, []), (40, ["job000", "job039"]),
    (1000, ["job%03d" % n for n in range(0, 1000, 50)]),
])
def test_a_batch_round_makes_at_most_n_plus_one_requests_on_a_cluster_of_any_size(size, asked):
    client = PagedClient(size)
    result = _jobs.batch_status(cluster_of(client, "pid", "cid"), asked)
    assert len(client.calls) <= len(asked) + 1
    assert [job["job_name"] for job in result["jobs"]] == asked
    assert all(job["status"] == "RUNNING" and not job["finished"] for job in result["jobs"])


def test_jobs_on_the_first_page_need_no_call_of_their_own():
    client = PagedClient(250)
    _jobs.batch_status(cluster_of(client, "pid", "cid"), ["job001", "job002"])
    assert len(client.calls) == 1
    assert "/job/all?page_no=1&" in client.calls[0]


def test_a_batch_whose_every_status_was_read_does_not_fail():
    assert _jobs.batch_failure({"jobs": [{"job_name": "a", "status": "RUNNING"}]}) is None


@pytest.mark.parametrize("retryables, retryable", [((True, True), True), ((True, False), False)])
def test_a_batch_fails_naming_each_unread_job_and_is_retryable_only_when_each_one_is(retryables, retryable):
    jobs = [{"job_name": "ok", "status": "RUNNING"}] + [
        {"job_name": "j%d" % number, "failed": True, "msg": "HTTP %d" % number, "retryable": flag}
        for number, flag in enumerate(retryables)]
    assert _jobs.batch_failure({"jobs": jobs}) == {
        "msg": "could not read the status of 2 of 3 jobs: j0: HTTP 0; j1: HTTP 1", "retryable": retryable}
