# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Everything a running simulator knows, behind one lock: jobs, statistics, and the CDM calls.

Credentials (auth.py) and pending faults (faults.py) live here too, as parts
that share the lock.
"""

import copy
import itertools
import json
import secrets
import threading
import time

from .auth import Credentials
from .clusters import cluster_view
from .faults import FaultQueue
from .jobs import OUTCOMES, RUNNING_STATUSES, Job, Submission
from .validate import ScenarioError

# CHOICE: the messages of these refusals are guesses; the codes are the vendor's.
START_ERROR_MESSAGES = {
    "Cdm.0059": "Job[%s] is disabled and cannot be submitted.",
    "Cdm.0037": "Failed to submit job[%s]. Cause: the cluster has no free executor.",
    "Cdm.0056": "Failed to submit job[%s]. Cause: the submission engine rejected the job.",
}
STOP_WARNING = "The job was stopped before all data was written."
STOP_ERROR = "The job cannot be stopped now: it is committing its output."


def _cdm_error(code, message, status=400):
    return status, {"errCode": code, "externalMessage": message}


def _job_missing(name):
    return _cdm_error("Cdm.0100", "Job[%s] doesn't exist." % name)


def _bad_variable(variables, declared):
    """Why these start variables are refused, or None: values are strings; names are declared when the job declares any."""
    for key, value in variables.items():
        if not isinstance(value, str):
            return "the value of variable %s is not a string" % key
        if declared is not None and key not in declared:
            return "variable %s is not defined in the job" % key
    return None


def _page_params(query, minimum, maximum):
    """Return (page_no, page_size) or a CDM error tuple."""
    values = []
    for name, default, low, high in (("page_no", 1, 1, 2147483647), ("page_size", 10, minimum, maximum)):
        raw = query.get(name, "")
        if raw == "":
            values.append(default)
            continue
        try:
            value = int(raw)
        except ValueError:
            return None, _cdm_error("Cdm.0009", "%s is not an integer or is beyond the value range [0, 2147483647]." % name)
        if value < low or value > high:
            return None, _cdm_error("Cdm.0010", "The integer must be within the range [%d, %d]. (%s)" % (low, high, name))
        values.append(value)
    return tuple(values), None


class SimState:
    """Everything the server knows; every public method takes the lock."""

    def __init__(self, scenario, clock=None):
        self.scenario = scenario
        real_clock = clock or time.time
        # The service's own clock may be far from the caller's; every date and the answers' Date follow it.
        self.clock = (lambda: real_clock() + scenario["clock_offset"]) if scenario["clock_offset"] else real_clock
        self.speed = scenario["speed"]
        self.lock = threading.RLock()
        self.local_id = secrets.randbelow(9000000000) + 1000000000
        self.next_submission = 1
        self.in_flight = 0
        self.auth = Credentials(self)
        self.faults = FaultQueue(self)
        self.reset_stats()
        self.reset()

    def reset(self):
        """Back to the scenario's initial jobs and faults (issued tokens survive)."""
        with self.lock:
            now = self.clock()
            self.clusters = {}
            self.jobs = {}
            job_ids = itertools.count(1)
            for cluster in self.scenario["clusters"]:
                self.clusters[cluster["id"]] = cluster
                jobs = {}
                for spec in cluster["jobs"]:
                    job = Job(cluster["id"], spec, now - 7 * 86400, job_id=next(job_ids))
                    for run in spec["history"]:
                        created = now - run["finished_ago"] - (run["pending"] + run["duration"]) / self.speed
                        job.submissions.append(self._new_submission(job, created, run))
                    if spec["autostart"]:
                        job.submissions.append(self._new_submission(job, now - spec["started_ago"], spec))
                    jobs[spec["name"]] = job
                self.jobs[cluster["id"]] = jobs
            self.faults.reset(self.scenario["faults"])
            self.auth.unlock_keys()

    def _new_submission(self, job, created, run, variables=None):
        sub_id = self.next_submission
        self.next_submission += 1
        external_id = "job_local%d_%04d" % (self.local_id, sub_id)
        return Submission(sub_id, job.name, external_id, created, run, self.speed, variables)

    def shape_error(self, payload):
        """A CDM error body in the shape the scenario asks for (``cdm_error_fields``); other payloads as they are."""
        fields = self.scenario["cdm_error_fields"]
        if fields == "errCode" or not isinstance(payload, dict) or "errCode" not in payload:
            return payload
        shaped = {"code": payload["errCode"], "message": payload["externalMessage"]}
        return dict(payload, **shaped) if fields == "both" else shaped

    def gateway_code(self, code, prefix=None):
        """A gateway error code with ``prefix``, else the scenario's (``APIG`` or ``APIGW``)."""
        if code.startswith("APIG."):
            return "%s.%s" % (prefix or self.scenario["gateway_prefix"], code[5:])
        return code

    def reset_stats(self):
        with self.lock:
            self.stats = {
                "requests": 0, "by_route": {}, "by_job": {}, "by_job_route": {}, "by_status": {},
                "by_auth": {}, "tokens_issued": 0, "auth_failures": 0, "faults_applied": {},
                "max_concurrent": 0,
            }

    def _bump(self, table, key, amount=1):
        table[key] = table.get(key, 0) + amount

    def count_request(self, route, job):
        with self.lock:
            self.stats["requests"] += 1
            self._bump(self.stats["by_route"], route)
            if job is not None:
                self._bump(self.stats["by_job"], job)
                self._bump(self.stats["by_job_route"].setdefault(job, {}), route)

    def count(self, table, key):
        with self.lock:
            self._bump(self.stats[table], key)

    def count_auth_failure(self):
        with self.lock:
            self.stats["auth_failures"] += 1

    def enter(self):
        with self.lock:
            self.in_flight += 1
            self.stats["max_concurrent"] = max(self.stats["max_concurrent"], self.in_flight)

    def leave(self):
        with self.lock:
            self.in_flight -= 1

    def snapshot_stats(self):
        with self.lock:
            stats = copy.deepcopy(self.stats)
            stats["in_flight"] = self.in_flight
            stats["faults_pending"] = len(self.faults)
            return stats

    def _lookup(self, cluster_id, job_name=None):
        """Return (job or cluster, error); error is a (status, payload) tuple."""
        jobs = self.jobs.get(cluster_id)
        if jobs is None:
            return None, _cdm_error("Cdm.0001", "Cluster[%s] doesn't exist." % cluster_id)
        if job_name is None:
            return self.clusters[cluster_id], None
        job = jobs.get(job_name)
        if job is None:
            return None, _job_missing(job_name)
        return job, None

    def cluster_list(self):
        with self.lock:
            region = self.scenario["region"]
            return 200, {"clusters": [cluster_view(cluster, index, region)
                                      for index, cluster in enumerate(self.scenario["clusters"])]}

    def cluster_show(self, cluster_id):
        with self.lock:
            for index, cluster in enumerate(self.scenario["clusters"]):
                if cluster["id"] == cluster_id:
                    return 200, cluster_view(cluster, index, self.scenario["region"])
            # CHOICE: the one-cluster call answers 404 for an unknown id (Terraform
            # assumes so), with the job calls' Cdm.0001 body.
            return _cdm_error("Cdm.0001", "Cluster[%s] doesn't exist." % cluster_id, status=404)

    def job_status(self, cluster_id, name):
        with self.lock:
            job, error = self._lookup(cluster_id, name)
            if error:
                return error
            # The API answers with the latest submission only; never run -> empty list.
            latest = job.latest
            return 200, {"submissions": [latest.render(self.clock())] if latest else []}

    def job_start(self, cluster_id, name, body):
        variables = {}
        if body.strip():
            try:
                doc = json.loads(body.decode("utf-8"))
            except (ValueError, UnicodeDecodeError):
                return _cdm_error("Cdm.0000", "System error. (the request body is not valid JSON)")
            if doc is not None:
                if not isinstance(doc, dict) or not isinstance(doc.get("variables", {}), dict):
                    return _cdm_error("Cdm.0000", "System error. (variables must be an object)")
                variables = doc.get("variables") or {}
        with self.lock:
            job, error = self._lookup(cluster_id, name)
            if error:
                return error
            spec = job.spec
            if spec["start_error"] is not None:
                return _cdm_error(spec["start_error"], START_ERROR_MESSAGES[spec["start_error"]] % name)
            now = self.clock()
            latest = job.latest
            if latest is not None and latest.status(now) in RUNNING_STATUSES:
                return _cdm_error("Cdm.0052", "Job[%s] is running." % name)
            bad = _bad_variable(variables, spec["variables"])
            if bad:
                # CHOICE: a bad runtime variable is a failed submission (Cdm.0037) with the cause.
                return _cdm_error("Cdm.0037", "Failed to submit job[%s]. Cause: %s" % (name, bad))
            sub = self._new_submission(job, now, spec, variables)
            job.submissions.append(sub)
            return 200, {"submissions": [sub.start_response()]}

    def job_stop(self, cluster_id, name):
        with self.lock:
            job, error = self._lookup(cluster_id, name)
            if error:
                return error
            now = self.clock()
            latest = job.latest
            if latest is None or latest.status(now) not in RUNNING_STATUSES:
                return _cdm_error("Cdm.0053", "Job[%s] is not running." % name)
            answer = job.spec["stop_answer"]
            if answer == "error":
                # An ERROR validation result refuses the stop: the run goes on.
                return 200, {"validation-result": [{"status": "ERROR", "message": STOP_ERROR}]}
            # CHOICE: the run ends stop_delay simulated seconds later (default at once), in
            # stop_status (default FAILED, progress -1, a "stopped" error-summary).
            latest.stop(now, job.spec["stop_delay"])
            if answer == "validation":
                return 200, {"validation-result": []}
            if answer == "warning":
                return 200, {"validation-result": [{"status": "WARNING", "message": STOP_WARNING}]}
            if answer == "submissions":
                return 200, {"submissions": [latest.render(now)]}
            return 200, {}

    def finish_job(self, name, outcome=None, cluster_id=None):
        """Control: end the running submission(s) of this job now. Returns their rendering."""
        if outcome is not None and outcome not in OUTCOMES:
            raise ScenarioError("outcome must be one of %s" % ", ".join(OUTCOMES))
        finished = []
        with self.lock:
            now = self.clock()
            for cid, jobs in self.jobs.items():
                job = jobs.get(name)
                if job is None or (cluster_id is not None and cid != cluster_id):
                    continue
                latest = job.latest
                if latest is None or latest.status(now) not in RUNNING_STATUSES:
                    continue
                latest.forced_at = now
                latest.forced_outcome = outcome or latest.run["outcome"]
                finished.append(latest.render(now))
        return finished

    def job_show(self, cluster_id, name):
        with self.lock:
            job, error = self._lookup(cluster_id, name)
            if error:
                return error
            # The list's shape, with total 0 for one job (as the reference says).
            return 200, {"total": 0, "jobs": [job.summary(self.clock())], "page_no": 1, "page_size": 10}

    def job_list(self, cluster_id, query):
        paging, error = _page_params(query, 10, 100)
        if error:
            return error
        page_no, page_size = paging
        with self.lock:
            cluster, error = self._lookup(cluster_id)
            if error:
                return error
            now = self.clock()
            text = query.get("filter", "")
            # CHOICE: jobType defaults to NORMAL_JOB, as documented; an unknown type lists nothing.
            job_type = query.get("jobType") or "NORMAL_JOB"
            names = [spec["name"] for spec in cluster["jobs"] if text in spec["name"] and spec["job_type"] == job_type]
            start = (page_no - 1) * page_size
            jobs = [self.jobs[cluster_id][name].summary(now) for name in names[start:start + page_size]]
            return 200, {"jobs": jobs, "total": len(names), "page_no": page_no, "page_size": page_size}

    def submissions(self, cluster_id, query):
        paging, error = _page_params(query, 1, 1000)
        if error:
            return error
        page_no, page_size = paging
        name = query.get("jname", "")
        with self.lock:
            job, error = self._lookup(cluster_id, name)
            if error:
                return error
            now = self.clock()
            subs = list(reversed(job.submissions))
            start = (page_no - 1) * page_size
            return 200, {"submissions": [sub.render(now) for sub in subs[start:start + page_size]],
                         "total": len(subs), "page_no": page_no, "page_size": page_size}

    def job_overview(self):
        with self.lock:
            now = self.clock()
            out = []
            for cid, jobs in self.jobs.items():
                for job in jobs.values():
                    latest = job.latest
                    out.append({
                        "cluster_id": cid,
                        "name": job.name,
                        "status": latest.status(now) if latest else "NEVER_EXECUTED",
                        "submissions": len(job.submissions),
                        "submission_id": latest.sub_id if latest else None,
                        "variables": latest.variables if latest else {},
                    })
            return out
