# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Jobs and their submissions on simulated time.

A submission's status is a pure function of the clock: BOOTING, then RUNNING
with a progress rising linearly, then its outcome. Nothing runs in the
background; every request computes the status from ``now``.
"""

SQOOP_COUNTERS = "org.apache.sqoop.submission.counter.SqoopCounters"
COUNTER_NAMES = ("BYTES_WRITTEN", "TOTAL_FILES", "ROWS_READ", "BYTES_READ", "ROWS_WRITTEN",
                 "FILES_WRITTEN", "FILES_READ", "TOTAL_SIZE", "FILES_SKIPPED", "ROWS_WRITTEN_SKIPPED")
OUTCOMES = {
    "succeeded": "SUCCEEDED",
    "failed": "FAILED",
    "failure_on_submit": "FAILURE_ON_SUBMIT",
    "unknown": "UNKNOWN",
}
RUNNING_STATUSES = ("BOOTING", "RUNNING")
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
        self.forced_at = None          # real time a stop or /_sim/.../finish ended it
        self.forced_outcome = None     # outcome key, or "stopped"

    @property
    def natural_end(self):
        return self.created + self.run["duration"] / self.speed

    def end_time(self):
        if self.forced_at is not None:
            return min(self.forced_at, self.natural_end)
        return self.natural_end

    def state(self, now):
        """Return (status, progress, outcome) where outcome is set once the run is over."""
        if self.forced_at is not None and now >= self.forced_at and self.forced_at < self.natural_end:
            outcome = self.forced_outcome
            return (OUTCOMES.get(outcome, "FAILED"), None, outcome)
        simulated = (now - self.created) * self.speed
        if simulated < self.run["boot"]:
            return ("BOOTING", 0.0, None)
        if simulated < self.run["duration"]:
            running = self.run["duration"] - self.run["boot"]
            progress = 100.0 * (simulated - self.run["boot"]) / running if running > 0 else 0.0
            return ("RUNNING", round(progress, 2), None)
        return (OUTCOMES[self.run["outcome"]], None, self.run["outcome"])

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
        # The start call answers with this fixed BOOTING shape (no external-id,
        # empty isStopingIncrement, integer progress), as the vendor documents it.
        created_ms = ms(self.created)
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
            "status": "BOOTING",
            "execute-date": created_ms,
        }


class Job:
    def __init__(self, cluster_id, spec, created):
        self.cluster_id = cluster_id
        self.spec = spec
        self.name = spec["name"]
        self.created = created
        self.submissions = []

    @property
    def latest(self):
        return self.submissions[-1] if self.submissions else None

    def summary(self, now):
        latest = self.latest
        status = latest.status(now) if latest else "NEVER_EXECUTED"
        updated = ms(min(now, latest.end_time())) if latest else ms(self.created)
        spec = self.spec
        job = {
            "name": self.name,
            "job_type": "NORMAL_JOB",
            "type": "NORMAL_JOB",
            "status": status,
            "from-connector-name": spec["from_connector"],
            "to-connector-name": spec["to_connector"],
            "from-link-name": spec["from_link"],
            "to-link-name": spec["to_link"],
            "creation-user": "cdm",
            "creation-date": ms(self.created),
            "update-user": "cdm",
            "update-date": ms(self.created),
            "last-update-date": updated,
            "is_incre_job": False,
            "flag": 0,
            "files_read": 0,
            "external_id": latest.external_id if latest else "",
            "from-config-values": {"configs": [{"name": "fromJobConfig", "inputs": []}]},
            "to-config-values": {"configs": [{"name": "toJobConfig", "inputs": []}]},
            "driver-config-values": {"configs": [
                {"name": "throttlingConfig", "inputs": [{"name": "throttlingConfig.numExtractors", "value": "1"}]}]},
        }
        job.update(spec["definition"])
        return job
