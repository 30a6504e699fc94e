# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A job's definition as code: compare the wanted definition with the one CDM holds, then create, change or delete.

The comparison reads the held definition as ``cdm_job_info`` returns it (server
fields left out, values URL-decoded), so what that module exports is applied
with no change. It ignores the order of config groups and of inputs, and keys
inside a group or an input that the wanted definition does not state (the
service adds ``id`` and ``type``); a group or an input added or removed is a
change. A job with an active run is never written: it is refused, or stopped
first when the caller says so; a run is never started here.
"""

from __future__ import annotations

import copy
import time

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _job_info
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _jobs
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _runs
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _submission

STATES = ("present", "absent")
JOB_MISSING = ("Cdm.0100", "Cdm.0054")
_HINTS = {
    "Cdm.0101": "the definition names a link that does not exist on this cluster",
    "Cdm.0102": "the definition names a connector that does not exist",
    "Cdm.0104": "a job of that name exists already (created by another caller meanwhile?)",
    "Cdm.0318": "a job of that name exists already (created by another caller meanwhile?)",
    "Cdm.0319": "the job does not exist any more (deleted by another caller meanwhile?)",
}
STOP_POLL_SECONDS = 2.0


class DefinitionFailure(Exception):
    """The task fails; ``result`` is what it returns besides the job and cluster."""

    def __init__(self, message, error=None, **fields):
        super(DefinitionFailure, self).__init__(message)
        self.result = error.as_result() if error is not None else {}
        self.result.update(fields, msg=message)


def _text(value):
    """An input value as the API keeps it: text (booleans in JSON's spelling)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def check_definition(job_name, definition):
    """The definition to send: named ``job_name``, input values as text; raises OptionError for a bad one."""
    if not isinstance(definition, dict) or not definition:
        raise _options.OptionError("definition must be a non-empty dictionary: the job as the create call takes it")
    unknown = sorted(set(definition) - set(_job_info.DEFINITION_KEYS))
    if unknown:
        raise _options.OptionError("definition has unknown key(s) %s; a job definition has: %s"
                                   % (", ".join(unknown), ", ".join(_job_info.DEFINITION_KEYS)))
    if definition.get("name", job_name) != job_name:
        raise _options.OptionError("the definition's name %r is not job_name %r" % (definition["name"], job_name))
    result = copy.deepcopy(definition)
    result["name"] = job_name
    for key in _job_info.CONFIG_VALUES_KEYS:
        values = result.get(key)
        if values is None:
            continue
        if not isinstance(values, dict) or not isinstance(values.get("configs", []), list):
            raise _options.OptionError("definition.%s must be a dictionary with a configs list" % key)
        for config in values.get("configs", []):
            inputs = config.get("inputs") if isinstance(config, dict) else None
            if not isinstance(config, dict) or not isinstance(config.get("name"), str) or not isinstance(inputs, list):
                raise _options.OptionError("each config of definition.%s needs a name and an inputs list" % key)
            for item in inputs:
                if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                    raise _options.OptionError("each input of definition.%s needs a name" % key)
                if "value" in item:
                    item["value"] = _text(item["value"])
    return result


class _ByName(dict):
    """Config groups or inputs by name: the set of names must be equal, their order does not count."""


def _comparable(value, key=None):
    if key in _job_info.CONFIG_VALUES_KEYS and isinstance(value, dict) and isinstance(value.get("configs"), list):
        configs = _ByName()
        for config in value["configs"]:
            if isinstance(config, dict):
                inputs = _ByName((item.get("name"), dict(item, value=_text(item.get("value"))))
                                 for item in config.get("inputs") or [] if isinstance(item, dict))
                configs[config.get("name")] = dict(config, inputs=inputs)
        return dict(value, configs=configs)
    return value


def _covers(wanted, held):
    """Whether ``held`` says all that ``wanted`` says (keys only ``held`` has are the server's)."""
    if isinstance(wanted, dict) and isinstance(held, dict):
        if isinstance(wanted, _ByName) and set(wanted) != set(held):
            return False
        return all(key in held and _covers(value, held[key]) for key, value in wanted.items())
    return wanted == held


def matches(wanted, held):
    """Whether the held definition (decoded, as ``cdm_job_info`` gives it) is the wanted one."""
    wanted = dict(wanted)
    wanted.setdefault("job_type", "NORMAL_JOB")
    return all(key in held and _covers(_comparable(value, key), _comparable(held[key], key))
               for key, value in wanted.items())


def for_diff(definition):
    """A definition with its config groups and inputs sorted by name, so a diff shows changes, not order."""
    if not definition:
        return {}
    result = dict(definition)
    for key in _job_info.CONFIG_VALUES_KEYS:
        values = result.get(key)
        if isinstance(values, dict) and isinstance(values.get("configs"), list):
            configs = [dict(config, inputs=sorted(config["inputs"], key=lambda item: str(item.get("name"))))
                       if isinstance(config, dict) and isinstance(config.get("inputs"), list) else config
                       for config in values["configs"]]
            result[key] = dict(values, configs=sorted(configs, key=lambda config: str(config.get("name"))))
    return result


class JobDefinition(object):
    """One task's ``state: present`` or ``absent`` for one job on one cluster."""

    def __init__(self, cluster, job_name, check_mode=False, stop_running=False, stop_timeout=300):
        self.cluster = cluster
        self.job_name = job_name
        self.check_mode = check_mode
        self.stop_running = stop_running
        self.stop_timeout = stop_timeout
        self.warnings = []
        self.stopped_run = None
        self.request_id = None

    def read(self):
        """The job as ``cdm_job_info`` shows it, or None when it does not exist."""
        try:
            return _job_info.show_job(self.cluster, self.job_name)
        except _errors.CdmError as error:
            if error.error_code in JOB_MISSING:
                return None
            raise DefinitionFailure("could not read job %s: %s" % (self.job_name, error.message), error)

    def present(self, wanted):
        job = self.read()
        before = job["definition"] if job else {}
        if job is not None and matches(wanted, before):
            return self._result("unchanged", False, before, before)
        action = "changed" if job else "created"
        if not self.check_mode:
            if job is None:
                self._write("POST", self.cluster.url("job"), wanted, "create",
                            lambda found: found is not None and matches(wanted, found["definition"]))
            else:
                self._clear_run(job, "change")
                self._write("PUT", self.cluster.url("job", self.job_name), wanted, "change",
                            lambda found: found is not None and matches(wanted, found["definition"]))
        elif job is not None:
            self._clear_run(job, "change")
        return self._result(action, True, before, wanted)

    def absent(self):
        job = self.read()
        if job is None:
            return self._result("already_absent", False, {}, {})
        self._clear_run(job, "delete")
        if not self.check_mode:
            self._write("DELETE", self.cluster.url("job", self.job_name), None, "delete", lambda found: found is None)
        return self._result("deleted", True, job["definition"], {})

    def _result(self, action, changed, before, after):
        return dict(changed=changed, action=action, job_name=self.job_name, cluster_id=self.cluster.cluster_id,
                    definition=after or None, stopped_run=self.stopped_run, request_id=self.request_id,
                    diff=dict(before=for_diff(before), after=for_diff(after)))

    def _write(self, method, url, definition, what, done, cleared=False):
        body = {"jobs": [definition]} if definition is not None else None
        try:
            answer, self.request_id = self.cluster.client.call(method, url, body=body)
        except _errors.CdmError as error:
            if error.http_status is not None and 200 <= error.http_status < 300 and method == "DELETE":
                # The delete's documented answer may be empty: no JSON is no error here.
                self.request_id = error.request_id
                return
            if error.error_code == _runs.JOB_RUNNING:
                if not self.stop_running or cleared:
                    raise DefinitionFailure("job %s was started meanwhile, so it cannot be %sd; stop its run, or set "
                                            "stop_running" % (self.job_name, what), error)
                self._clear_run(self.read() or {"status": "RUNNING"}, what)
                return self._write(method, url, definition, what, done, cleared=True)
            if error.outcome_unknown:
                return self._settle(error, what, done)
            hint = " (%s)" % _HINTS[error.error_code] if error.error_code in _HINTS else ""
            raise DefinitionFailure("could not %s job %s: %s%s" % (what, self.job_name, error.message, hint), error)
        errors, warnings = _submission.validation_results(answer)
        self.warnings.extend("%s job %s: %s" % (what, self.job_name, message) for message in warnings)
        if errors:
            raise DefinitionFailure("CDM refused to %s job %s: %s (request id: %s)"
                                    % (what, self.job_name, "; ".join(errors), self.request_id or "none"),
                                    http_status=200, error_message="; ".join(errors), request_id=self.request_id,
                                    retryable=False)

    def _settle(self, error, what, done):
        """After a write whose answer was lost: the job read again tells whether it was carried out."""
        try:
            found = self.read()
        except DefinitionFailure:
            found = None if what != "delete" else {}
        if done(found):
            self.warnings.append("the %s of job %s got no answer (%s), but the job reads as wanted now"
                                 % (what, self.job_name, error.message))
            self.request_id = error.request_id
            return
        raise DefinitionFailure("the %s of job %s got no answer (%s) and the job does not read as wanted; run "
                                "the task again" % (what, self.job_name, error.message), error, retryable=True)

    def _clear_run(self, job, what):
        """Refuse a job with an active run, or stop that run and wait for its end (``stop_running``)."""
        if job.get("status") not in _runs.ACTIVE_STATUSES:
            return
        if not self.stop_running:
            raise DefinitionFailure("job %s has an active run (status %s), so it cannot be %sd (Cdm.0052); stop it "
                                    "first, or set stop_running" % (self.job_name, job["status"], what),
                                    error_code=_runs.JOB_RUNNING, retryable=False)
        if self.check_mode:
            self.stopped_run = dict(submission_id=None, status=job["status"], waited_seconds=0.0)
            return
        try:
            reading, warnings = _runs.ensure(self.cluster, self.job_name, "stopped")
        except _runs.RunFailure as failure:
            raise DefinitionFailure("could not stop the run of job %s before the %s: %s"
                                    % (self.job_name, what, failure), **failure.result)
        self.warnings.extend(warnings)
        self.stopped_run = self._wait_for_end(reading, what)

    def _wait_for_end(self, reading, what):
        started = time.monotonic()
        while True:
            waited = round(time.monotonic() - started, 1)
            if reading["status"] not in _runs.ACTIVE_STATUSES:
                return dict(submission_id=reading["submission_id"], status=reading["status"], waited_seconds=waited)
            if waited >= self.stop_timeout:
                raise DefinitionFailure(
                    "job %s's run (submission id %s) was stopped but is still %s after %s s (stop_timeout), so the job "
                    "was not %sd; run the task again later" % (self.job_name, reading["submission_id"],
                                                               reading["status"], waited, what),
                    retryable=True, stopped_run=dict(submission_id=reading["submission_id"],
                                                     status=reading["status"], waited_seconds=waited))
            time.sleep(min(STOP_POLL_SECONDS, max(self.stop_timeout - waited, 0.1)))
            try:
                reading = _jobs.job_status(self.cluster, self.job_name)[0]
            except _errors.CdmError as error:
                self.warnings.append("reading job %s's status after the stop failed (%s); trying again"
                                     % (self.job_name, error.message))


def ensure(cluster, job_name, state, definition=None, check_mode=False, stop_running=False, stop_timeout=300):
    """(result, warnings) for making ``job_name`` ``present`` with ``definition``, or ``absent``."""
    job = JobDefinition(cluster, job_name, check_mode, stop_running, stop_timeout)
    result = job.present(definition) if state == "present" else job.absent()
    return result, job.warnings
