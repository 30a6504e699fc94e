# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What ``cdm_job_info`` reads: one job, every job of a cluster, a job's runs; each normalised.

``definition`` is the job as the create and change calls take it; comparing two
definitions tells whether a job would change.
"""

from __future__ import annotations

import json
from urllib.parse import quote, unquote, urlencode

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _jobs
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission

# The keys of a job that the create and change calls take; everything else a
# read returns (users, dates, ids, status, counters, execute dates...) is the server's.
DEFINITION_KEYS = (
    "name", "job_type", "from-connector-name", "from-link-name", "from-config-values",
    "to-connector-name", "to-link-name", "to-config-values", "driver-config-values",
)
CONFIG_VALUES_KEYS = ("from-config-values", "to-config-values", "driver-config-values")
JOB_TYPES = ("NORMAL_JOB", "BATCH_JOB", "SCENARIO_JOB")

# (normalised name, converter, API keys in the order they are read: the SDK's first).
_JOB_FIELDS = (
    ("name", _submission.to_text, ("name",)),
    ("type", _submission.to_text, ("job_type", "type")),
    ("from_connector", _submission.to_text, ("from-connector-name",)),
    ("from_link", _submission.to_text, ("from-link-name",)),
    ("to_connector", _submission.to_text, ("to-connector-name",)),
    ("to_link", _submission.to_text, ("to-link-name",)),
    ("id", _submission.to_int, ("id",)),
    ("enabled", _submission.to_bool, ("enabled",)),
    ("incremental", _submission.to_bool, ("is_incre_job",)),
    ("group_name", _submission.to_text, ("group_name",)),
    ("creation_user", _submission.to_text, ("creation-user",)),
    ("creation_date", _submission.to_int, ("creation-date",)),
    ("update_user", _submission.to_text, ("update-user",)),
    ("update_date", _submission.to_int, ("update-date",)),
    ("execute_create_date", _submission.to_int, ("execute_create_date",)),
    ("execute_start_date", _submission.to_int, ("execute_start_date",)),
    ("execute_update_date", _submission.to_int, ("execute_update_date",)),
)
# The last run's counters as the job list sends them (the SDK's ``files_writte`` sic).
_COUNTERS = (
    ("rows_read", ("rows_read",)),
    ("rows_written", ("write_rows", "rows_written")),
    ("rows_updated", ("update_rows",)),
    ("rows_deleted", ("delete_rows",)),
    ("bytes_read", ("bytes_read",)),
    ("bytes_written", ("bytes_written",)),
    ("files_read", ("files_read",)),
    ("files_written", ("files_written", "files_writte")),
)


def _first(job, keys, convert):
    for key in keys:
        value = convert(job.get(key))
        if value is not None:
            return value
    return None


def _decoded_config_values(value):
    """A config-values object with each input's value URL-decoded (reads send them encoded, writes take them plain).

    Percent-escapes only: a ``+`` stays a plus, as the vendor's Terraform provider decodes them.
    """
    if not isinstance(value, dict) or not isinstance(value.get("configs"), list):
        return value
    configs = []
    for config in value["configs"]:
        if isinstance(config, dict) and isinstance(config.get("inputs"), list):
            config = dict(config, inputs=[
                dict(item, value=unquote(item["value"]))
                if isinstance(item, dict) and isinstance(item.get("value"), str) else item
                for item in config["inputs"]])
        configs.append(config)
    return dict(value, configs=configs)


def definition(job):
    """The job as the create and change calls take it: the server's fields left out, input values decoded."""
    result = {}
    for key in DEFINITION_KEYS:
        if key in job:
            value = job[key]
            result[key] = _decoded_config_values(value) if key in CONFIG_VALUES_KEYS else value
    return result


def normalise_job(job):
    """One job of a read or of the job list, in snake_case with the API's types repaired."""
    result = dict((name, _first(job, keys, convert)) for name, convert, keys in _JOB_FIELDS)
    result["status"] = _submission.to_status(job.get("status"))
    counters = dict((name, _first(job, keys, _submission.to_int)) for name, keys in _COUNTERS)
    result["counters"] = dict((name, value) for name, value in counters.items() if value is not None)
    result["definition"] = definition(job)
    return result


def list_jobs(cluster, filter_text=None, job_type=None):
    """Every job of the cluster (every page read and joined, each job once), normalised."""
    jobs, seen = [], set()
    for page, _total in _jobs.job_pages(cluster, filter_text=filter_text, job_type=job_type):
        for job in page:
            # Paging over a list that changes meanwhile can show a job twice.
            name = job.get("name")
            if name not in seen:
                seen.add(name)
                jobs.append(normalise_job(job))
    return jobs


def show_job(cluster, job_name):
    """One job, normalised; raises CdmError (the API's, e.g. Cdm.0100 for no such job)."""
    body, request_id = cluster.client.call("GET", cluster.url("job", job_name))
    jobs = body.get("jobs") if isinstance(body, dict) else None
    if not isinstance(jobs, list) or not jobs or not isinstance(jobs[0], dict):
        raise _errors.malformed_body(200, json.dumps(body)[:200], request_id, "no job in the answer")
    return normalise_job(jobs[0])


def _run_key(run):
    """What tells two runs apart across pages: the submission id, else the whole run."""
    submission_id = _submission.to_int(run.get("submission-id"))
    return submission_id if submission_id is not None else json.dumps(run, sort_keys=True)


def job_history(cluster, job_name):
    """The job's runs, normalised like ``cdm_job_status``'s submissions, newest first.

    Paging is not documented for this call: the first request sends none, and
    further pages are asked only while the answer's ``total`` says runs are
    missing, ending at a page that brings no new run (an API that ignores
    ``page_no``).
    """
    url = "%s?%s" % (cluster.url("submissions"), urlencode([("jname", job_name)], quote_via=quote))
    runs, seen = [], set()
    page, page_size = 1, None
    while True:
        query = "" if page == 1 else "&" + urlencode([("page_no", page), ("page_size", page_size)])
        body, request_id = cluster.client.call("GET", url + query)
        if not isinstance(body, dict):
            raise _errors.malformed_body(200, json.dumps(body)[:200], request_id, "no submissions in the answer")
        new = []
        for run in _submission.extract_submissions(body):
            key = _run_key(run)
            if key not in seen:
                seen.add(key)
                new.append(run)
        runs.extend(new)
        total = _submission.to_int(body.get("total"))
        if page == 1:
            page_size = _submission.to_int(body.get("page_size")) or len(new)
        if not new or total is None or len(runs) >= total or not page_size:
            break
        page += 1
    return _submission.summarise({"submissions": runs})["submissions"]
