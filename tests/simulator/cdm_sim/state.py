# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Everything a running simulator knows, behind one lock: jobs, statistics, and the CDM calls.

Credentials (auth.py) and pending faults (faults.py) live here too, as parts
that share the lock.
"""

import copy
import json
import secrets
import threading
import time

from .auth import Credentials
from .faults import FaultQueue
from .jobs import OUTCOMES, RUNNING_STATUSES, Job, Submission
from .validate import ScenarioError


def _cdm_error(code, message):
    return 400, {"errCode": code, "externalMessage": message}


def _job_missing(name):
    return _cdm_error("Cdm.0100", "Job[%s] doesn't exist." % name)


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
        self.clock = clock or time.time
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
            for cluster in self.scenario["clusters"]:
                self.clusters[cluster["id"]] = cluster
                jobs = {}
                for spec in cluster["jobs"]:
                    job = Job(cluster["id"], spec, now - 7 * 86400)
                    for run in spec["history"]:
                        created = now - run["finished_ago"] - run["duration"] / self.speed
                        job.submissions.append(self._new_submission(job, created, run))
                    if spec["autostart"]:
                        job.submissions.append(self._new_submission(job, now, spec))
                    jobs[spec["name"]] = job
                self.jobs[cluster["id"]] = jobs
            self.faults.reset(self.scenario["faults"])
            self.auth.unlock_keys()

    def _new_submission(self, job, created, run, variables=None):
        sub_id = self.next_submission
        self.next_submission += 1
        external_id = "job_local%d_%04d" % (self.local_id, sub_id)
        return Submission(sub_id, job.name, external_id, created, run, self.speed, variables)

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

    def _cluster_view(self, cluster):
        view = {
            "id": cluster["id"],
            "name": cluster["name"],
            "status": "200",
            "statusDetail": "Normal",
            "isFrozen": "0",
            "created": "2024-01-01T00:00:00",
            "updated": "2024-01-01T00:00:00",
            "flavorName": "cdm.medium",
            "azName": self.scenario["region"] + "a",
            "dbuser": "cdm",
            "clusterMode": "sharding",
            "namespace": "SYS.CDM",
            "recentEvent": 0,
            "isAutoOff": False,
            "isScheduleBootOff": False,
            "datastore": {"type": "cdm", "version": "2.10.0"},
            "actionProgress": {},
            "instances": [],
        }
        view.update(cluster["details"])
        return view

    def cluster_list(self):
        with self.lock:
            return 200, {"clusters": [self._cluster_view(cluster) for cluster in self.scenario["clusters"]]}

    def cluster_show(self, cluster_id):
        with self.lock:
            cluster, error = self._lookup(cluster_id)
            return error or (200, self._cluster_view(cluster))

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
            now = self.clock()
            latest = job.latest
            if latest is not None and latest.status(now) in RUNNING_STATUSES:
                return _cdm_error("Cdm.0052", "Job[%s] is running." % name)
            sub = self._new_submission(job, now, job.spec, variables)
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
            # CHOICE: a stopped submission ends FAILED, progress -1, with a "stopped" summary.
            latest.forced_at = now
            latest.forced_outcome = "stopped"
            return 200, {"validation-result": []}

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
            return 200, {"jobs": [job.summary(self.clock())]}

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
            # The API lists NORMAL_JOB jobs unless jobType names another type; a job's type is its definition's.
            job_type = query.get("jobType", "") or "NORMAL_JOB"
            names = [spec["name"] for spec in cluster["jobs"]
                     if text in spec["name"] and spec["definition"].get("job_type", "NORMAL_JOB") == job_type]
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
