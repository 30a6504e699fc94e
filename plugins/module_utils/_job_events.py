# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the event source ``huaweicloud.cdm.job_events`` knows between polls, and the events a poll gives.

A poll is one job-list request for the whole cluster; only a job whose list
entry changed gets a status call. A run is keyed by its submission id, and
each of its transitions (started, stalled, finished) is reported once.
"""

from __future__ import annotations

import fnmatch
import json
import os
import tempfile

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _auth
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _connection
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _jobs
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission

# A job with no run: "NEW" in the job list, NEVER_EXECUTED from the status call.
NO_RUN = frozenset(("NEW", _submission.NEVER_EXECUTED))
# Job-list fields that change when a run begins, whichever of them the API sends [?]. Without any, a run
# that starts and ends between two polls with its predecessor's outcome leaves the list unchanged.
_RUN_FIELDS = ("external_id", "external-id", "submission-id", "submission_id", "execute-date", "execute_date",
               "execute_start_date", "execute-start-date")
# Fields that stay put once a run has ended (and move while it runs, so they are left out then).
_ENDED_FIELDS = ("last-update-date", "last_update_date", "execute_update_date")
TIME_FACTS = ("run_seconds", "eta_seconds", "idle_seconds")
STATE_VERSION = 1


def check_args(args):
    """(params, connection, auth) from the source's arguments; raises ``_options.OptionError`` naming the problem."""
    spec = dict(_options.CONNECTION_ARGSPEC)
    spec.update(_options.CLUSTER_ARGSPEC)
    spec.update(_options.JOB_EVENTS_ARGSPEC)
    # A null argument counts as not given (a rulebook's ``cluster_id: null``), as in a task.
    given = dict((name, value) for name, value in (args or {}).items() if value is not None)
    unknown = sorted(set(given) - set(spec))
    if unknown:
        raise _options.OptionError("unknown argument(s) %s; the source takes: %s" % (", ".join(unknown), ", ".join(sorted(spec))))
    result = ArgumentSpecValidator(spec, **_options.CLUSTER_CHOICE).validate(given)
    if result.error_messages:
        raise _options.OptionError("; ".join(result.error_messages))
    params = result.validated_parameters
    for name in ("interval", "stalled_after", "error_threshold", "max_backoff"):
        if not params[name] > 0:
            raise _options.OptionError("%s must be a number of seconds greater than 0" % name)
    _options.check_path_value("cluster_name" if params.get("cluster_name") is not None else "cluster_id",
                              params.get("cluster_name") or params.get("cluster_id"))
    connection = _connection.Connection.from_params(params)
    auth = _auth.select_auth(params, connection.iam_endpoint)
    if auth is None:
        raise _options.OptionError(_auth.AUTH_METHODS_HELP)
    return params, connection, auth


def transitions(emit):
    """The transitions the ``emit`` argument selects (``finished`` is both outcomes)."""
    chosen = set(emit)
    if "finished" in chosen:
        chosen.update(("succeeded", "failed"))
    chosen.discard("finished")
    return chosen


def fingerprint(entry):
    """What of a job-list entry tells that the job's run changed: its status and the run's identity."""
    status = _submission.to_status(entry.get("status"))
    fields = _RUN_FIELDS + (_ENDED_FIELDS if _submission.is_finished(status) else ())
    return [status] + ["%s=%s" % (key, json.dumps(entry[key], sort_keys=True)) for key in fields if key in entry]


def _seconds(ms):
    return None if ms is None else ms / 1000.0


class Watcher(object):
    """One cluster's jobs between polls. ``records`` (JSON-able, see ``load_state``) survive restarts."""

    def __init__(self, cluster, jobs=None, emit=("finished",), initial=False, stalled_after=3600.0, records=None):
        self.cluster = cluster
        self.patterns = list(jobs or [])
        self.emit = transitions(emit)
        self.initial = initial
        self.stalled_after = stalled_after
        self.records = dict(records or {})
        self.polled = False
        self.outbox = []

    def wanted(self, name):
        return not self.patterns or any(fnmatch.fnmatchcase(name, pattern) for pattern in self.patterns)

    def poll(self, now):
        """The events since the last poll; raises CdmError (a failed list or status call)."""
        listed = {}
        for jobs, _total in _jobs.job_pages(self.cluster):
            for entry in jobs:
                if isinstance(entry.get("name"), str) and self.wanted(entry["name"]):
                    listed[entry["name"]] = entry
        events, self.outbox = self.outbox, []
        try:
            for name in sorted(listed):
                events.extend(self._job(name, listed[name], now))
        except _errors.CdmError:
            # These transitions are recorded as reported: they go out with the next poll that succeeds.
            self.outbox = events
            raise
        for name in [name for name in self.records if name not in listed]:
            del self.records[name]  # the job was deleted (or no longer matches)
        self.polled = True
        return events

    def _job(self, name, entry, now):
        record = self.records.get(name)
        mark = fingerprint(entry)
        if record is not None and record["fingerprint"] == mark:
            return self._stalled(name, record, entry, now)
        if record is None and not self.polled and not (self.initial and mark[0] not in NO_RUN):
            # At start-up, without a record: what ran before is the baseline (``initial`` reports it instead).
            # The submission id stays unknown until the job next changes, which saves a status call a job.
            reported = [] if mark[0] in NO_RUN else ["finished", "started"] if _submission.is_finished(mark[0]) \
                else ["started"]
            self.records[name] = dict(fingerprint=mark, submission_id=None, status=mark[0], since=now, baseline=True,
                                      reported=reported, facts=None)
            return self._stalled(name, self.records[name], entry, now)
        try:
            result, _body = _jobs.job_status(self.cluster, name)
        except _errors.CdmError as error:
            if error.kind == "job_not_found" or error.error_code in _errors.JOB_NOT_FOUND_CODES:
                self.records.pop(name, None)  # deleted between the list and the status call
                return []
            raise
        return self._changed(name, entry, mark, record, result, now)

    def _same_run(self, record, result):
        if record is None:
            return False
        if result["submission_id"] is not None and result["submission_id"] == record["submission_id"]:
            return True
        if not (record.get("baseline") and record["submission_id"] is None) or record["status"] in NO_RUN:
            return False
        if not _submission.is_finished(record["status"]):
            # The run seen running at start-up, or one after it: either way its start is not news.
            return True
        updated = _seconds((result.get("submission") or {}).get("last_update_date"))
        return updated is not None and updated <= record["since"]

    def _changed(self, name, entry, mark, record, result, now):
        same = self._same_run(record, result)
        reported = set(record["reported"]) if same else set()
        old_status = record["status"] if same else None
        status = result["status"]
        facts = self._facts(name, result)
        events = []
        if status not in NO_RUN:
            transition = ("succeeded" if _submission.is_succeeded(status) else "failed") \
                if _submission.is_finished(status) else "started"
            key = "finished" if _submission.is_finished(status) else "started"
            if key not in reported:
                reported.update((key, "started"))
                if transition in self.emit:
                    events.append(self._event(transition, facts, old_status, at_start=not self.polled))
        since = record["since"] if same and old_status == status else now
        self.records[name] = dict(fingerprint=mark, submission_id=result["submission_id"], status=status, since=since,
                                  baseline=False, reported=sorted(reported), facts=facts)
        return events + self._stalled(name, self.records[name], entry, now)

    def _stalled(self, name, record, entry, now):
        status = record["status"]
        if _submission.is_finished(status) or status in NO_RUN or "stalled" in record["reported"]:
            return []
        facts = record["facts"] or dict(self._facts(name, {"status": status}))
        known = [value for value in (_seconds(facts.get("last_update_date")),
                                     _seconds(_submission.to_int(entry.get("last-update-date")))) if value is not None]
        updated = max(known) if known else record["since"]
        if now - updated < self.stalled_after:
            return []
        record["reported"] = sorted(set(record["reported"]) | set(["stalled"]))
        if "stalled" not in self.emit:
            return []
        facts = dict(facts, idle_seconds=facts.get("idle_seconds") or round(now - updated, 3))
        return [self._event("stalled", facts, status, at_start=not self.polled)]

    def _facts(self, name, result):
        submission = result.get("submission") or {}
        facts = dict(
            job_name=name, cluster_id=self.cluster.cluster_id, submission_id=result.get("submission_id"),
            status=result.get("status"), progress=result.get("progress"),
            finished=_submission.is_finished(result.get("status")),
            succeeded=_submission.is_succeeded(result.get("status")), counters=result.get("counters") or {},
            error_summary=result.get("error_summary"), error_details=result.get("error_details"),
            creation_date=submission.get("creation_date"), execute_date=submission.get("execute_date"),
            last_update_date=submission.get("last_update_date"), is_execute_auto=submission.get("is_execute_auto"),
            request_id=result.get("request_id"))
        facts.update((key, result[key]) for key in TIME_FACTS if result.get(key) is not None)
        return facts

    @staticmethod
    def _event(transition, facts, old_status, at_start):
        return {"cdm": dict(facts, kind="job", transition=transition, old_status=old_status, at_start=at_start)}


class Outage(object):
    """Transient API errors in a row: the delay before the next try, and one event once they last too long."""

    def __init__(self, cluster_label, interval, threshold, max_backoff):
        self.cluster_label = cluster_label
        self.interval = interval
        self.threshold = threshold
        self.max_backoff = max(max_backoff, interval)
        self.since = None
        self.failures = 0
        self.reported = False

    def failed(self, error, now):
        """Note a transient error: the ``api_unavailable`` event when the outage just crossed the threshold, else None."""
        if self.since is None:
            self.since = now
        self.failures += 1
        if self.reported or now - self.since < self.threshold:
            return None
        self.reported = True
        return {"cdm": dict(self._facts(now), kind="api_unavailable", error=error.message,
                            http_status=error.http_status, error_code=error.error_code, request_id=error.request_id)}

    def delay(self, error):
        backoff = min(self.max_backoff, self.interval * 2 ** min(self.failures - 1, 16))
        return max(backoff, error.retry_after or 0)

    def succeeded(self, now):
        """End an outage: the ``api_recovered`` event if it had been reported, else None."""
        event = {"cdm": dict(self._facts(now), kind="api_recovered")} if self.reported else None
        self.since, self.failures, self.reported = None, 0, False
        return event

    def _facts(self, now):
        return dict(cluster_id=self.cluster_label, since=self.since, seconds=round(now - self.since, 3),
                    failures=self.failures)


def load_state(path, cluster_id):
    """The records a previous run of the source left for this cluster; {} when there are none."""
    try:
        with open(path) as handle:
            state = json.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        raise _options.OptionError("state_file %s cannot be read as the source's state (%s): remove it or "
                                   "name another file" % (path, error))
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        raise _options.OptionError("state_file %s is not a state file of huaweicloud.cdm.job_events "
                                   "(version %s): remove it or name another file" % (path, STATE_VERSION))
    records = (state.get("clusters") or {}).get(cluster_id)
    return records if isinstance(records, dict) else {}


def save_state(path, cluster_id, records):
    """Write this cluster's records into ``path`` (other clusters' are kept), atomically, readable by the owner only."""
    try:
        with open(path) as handle:
            state = json.load(handle)
    except (OSError, ValueError):
        state = None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION:
        state = {"version": STATE_VERSION, "clusters": {}}
    state.setdefault("clusters", {})[cluster_id] = records
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".job_events.")
    try:
        with os.fdopen(handle, "w") as out:
            json.dump(state, out, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
