# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The CDM job calls the modules make, each a URL, one request and a normalisation.

A ``Cluster`` binds the client, the project and the cluster once; each call
takes it and the job it is about.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlencode

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _timing


class Cluster(object):
    """One CDM cluster of one project, reached through one client."""

    def __init__(self, client, connection, cluster_id):
        self.client = client
        self.connection = connection
        self.cluster_id = cluster_id

    def url(self, *segments):
        """``.../v1.1/{project_id}/clusters/{cluster_id}/cdm/{segments...}``."""
        return self.connection.url("clusters", self.cluster_id, "cdm", *segments)


def status_url(cluster, job_name):
    return cluster.url("job", job_name, "status")


def job_status(cluster, job_name, history=False):
    """(result, raw body) for one job's status; raises CdmError on a failed call.

    The result holds the newest run (``submission``) and its time facts; every run
    (``submissions``) only with ``history``, as a poll needs the newest alone.
    """
    answer = cluster.client.call("GET", status_url(cluster, job_name))
    body, request_id = answer
    if not isinstance(body, dict):
        raise _errors.malformed_body(200, json.dumps(body)[:200], request_id, "a JSON %s where an object was expected" % type(body).__name__)
    result = _timing.with_facts(_submission.summarise(body, job_name=job_name), answer.date)
    if not history:
        del result["submissions"]
    result["job_name"] = job_name
    result["request_id"] = request_id
    return result, body


# Statuses the job list may report for a job that is certainly not finished:
# for these the list alone answers, without the job's own status call.
_STILL_RUNNING = frozenset(("BOOTING", "RUNNING"))
LIST_PAGE_SIZE = 100  # the API's maximum
MAX_WORKERS = 8


def job_pages(cluster, filter_text=None, job_type=None):
    """``job/all`` page by page, page 1 first: each page's jobs (objects only) and the total the API reports.

    Ends once the pages have held ``total`` jobs, or at an empty page. Counting
    the jobs received, not the pages asked, keeps every job even if the API
    sends fewer than ``page_size`` a page; and the count only grows, so the
    paging ends even if the API ignored ``page_no``. A page without a jobs list
    raises CdmError.
    """
    for jobs, total, _date in _dated_pages(cluster, filter_text, job_type):
        yield jobs, total


def _dated_pages(cluster, filter_text=None, job_type=None):
    """``job_pages``, each page with the service's time of its answer."""
    url = cluster.url("job", "all")
    extra = [(name, value) for name, value in (("filter", filter_text), ("jobType", job_type)) if value is not None]
    received = 0
    page = 1
    while True:
        query = urlencode([("page_no", page), ("page_size", LIST_PAGE_SIZE)] + extra, quote_via=quote)
        answer = cluster.client.call("GET", "%s?%s" % (url, query))
        body, request_id = answer
        jobs = body.get("jobs") if isinstance(body, dict) else None
        if not isinstance(jobs, list):
            raise _errors.malformed_body(200, json.dumps(body)[:200], request_id, "no jobs list in the answer")
        total = _submission.to_int(body.get("total"))
        yield [job for job in jobs if isinstance(job, dict)], total, answer.date
        received += len(jobs)
        if not jobs or total is None or received >= total:
            return
        page += 1


def job_list_statuses(cluster, wanted=None):
    """{job name: a result with what the job list (``job/all``) says of it}.

    With ``wanted`` (job names), paging stops once every wanted job was seen, or
    once the pages left are at least as many as the wanted jobs not yet seen:
    those then cost one status call each, so a round stays within N + 1 requests
    however many jobs the cluster holds.
    """
    listed = {}
    received = 0
    for jobs, total, date in _dated_pages(cluster):
        for job in jobs:
            if isinstance(job.get("name"), str):
                listed[job["name"]] = _from_list(job, date)
        received += len(jobs)
        if wanted is not None and total is not None:
            unseen = sum(1 for name in wanted if name not in listed)
            pages_left = -(-(total - received) // LIST_PAGE_SIZE)
            if unseen == 0 or pages_left >= unseen:
                break
    return listed


def _from_list(job, date):
    """A result for a job from its job list entry: the single form's keys, null where the list cannot say.

    The entry has the last run's dates but not its progress: its run and idle
    seconds are known, what is left is not.
    """
    status = _submission.to_status(job.get("status"))
    run = {"status": status, "progress": None,
           "execute_date": _submission.to_int(job.get("execute_start_date", job.get("execute_create_date"))),
           "last_update_date": _submission.to_int(job.get("execute_update_date", job.get("last-update-date")))}
    result = {
        "job_name": job["name"], "status": status, "progress": None, "finished": False, "succeeded": False,
        "counters": {}, "error_summary": None, "error_details": None, "submission_id": None,
        "submission": None, "request_id": None, "source": "job_list",
    }
    result.update(_timing.facts(run, date))
    return result


def _one(cluster, job_name):
    try:
        result, _body = job_status(cluster, job_name)
        result["source"] = "job_status"
        return result
    except _errors.CdmError as error:
        failed = error.as_result()
        failed.update(job_name=job_name, failed=True, finished=False, succeeded=False)
        return failed


def batch_status(cluster, job_names, workers=MAX_WORKERS):
    """One result per job, in the order asked, plus the batch's own summary.

    One job list request tells which jobs are still running; only the others
    get their own status call (concurrently, on the client's one session). If
    the list cannot be read, every job gets its own call.
    """
    try:
        listed = job_list_statuses(cluster, wanted=job_names)
    except _errors.CdmError:
        listed = {}
    results = {}
    to_fetch = []
    for name in job_names:
        entry = listed.get(name)
        if entry is not None and entry["status"] in _STILL_RUNNING:
            results[name] = entry
        else:
            to_fetch.append(name)
    if to_fetch:
        pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(to_fetch))))
        try:
            for name, result in zip(to_fetch, pool.map(lambda n: _one(cluster, n), to_fetch)):
                results[name] = result
        finally:
            pool.shutdown(wait=True)
    jobs = [results[name] for name in job_names]
    errors = [job for job in jobs if job.get("failed")]
    return {
        "jobs": jobs,
        "finished": all(job.get("finished") for job in jobs),
        "succeeded": all(job.get("succeeded") for job in jobs),
        "failed_jobs": [job["job_name"] for job in jobs if _submission.is_failure(job.get("status"))],
        "error_jobs": [job["job_name"] for job in errors],
        "requests": cluster.client.requests_made,
    }


def batch_failure(result):
    """What fails a batch_status result (``msg``, ``retryable``): the jobs whose status could not be read; else None.

    Retryable only when every one of them is: a job that cannot be found stays so.
    """
    errors = [job for job in result["jobs"] if job.get("failed")]
    if not errors:
        return None
    return {"msg": "could not read the status of %d of %d jobs: %s" % (
        len(errors), len(result["jobs"]), "; ".join("%s: %s" % (job["job_name"], job["msg"]) for job in errors)),
        "retryable": all(job.get("retryable") for job in errors)}
