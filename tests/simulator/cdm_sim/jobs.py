# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Jobs and their submissions on simulated time.

A submission's status is a pure function of the clock: PENDING (when the job
asks for it), BOOTING, then RUNNING with a progress rising linearly, then its
outcome. Nothing runs in the background; every request computes the status
from ``now``.
"""

from urllib.parse import quote

SQOOP_COUNTERS = "org.apache.sqoop.submission.counter.SqoopCounters"
COUNTER_NAMES = ("BYTES_WRITTEN", "TOTAL_FILES", "ROWS_READ", "BYTES_READ", "ROWS_WRITTEN",
                 "FILES_WRITTEN", "FILES_READ", "TOTAL_SIZE", "FILES_SKIPPED", "ROWS_WRITTEN_SKIPPED")
OUTCOMES = {
    "succeeded": "SUCCEEDED",
    "failed": "FAILED",
    "failure_on_submit": "FAILURE_ON_SUBMIT",
    "unknown": "UNKNOWN",
}
# A run in one of these is active: a start gets Cdm.0052, a stop stops it.
RUNNING_STATUSES = ("PENDING", "BOOTING", "RUNNING")
# The job read/list reports the last run's status in its own set (NEW: never run).
JOB_STATUSES = {"PENDING": "BOOTING", "FAILURE_ON_SUBMIT": "FAILED"}
JOB_TYPES = ("NORMAL_JOB", "BATCH_JOB", "SCENARIO_JOB")
STOPPED_SUMMARY = "The job was stopped by the user."
STOPPED_DETAILS = "org.apache.sqoop.common.SqoopException: Submission stopped: a stop request was received for this job."


def derive_counters(rows, nbytes, files, override=None):
    counters = {
        "BYTES_WRITTEN": nbytes, "TOTAL_FILES": files, "ROWS_READ": rows, "BYTES_READ": nbytes,
        "ROWS_WRITTEN": rows, "FILES_WRITTEN": files, "FILES_READ": files, "TOTAL_SIZE": nbytes,
        "FILES_SKIPPED": 0, "ROWS_WRITTEN_SKIPPED": 0,
    }
    counters.update(override or {})
    return counters


def ms(seconds):
    return int(seconds * 1000)


class Submission:
    """One run of a job. Its status is a pure function of the clock."""

    def __init__(self, sub_id, job_name, external_id, created, run, speed, variables=None):
        self.sub_id = sub_id
        self.job_name = job_name
        self.external_id = external_id
        self.created = created
        self.run = run
        self.speed = speed
        self.variables = variables or {}
        self.forced_at = None          # real time a stop or /_sim/.../finish ends it (may be ahead of now)
        self.forced_outcome = None     # outcome key, or "stopped"

    @property
    def natural_end(self):
        if self.run["outcome"] == "failure_on_submit":
            return self.created  # refused at submission: never booted
        return self.created + (self.run["pending"] + self.run["duration"]) / self.speed

    def stop(self, now, delay):
        """End the run ``delay`` simulated seconds from now (the real stop is asynchronous).

        A run already being stopped keeps its end: a second stop does not postpone it.
        """
        if self.forced_outcome == "stopped" and self.forced_at is not None:
            return
        self.forced_at = now + delay / self.speed
        self.forced_outcome = "stopped"

    def end_time(self):
        if self.forced_at is not None:
            return min(self.forced_at, self.natural_end)
        return self.natural_end

    def state(self, now):
        """Return (status, progress, outcome) where outcome is set once the run is over."""
        if self.forced_at is not None and now >= self.forced_at and self.forced_at < self.natural_end:
            outcome = self.forced_outcome
            if outcome == "stopped":
                return (self.run.get("stop_status", "FAILED"), None, outcome)
            return (OUTCOMES[outcome], None, outcome)
        if now >= self.natural_end:
            return (OUTCOMES[self.run["outcome"]], None, self.run["outcome"])
        simulated = (now - self.created) * self.speed - self.run["pending"]
        if simulated < 0:
            return ("PENDING", 0.0, None)
        if simulated < self.run["boot"]:
            return ("BOOTING", 0.0, None)
        if simulated < self.run["duration"]:
            running = self.run["duration"] - self.run["boot"]
            progress = 100.0 * (simulated - self.run["boot"]) / running if running > 0 else 0.0
            return ("RUNNING", round(progress, 2), None)
        return (OUTCOMES[self.run["outcome"]], None, self.run["outcome"])

    def started_at(self):
        """Real time the run left PENDING (its execution start)."""
        return min(self.created + self.run["pending"] / self.speed, self.end_time())

    def status(self, now):
        return self.state(now)[0]

    def render(self, now):
        status, progress, outcome = self.state(now)
        run = self.run
        created_ms = ms(self.created)
        if outcome is None:
            updated_ms = ms(now)
            write_rows = int(run["rows_written"] * progress / 100.0)
        else:
            updated_ms = ms(self.end_time())
            write_rows = run["rows_written"] if outcome == "succeeded" else 0
        sub = {
            "job-name": self.job_name,
            "submission-id": self.sub_id,
            "external-id": self.external_id,
            "status": status,
            "progress": 0.0,
            "creation-user": "cdm",
            "creation-date": created_ms,
            "execute-date": created_ms,
            "last-update-date": updated_ms,
            # The seed page spells it "last-udpate-user"; the SDK model reads
            # "last-update-user". The simulator sends the SDK's spelling; the
            # type_quirks fault sends the seed's.
            "last-update-user": "cdm",
            "isIncrementing": False,
            # Sic: "Stoping", and a string, not a boolean.
            "isStopingIncrement": "false",
            "is-execute-auto": False,
            "isDeleteJob": False,
            "delete_rows": 0,
            "update_rows": 0,
            "write_rows": write_rows,
        }
        if outcome is None:
            sub["progress"] = progress
        elif outcome == "succeeded":
            sub["progress"] = 100.0
            sub["counters"] = {SQOOP_COUNTERS: derive_counters(
                run["rows_written"], run["bytes_written"], run["files"], run["counters"])}
        elif outcome == "unknown":
            sub["progress"] = 0.0
        else:
            # FAILED (and FAILURE_ON_SUBMIT, by choice): progress -1 and the error fields.
            sub["progress"] = -1.0
            if outcome == "stopped":
                sub["error-summary"] = STOPPED_SUMMARY
                sub["error-details"] = STOPPED_DETAILS
            else:
                sub["error-summary"] = run["error_summary"]
                sub["error-details"] = run["error_details"]
        return sub

    def start_response(self):
        # The start call answers with the vendor's documented shape (no
        # external-id, empty isStopingIncrement, integer progress): BOOTING, or
        # PENDING for a queued run, or FAILURE_ON_SUBMIT for a refused one.
        created_ms = ms(self.created)
        status = self.state(self.created)[0]
        return {
            "isIncrementing": False,
            "job-name": self.job_name,
            "submission-id": self.sub_id,
            "isStopingIncrement": "",
            "last-update-date": created_ms,
            "is-execute-auto": False,
            "delete_rows": 0,
            "write_rows": 0,
            "isDeleteJob": False,
            "creation-user": "cdm",
            "progress": 0,
            "creation-date": created_ms,
            "update_rows": 0,
            "status": status,
            "execute-date": created_ms,
        }


def _config_values(config_name, inputs):
    # Reads send input values URL-encoded, as the real service does (Terraform
    # decodes them before comparing a definition).
    return {"configs": [{"name": config_name, "inputs": [
        {"name": "%s.%s" % (config_name, key), "value": quote(str(value), safe="")} for key, value in inputs.items()]}]}


class Job:
    def __init__(self, cluster_id, spec, created, job_id=1):
        self.cluster_id = cluster_id
        self.spec = spec
        self.name = spec["name"]
        self.created = created
        self.job_id = job_id
        self.submissions = []

    @property
    def latest(self):
        return self.submissions[-1] if self.submissions else None

    def summary(self, now):
        """The job as ``GET job/{name}`` and ``job/all`` show it: definition, last run's status and counters."""
        latest = self.latest
        spec = self.spec
        job = {
            "name": self.name,
            "id": self.job_id,
            "job_type": spec["job_type"],
            "type": spec["job_type"],
            "status": "NEW",
            "enabled": spec["start_error"] != "Cdm.0059",
            "group_name": "DEFAULT",
            "from-connector-name": spec["from_connector"],
            "to-connector-name": spec["to_connector"],
            "from-link-name": spec["from_link"],
            "to-link-name": spec["to_link"],
            "creation-user": "cdm",
            "creation-date": ms(self.created),
            "update-user": "cdm",
            "update-date": ms(self.created),
            "last-update-date": ms(self.created),
            "is_incre_job": False,
            "is_incrementing": False,
            "is_use_sql": False,
            "flag": 0,
            "external_id": "",
            "from-config-values": _config_values("fromJobConfig", spec["from_inputs"]),
            "to-config-values": _config_values("toJobConfig", spec["to_inputs"]),
            "driver-config-values": _config_values("throttlingConfig", {"numExtractors": "1"}),
        }
        for key in ("rows_read", "rows_written", "bytes_read", "bytes_written", "files_read", "files_written",
                    "write_rows", "update_rows", "delete_rows"):
            job[key] = 0
        if latest is not None:
            sub = latest.render(now)
            counters = (sub.get("counters") or {}).get(SQOOP_COUNTERS, {})
            job.update({
                "status": JOB_STATUSES.get(sub["status"], sub["status"]),
                "external_id": latest.external_id,
                "last-update-date": sub["last-update-date"],
                "execute_create_date": sub["creation-date"],
                "execute_start_date": ms(latest.started_at()),
                "execute_update_date": sub["last-update-date"],
                "write_rows": sub["write_rows"],
                "rows_written": counters.get("ROWS_WRITTEN", sub["write_rows"]),
                "rows_read": counters.get("ROWS_READ", sub["write_rows"]),
                "bytes_written": counters.get("BYTES_WRITTEN", 0),
                "bytes_read": counters.get("BYTES_READ", 0),
                "files_written": counters.get("FILES_WRITTEN", 0),
                "files_read": counters.get("FILES_READ", 0),
            })
        job.update(spec["definition"])
        return job
