# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A local stand-in for the Huawei Cloud CDM API and the IAM token call.

Standard library only (PyYAML is used for ``.yml`` scenarios when it is
importable). Run it as a program (see ``--help`` and README.md) or use the
:class:`Simulator` class in-process::

    sim = Simulator(scenario={...} or "path.yml", speed=600).start()
    ... requests against sim.url ...
    sim.stop()

What it imitates, and where it had to choose (the choices are marked
"CHOICE" in comments):

* The API gateway (APIG): authentication (X-Auth-Token, SDK-HMAC-SHA256
  AK/SK signatures verified with the collection's own ``_signer`` module),
  ``{"error_code": "APIG.xxxx", "error_msg", "request_id"}`` errors and an
  ``X-Request-Id`` header on every answer.
* CDM: jobs whose submissions go BOOTING -> RUNNING -> outcome on simulated
  time, computed lazily from the clock on every request, and CDM's own
  ``{"errCode": "Cdm.xxxx", "externalMessage"}`` errors (HTTP 400).
* IAM: ``POST /v3/auth/tokens`` with a password identity.
* Fault injection and a small control API under ``/_sim/``.
"""

import argparse
import copy
import datetime
import hashlib
import hmac
import importlib.util
import json
import os
import secrets
import signal
import socket
import ssl
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

try:
    import yaml
except ImportError:  # JSON scenarios still work without PyYAML
    yaml = None


def _load_signer():
    """Import plugins/module_utils/_signer.py by file path (no copy of its logic)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir,
                        "plugins", "module_utils", "_signer.py")
    spec = importlib.util.spec_from_file_location("_cdm_simulator_signer", os.path.normpath(path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


signer = _load_signer()

JSON_CONTENT_TYPE = "application/json;charset=UTF-8"
HTML_CONTENT_TYPE = "text/html;charset=UTF-8"
MAX_BODY = 1024 * 1024
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

# ---------------------------------------------------------------------------
# Scenario
# ---------------------------------------------------------------------------

# The built-in default scenario. scenarios/default.yml is the same document
# (a test keeps the two equal); this copy makes the default independent of PyYAML.
DEFAULT_SCENARIO = {
    "name": "default",
    "speed": 60,
    "project_id": None,
    "region": "cn-north-4",
    "token_ttl": 86400,
    "tokens": ["sim-token"],
    "access_keys": [{"access_key": "sim-ak", "secret_key": "sim-sk"}],
    "users": [{"name": "sim-user", "password": "sim-password", "domain": "sim-domain"}],
    "clusters": [{
        "id": "6ec9a0a4-76be-4262-8697-e7af1fac7920",
        "name": "cdm-demo",
        "jobs": [
            {
                "name": "jdbc2hive",
                "duration": 120,
                "outcome": "succeeded",
                "rows_written": 120000,
                "bytes_written": 15360000,
                "from_connector": "generic-jdbc-connector",
                "to_connector": "hive-connector",
            },
            {
                "name": "obs2dws",
                "duration": 60,
                "outcome": "failed",
                "rows_written": 5000,
                "from_connector": "obs-connector",
                "to_connector": "dws-connector",
                "error_summary": "Failed to write data to DWS: value too long for type character varying(32).",
                "error_details": ("org.apache.sqoop.common.SqoopException: DWS_CONNECTOR_0003:Failed to write data. "
                                  "Cause: ERROR: value too long for type character varying(32)\n"
                                  "\tat org.apache.sqoop.connector.dws.DwsLoader.load(DwsLoader.java:212)"),
            },
            {
                "name": "mysql2obs",
                "duration": 300,
                "outcome": "succeeded",
                "from_connector": "generic-jdbc-connector",
                "to_connector": "obs-connector",
            },
            {
                "name": "nightly_sync",
                "duration": 900,
                "outcome": "succeeded",
                "rows_written": 500000,
                "from_connector": "generic-jdbc-connector",
                "to_connector": "generic-jdbc-connector",
                "history": [{"outcome": "succeeded", "finished_ago": 43200}],
            },
            {
                "name": "long_running",
                "duration": 3600,
                "outcome": "succeeded",
                "rows_written": 9000000,
                "from_connector": "hive-connector",
                "to_connector": "obs-connector",
            },
        ],
    }],
    "faults": [],
}

TOP_KEYS = ("name", "description", "speed", "project_id", "region", "token_ttl", "tokens", "access_keys",
            "users", "clusters", "faults", "aksk_lockout", "max_skew")
CLUSTER_KEYS = ("id", "name", "jobs", "details")
JOB_KEYS = ("name", "duration", "boot", "outcome", "rows_written", "bytes_written", "files", "counters",
            "error_summary", "error_details", "history", "autostart", "from_connector", "to_connector",
            "from_link", "to_link", "definition")
HISTORY_KEYS = ("outcome", "finished_ago", "duration", "boot", "rows_written", "bytes_written", "files",
                "counters", "error_summary", "error_details")
FAULT_KEYS = ("kind", "count", "job", "path", "route", "after", "retry_after", "delay", "bytes", "variant",
              "status", "body", "content_type", "headers", "format")

# Faults answered by the "gateway" before the request reaches the simulated CDM (no side effects).
SHORT_CIRCUIT_FAULTS = ("throttle", "http_500", "http_502", "http_503", "http_504", "drop", "html",
                        "token_expired", "auth_fail", "forbidden", "custom")
# Faults that alter the real answer (the request is executed: a start does start the job).
REWRITE_FAULTS = ("malformed_json", "empty", "oversize", "type_quirks", "wrong_types", "shape_change")
FAULT_KINDS = SHORT_CIRCUIT_FAULTS + REWRITE_FAULTS + ("slow",)
AUTH_FAULTS = ("token_expired", "auth_fail", "forbidden")
SUBMISSION_FAULTS = ("type_quirks", "wrong_types", "shape_change")
SUBMISSION_ROUTES = ("status", "start", "submissions")
CDM_ROUTES = ("cluster_list", "cluster_show", "status", "start", "stop", "job_show", "job_list", "submissions")
ROUTES = CDM_ROUTES + ("token",)
SHAPE_VARIANTS = ("object", "extra_fields", "new_status", "missing_fields", "list")


class ScenarioError(ValueError):
    """A scenario or a fault definition is invalid."""


def load_scenario(path):
    """Read a scenario file: JSON always, YAML when PyYAML is importable."""
    with open(path, "rb") as handle:
        text = handle.read().decode("utf-8")
    if path.lower().endswith(".json"):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ScenarioError("%s: invalid JSON: %s" % (path, exc))
    if yaml is None:
        try:
            return json.loads(text)
        except ValueError:
            raise ScenarioError("%s: PyYAML is not installed, so only JSON scenarios can be read" % path)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError("%s: invalid YAML: %s" % (path, exc))


def _check_keys(what, data, allowed):
    if not isinstance(data, dict):
        raise ScenarioError("%s must be a mapping" % what)
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ScenarioError("%s: unknown key(s) %s (allowed: %s)" % (what, ", ".join(unknown), ", ".join(allowed)))


def _number(what, value, minimum=0.0, integer=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError("%s must be a number" % what)
    if value < minimum:
        raise ScenarioError("%s must be >= %s" % (what, minimum))
    return int(value) if integer else float(value)


def _text(what, value, allow_none=False):
    if value is None and allow_none:
        return None
    if not isinstance(value, str) or not value:
        raise ScenarioError("%s must be a non-empty string" % what)
    return value


def derive_counters(rows, nbytes, files, override=None):
    counters = {
        "BYTES_WRITTEN": nbytes, "TOTAL_FILES": files, "ROWS_READ": rows, "BYTES_READ": nbytes,
        "ROWS_WRITTEN": rows, "FILES_WRITTEN": files, "FILES_READ": files, "TOTAL_SIZE": nbytes,
        "FILES_SKIPPED": 0, "ROWS_WRITTEN_SKIPPED": 0,
    }
    counters.update(override or {})
    return counters


def _normalize_run(what, data, defaults):
    """The fields a job and its history entries share, with defaults."""
    run = {}
    outcome = data.get("outcome", defaults.get("outcome", "succeeded"))
    if outcome not in OUTCOMES:
        raise ScenarioError("%s: outcome must be one of %s" % (what, ", ".join(OUTCOMES)))
    run["outcome"] = outcome
    run["duration"] = _number(what + ".duration", data.get("duration", defaults.get("duration", 60)))
    run["boot"] = min(_number(what + ".boot", data.get("boot", defaults.get("boot", 10))), run["duration"])
    rows = _number(what + ".rows_written", data.get("rows_written", defaults.get("rows_written", 1000)), integer=True)
    nbytes = _number(what + ".bytes_written", data.get("bytes_written", defaults.get("bytes_written", rows * 128)), integer=True)
    files = _number(what + ".files", data.get("files", defaults.get("files", 0)), integer=True)
    override = data.get("counters", defaults.get("counters"))
    if override is not None and not isinstance(override, dict):
        raise ScenarioError("%s.counters must be a mapping" % what)
    run["rows_written"] = rows
    run["bytes_written"] = nbytes
    run["files"] = files
    run["counters"] = override
    run["error_summary"] = str(data.get("error_summary", defaults.get(
        "error_summary", "Job execution failed.")))
    run["error_details"] = str(data.get("error_details", defaults.get(
        "error_details", "org.apache.sqoop.common.SqoopException: job execution failed.")))
    return run


def normalize_fault(fault):
    """Validate one fault definition and fill in its defaults (returns a new dict)."""
    _check_keys("fault", fault, FAULT_KEYS)
    kind = fault.get("kind")
    if kind not in FAULT_KINDS:
        raise ScenarioError("fault kind must be one of %s, not %r" % (", ".join(FAULT_KINDS), kind))
    out = {"kind": kind}
    count = fault.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count == 0 or count < -1:
        raise ScenarioError("fault count must be a positive integer, or -1 for unlimited")
    out["count"] = count
    out["after"] = _number("fault after", fault.get("after", 0), integer=True)
    out["job"] = _text("fault job", fault.get("job"), allow_none=True)
    out["path"] = _text("fault path", fault.get("path"), allow_none=True)
    route = fault.get("route")
    if route is not None and route not in ROUTES:
        raise ScenarioError("fault route must be one of %s" % ", ".join(ROUTES))
    out["route"] = route
    if kind == "throttle":
        # CHOICE: a missing retry_after means "Retry-After: 1"; an explicit null sends no header.
        retry_after = fault.get("retry_after", 1)
    else:
        retry_after = fault.get("retry_after")
    out["retry_after"] = None if retry_after is None else str(retry_after)
    out["delay"] = _number("fault delay", fault.get("delay", 2.0))
    out["bytes"] = _number("fault bytes", fault.get("bytes", 20 * 1024 * 1024), integer=True)
    variant = fault.get("variant")
    if kind == "shape_change":
        variant = variant or "object"
        if variant not in SHAPE_VARIANTS:
            raise ScenarioError("shape_change variant must be one of %s" % ", ".join(SHAPE_VARIANTS))
    elif kind == "drop":
        variant = variant or "close"
        if variant not in ("close", "reset"):
            raise ScenarioError("drop variant must be close or reset")
    out["variant"] = variant
    status = fault.get("status")
    if kind == "custom":
        status = _number("fault status", 500 if status is None else status, minimum=100, integer=True)
    out["status"] = status
    fmt = fault.get("format")
    if fmt is None and kind.startswith("http_"):
        # Load balancers in front of the gateway answer 502/504 with an HTML page.
        fmt = "html" if kind in ("http_502", "http_504") else "json"
    if fmt not in (None, "json", "html"):
        raise ScenarioError("fault format must be json or html")
    out["format"] = fmt
    out["body"] = fault.get("body")
    out["content_type"] = fault.get("content_type")
    headers = fault.get("headers") or {}
    if not isinstance(headers, dict):
        raise ScenarioError("fault headers must be a mapping")
    out["headers"] = dict((str(k), str(v)) for k, v in headers.items())
    out["seen"] = 0
    return out


def _link_name(connector):
    return connector.replace("-connector", "").replace("-", "_") + "_link"


def normalize_scenario(data):
    """Validate a scenario document and return it with every default filled in."""
    if data is None:
        data = {}
    _check_keys("scenario", data, TOP_KEYS)
    out = {
        "name": str(data.get("name", "scenario")),
        "speed": _number("speed", data.get("speed", 60)),
        "project_id": _text("project_id", data.get("project_id"), allow_none=True),
        "region": _text("region", data.get("region", "cn-north-4")),
        "token_ttl": _number("token_ttl", data.get("token_ttl", 86400)),
        "max_skew": _number("max_skew", data.get("max_skew", 900)),
    }
    if out["speed"] <= 0:
        raise ScenarioError("speed must be > 0")
    tokens = data.get("tokens") or []
    if not isinstance(tokens, list):
        raise ScenarioError("tokens must be a list of strings")
    out["tokens"] = [_text("tokens[]", token) for token in tokens]
    keys = []
    for index, entry in enumerate(data.get("access_keys") or []):
        what = "access_keys[%d]" % index
        _check_keys(what, entry, ("access_key", "secret_key", "security_token"))
        keys.append({
            "access_key": _text(what + ".access_key", entry.get("access_key")),
            "secret_key": _text(what + ".secret_key", entry.get("secret_key")),
            "security_token": _text(what + ".security_token", entry.get("security_token"), allow_none=True),
        })
    out["access_keys"] = keys
    users = []
    for index, entry in enumerate(data.get("users") or []):
        what = "users[%d]" % index
        _check_keys(what, entry, ("name", "password", "domain"))
        users.append({
            "name": _text(what + ".name", entry.get("name")),
            "password": _text(what + ".password", entry.get("password")),
            "domain": _text(what + ".domain", entry.get("domain")),
        })
    out["users"] = users
    lockout = data.get("aksk_lockout", {"failures": 5, "seconds": 300})
    if lockout is None:
        lockout = {"failures": 0, "seconds": 0}
    _check_keys("aksk_lockout", lockout, ("failures", "seconds"))
    out["aksk_lockout"] = {
        "failures": _number("aksk_lockout.failures", lockout.get("failures", 5), integer=True),
        "seconds": _number("aksk_lockout.seconds", lockout.get("seconds", 300)),
    }
    clusters = data.get("clusters")
    if not isinstance(clusters, list) or not clusters:
        raise ScenarioError("clusters must be a non-empty list")
    out["clusters"] = []
    for cindex, cluster in enumerate(clusters):
        what = "clusters[%d]" % cindex
        _check_keys(what, cluster, CLUSTER_KEYS)
        details = cluster.get("details") or {}
        if not isinstance(details, dict):
            raise ScenarioError(what + ".details must be a mapping")
        ncluster = {
            "id": _text(what + ".id", cluster.get("id")),
            "name": _text(what + ".name", cluster.get("name", cluster.get("id"))),
            "details": details,
            "jobs": [],
        }
        names = set()
        for jindex, job in enumerate(cluster.get("jobs") or []):
            jwhat = "%s.jobs[%d]" % (what, jindex)
            _check_keys(jwhat, job, JOB_KEYS)
            name = _text(jwhat + ".name", job.get("name"))
            if name in names:
                raise ScenarioError("%s: duplicate job name %r" % (jwhat, name))
            names.add(name)
            njob = _normalize_run(jwhat, job, {})
            njob["name"] = name
            njob["autostart"] = bool(job.get("autostart", False))
            njob["from_connector"] = str(job.get("from_connector", "generic-jdbc-connector"))
            njob["to_connector"] = str(job.get("to_connector", "hive-connector"))
            njob["from_link"] = str(job.get("from_link", _link_name(njob["from_connector"])))
            njob["to_link"] = str(job.get("to_link", _link_name(njob["to_connector"])))
            definition = job.get("definition") or {}
            if not isinstance(definition, dict):
                raise ScenarioError(jwhat + ".definition must be a mapping")
            njob["definition"] = definition
            history = []
            for hindex, entry in enumerate(job.get("history") or []):
                hwhat = "%s.history[%d]" % (jwhat, hindex)
                _check_keys(hwhat, entry, HISTORY_KEYS)
                run = _normalize_run(hwhat, entry, njob)
                run["finished_ago"] = _number(hwhat + ".finished_ago", entry.get("finished_ago", 86400))
                history.append(run)
            njob["history"] = history
            ncluster["jobs"].append(njob)
        out["clusters"].append(ncluster)
    faults = data.get("faults") or []
    if not isinstance(faults, list):
        raise ScenarioError("faults must be a list")
    out["faults"] = [normalize_fault(fault) for fault in faults]
    return out


def apply_overrides(scenario, speed=None, token=None, access_key=None, secret_key=None,
                    user=None, password=None, domain=None):
    """Return a copy of a raw scenario document with the command-line overrides applied."""
    scenario = copy.deepcopy(scenario) if scenario is not None else {}
    if not isinstance(scenario, dict):
        raise ScenarioError("a scenario is a mapping")
    if speed is not None:
        scenario["speed"] = speed
    if token is not None:
        scenario["tokens"] = [token]
    if (access_key is None) != (secret_key is None):
        raise ScenarioError("--access-key and --secret-key go together")
    if access_key is not None:
        scenario["access_keys"] = [{"access_key": access_key, "secret_key": secret_key}]
    if user is not None or password is not None or domain is not None:
        base = dict((scenario.get("users") or [{}])[0])
        for key, value in (("name", user), ("password", password), ("domain", domain)):
            if value is not None:
                base[key] = value
        scenario["users"] = [base]
    return scenario


# ---------------------------------------------------------------------------
# Jobs and submissions
# ---------------------------------------------------------------------------

def _ms(seconds):
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
        created_ms = _ms(self.created)
        if outcome is None:
            updated_ms = _ms(now)
            write_rows = int(run["rows_written"] * progress / 100.0)
        else:
            updated_ms = _ms(self.end_time())
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
        created_ms = _ms(self.created)
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
        updated = _ms(min(now, latest.end_time())) if latest else _ms(self.created)
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
            "creation-date": _ms(self.created),
            "update-user": "cdm",
            "update-date": _ms(self.created),
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


def _cdm_error(code, message):
    return 400, {"errCode": code, "externalMessage": message}


def _job_missing(name):
    return _cdm_error("Cdm.0100", "Job[%s] doesn't exist." % name)


def _iam_error(status, title, message):
    return status, {"error": {"code": str(status), "message": message, "title": title}}


def _same(left, right):
    """Constant-time comparison of two strings (hmac.compare_digest wants ASCII for str)."""
    return hmac.compare_digest(left.encode("utf-8"), right.encode("utf-8"))


def _stable_id(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _iso(seconds):
    moment = datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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
        self.tokens = {}          # issued token -> {"expires", "project_id", "revoked"}
        self.static_revoked = False
        self.key_failures = {}    # access key -> consecutive failures
        self.key_locked = {}      # access key -> monotonic time the lock ends
        self.in_flight = 0
        self.reset_stats()
        self.reset()

    # -- state -------------------------------------------------------------

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
            self.faults = [dict(fault) for fault in self.scenario["faults"]]
            self.key_failures = {}
            self.key_locked = {}

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

    # -- faults ------------------------------------------------------------

    def add_faults(self, faults):
        if isinstance(faults, dict):
            faults = [faults]
        if not isinstance(faults, list):
            raise ScenarioError("a fault is a mapping; send one or a list")
        normalized = [normalize_fault(fault) for fault in faults]
        with self.lock:
            self.faults.extend(normalized)
            return len(self.faults)

    def clear_faults(self):
        with self.lock:
            self.faults = []

    def list_faults(self):
        with self.lock:
            return [dict((k, v) for k, v in fault.items() if k != "seen") for fault in self.faults]

    @staticmethod
    def _fault_applies(fault, route, job, paths, has_token):
        kind = fault["kind"]
        if fault["job"] is not None and fault["job"] != job:
            return False
        if fault["route"] is not None and fault["route"] != route:
            return False
        if fault["path"] is not None and not any(fault["path"] in path for path in paths):
            return False
        if kind in AUTH_FAULTS and route not in CDM_ROUTES:
            return False
        if kind == "token_expired" and not has_token:
            return False  # an AK/SK-signed request has no token to expire
        if kind in SUBMISSION_FAULTS and route not in SUBMISSION_ROUTES:
            return False
        return True

    def take_fault(self, route, job, paths, has_token):
        """Consume the faults matching this request: returns (total slow delay, fault or None).

        Faults are checked in order. ``slow`` faults add up and do not stop the
        search; the first other matching fault is the one applied.
        """
        delay = 0.0
        chosen = None
        with self.lock:
            for fault in list(self.faults):
                if not self._fault_applies(fault, route, job, paths, has_token):
                    continue
                if fault["seen"] < fault["after"]:
                    fault["seen"] += 1
                    continue
                if fault["count"] > 0:
                    fault["count"] -= 1
                    if fault["count"] == 0:
                        self.faults.remove(fault)
                self._bump(self.stats["faults_applied"], fault["kind"])
                if fault["kind"] == "slow":
                    delay += fault["delay"]
                    continue
                chosen = dict(fault)
                break
        return delay, chosen

    # -- credentials -------------------------------------------------------

    def check_token(self, token, project_id):
        """Return None when the token may call this project, else (status, code, message)."""
        with self.lock:
            if token in self.scenario["tokens"]:
                if self.static_revoked:
                    return 401, "APIG.0307", "The token must be updated."
                return None
            issued = self.tokens.get(token)
            if issued is None:
                return 401, "APIG.0301", "Incorrect IAM authentication information: decrypt token fail"
            if issued["revoked"] or self.clock() >= issued["expires"]:
                return 401, "APIG.0307", "The token must be updated."
            if issued["project_id"] != project_id:
                # A token is scoped to one project (or to none, for a domain-scoped token).
                return 403, "APIG.0302", "The IAM user is forbidden in the currently selected project"
            return None

    def revoke_tokens(self, include_static=False):
        with self.lock:
            for issued in self.tokens.values():
                issued["revoked"] = True
            if include_static:
                self.static_revoked = True
            return len(self.tokens)

    def access_key(self, access_key):
        with self.lock:
            for entry in self.scenario["access_keys"]:
                if _same(entry["access_key"], access_key):
                    return entry
            return None

    def key_is_locked(self, access_key):
        with self.lock:
            until = self.key_locked.get(access_key)
            if until is None:
                return False
            if time.monotonic() >= until:
                del self.key_locked[access_key]
                self.key_failures.pop(access_key, None)
                return False
            return True

    def key_result(self, access_key, success):
        """Track consecutive signature failures; lock the key pair as the gateway does."""
        with self.lock:
            if success:
                self.key_failures.pop(access_key, None)
                return
            failures = self.key_failures.get(access_key, 0) + 1
            self.key_failures[access_key] = failures
            limit = self.scenario["aksk_lockout"]
            if limit["failures"] and failures >= limit["failures"]:
                self.key_locked[access_key] = time.monotonic() + limit["seconds"]

    def unlock_keys(self):
        with self.lock:
            self.key_failures = {}
            self.key_locked = {}

    # -- IAM ---------------------------------------------------------------

    def issue_token(self, body):
        """POST /v3/auth/tokens: returns (status, payload, headers)."""
        try:
            doc = json.loads(body.decode("utf-8"))
            auth = doc["auth"]
            identity = auth["identity"]
            methods = identity["methods"]
            user = identity["password"]["user"]
            name, password = user["name"], user["password"]
            domain = user["domain"]["name"]
            scope = auth.get("scope") or {}
            project = scope.get("project")
            project_id = None if project is None else project["id"]
            if not (isinstance(methods, list) and all(isinstance(v, str) for v in (name, password, domain))):
                raise TypeError("wrong types")
            if project_id is not None and not isinstance(project_id, str):
                raise TypeError("wrong project id type")
        except (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError):
            status, payload = _iam_error(400, "Bad Request", "The request body is invalid.")
            return status, payload, {}
        if "password" not in methods:
            status, payload = _iam_error(400, "Bad Request", "The authentication method is not supported.")
            return status, payload, {}
        with self.lock:
            known = any(
                _same(entry["name"], name) and _same(entry["password"], password) and _same(entry["domain"], domain)
                for entry in self.scenario["users"])
            if not known:
                status, payload = _iam_error(401, "Unauthorized", "The username or password is wrong.")
                return status, payload, {}
            pinned = self.scenario["project_id"]
            if project_id is not None and pinned is not None and project_id != pinned:
                status, payload = _iam_error(401, "Unauthorized", "The project ID is invalid or the user has no access to it.")
                return status, payload, {}
            now = self.clock()
            expires = now + self.scenario["token_ttl"]
            token = "MIIsim" + secrets.token_urlsafe(48)
            self.tokens[token] = {"expires": expires, "project_id": project_id, "revoked": False}
            self.stats["tokens_issued"] += 1
        domain_ref = {"id": _stable_id(domain), "name": domain}
        payload = {"token": {
            "expires_at": _iso(expires),
            "issued_at": _iso(now),
            "methods": ["password"],
            "catalog": [],
            "roles": [{"id": "0", "name": "op_fine_grained"}],
            "user": {
                "id": _stable_id(domain + "/" + name),
                "name": name,
                "domain": domain_ref,
                "password_expires_at": "",
            },
        }}
        if project_id is not None:
            payload["token"]["project"] = {"id": project_id, "name": self.scenario["region"], "domain": domain_ref}
        else:
            payload["token"]["domain"] = domain_ref
        return 201, payload, {"X-Subject-Token": token}

    # -- CDM ---------------------------------------------------------------

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
            job_type = query.get("jobType", "")
            names = [spec["name"] for spec in cluster["jobs"] if text in spec["name"]]
            if job_type not in ("", "NORMAL_JOB"):
                names = []
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


# ---------------------------------------------------------------------------
# Fault rendering
# ---------------------------------------------------------------------------

def _html_error(status, reason):
    return ("<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n<center><h1>%d %s</h1></center>\r\n"
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n" % (status, reason, status, reason)).encode("ascii")


HTTP_FAULTS = {
    # kind: (status, reason, APIG code, message)
    "http_500": (500, "Internal Server Error", "APIG.0103", "The backend does not exist."),
    "http_502": (502, "Bad Gateway", "APIG.0201", "Backend unavailable."),
    "http_503": (503, "Service Unavailable", "APIG.0201", "Backend unavailable."),
    "http_504": (504, "Gateway Timeout", "APIG.0201", "Backend timeout."),
}

LOGIN_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head>"
              b"<body><form action=\"/login\" method=\"post\"><p>Please sign in to continue.</p>"
              b"<input name=\"username\"><input name=\"password\" type=\"password\"></form></body></html>\n")


def _wrong_type(value, index):
    """A value of another JSON type than ``value`` (cycling through a few)."""
    if isinstance(value, bool):
        choices = ["true" if value else "false", int(value), None]
    elif isinstance(value, (int, float)):
        choices = [str(value), None, [value]]
    elif isinstance(value, str):
        choices = [len(value), None, [value], {"value": value}]
    elif isinstance(value, dict):
        choices = [[value], json.dumps(value), None]
    elif isinstance(value, list):
        choices = [{"items": value}, str(value), None]
    else:
        choices = ["null", 0, []]
    return choices[index % len(choices)]


def _map_submissions(payload, func):
    if isinstance(payload, dict) and isinstance(payload.get("submissions"), list):
        payload = dict(payload)
        payload["submissions"] = [func(sub) if isinstance(sub, dict) else sub for sub in payload["submissions"]]
    return payload


def _quirks(sub):
    # The seed page's own example: creation-date as a string, an integer
    # progress, and the "last-udpate-user" spelling.
    out = {}
    for key, value in sub.items():
        out["last-udpate-user" if key == "last-update-user" else key] = value
    if isinstance(out.get("creation-date"), int):
        out["creation-date"] = str(out["creation-date"])
    if isinstance(out.get("progress"), float):
        out["progress"] = int(out["progress"])
    return out


def _wrong_types(sub):
    return dict((key, _wrong_type(sub[key], index)) for index, key in enumerate(sorted(sub)))


def _shape_change(payload, fault):
    variant = fault["variant"]
    if variant == "list":
        return payload.get("submissions", payload) if isinstance(payload, dict) else payload
    if not isinstance(payload, dict) or not isinstance(payload.get("submissions"), list):
        return payload
    subs = payload["submissions"]
    payload = dict(payload)
    if variant == "object":
        payload["submissions"] = subs[0] if subs else {}
    elif variant == "new_status":
        new_status = str(fault["status"] or "PENDING_NEW")
        payload["submissions"] = [dict(sub, status=new_status) for sub in subs]
    elif variant == "missing_fields":
        payload["submissions"] = [{"job-name": sub.get("job-name")} for sub in subs]
    else:  # extra_fields
        extra = {"x-trace": {"node": "cdm-node-1", "retries": [1, 2]}, "schedule-info": None,
                 "isStopingIncrementV2": "false", "progressDetail": {"stage": "load", "percent": 12.5}}
        payload["submissions"] = [dict(sub, **extra) for sub in subs]
        payload["api-version"] = "v1.2"
        payload["next-marker"] = None
    return payload


def _json_bytes(payload):
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------

class _BadBody(Exception):
    pass


def split_target(target):
    """Return (raw path, raw query) of a request target (origin- or absolute-form)."""
    if not target.startswith("/"):
        parts = urlsplit(target)
        return parts.path or "/", parts.query
    path, _sep, query = target.partition("?")
    return path, query


def match_route(method, segments):
    """Map decoded path segments to (route, params); route is None when unknown."""
    if segments == ["v3", "auth", "tokens"]:
        return ("token", {}) if method == "POST" else (None, {})
    if len(segments) < 3 or segments[0] != "v1.1" or segments[2] != "clusters" or not segments[1]:
        return None, {}
    params = {"project_id": segments[1]}
    rest = segments[3:]
    if not rest:
        return ("cluster_list", params) if method == "GET" else (None, {})
    if not all(rest):
        return None, {}
    params["cluster_id"] = rest[0]
    if len(rest) == 1:
        return ("cluster_show", params) if method == "GET" else (None, {})
    if rest[1] != "cdm":
        return None, {}
    tail = rest[2:]
    if tail == ["submissions"] and method == "GET":
        return "submissions", params
    if len(tail) == 2 and tail[0] == "job" and method == "GET":
        if tail[1] == "all":
            return "job_list", params
        params["job"] = tail[1]
        return "job_show", params
    if len(tail) == 3 and tail[0] == "job":
        params["job"] = tail[1]
        action = (method, tail[2])
        if action == ("GET", "status"):
            return "status", params
        if action == ("PUT", "start"):
            return "start", params
        if action == ("PUT", "stop"):
            return "stop", params
    return None, {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"       # keep-alive; every answer has a Content-Length
    server_version = "CDM-Simulator/1.0"
    sys_version = ""
    timeout = 60                        # idle keep-alive connections close after a minute
    disable_nagle_algorithm = True      # headers and body are two writes: no 40 ms delayed-ACK stalls

    request_id = ""
    sent_status = None
    counted = False

    # -- connection plumbing ---------------------------------------------

    def setup(self):
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            # Handshake here, in the worker thread, not in the accept loop.
            self.connection.do_handshake()
        self.server.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_request(self, code="-", size="-"):
        pass  # the simulator writes its own log line (see _send), never headers or bodies

    def log_message(self, format, *args):
        self.server.log("%s %s" % (self.address_string(), format % args))

    def send_error(self, code, message=None, explain=None):
        # Malformed request lines and the like: answer in the gateway's shape.
        self.request_id = secrets.token_hex(16)
        self.counted = False
        self.close_connection = True
        self._apig(code, "APIG.0201", "API request error." if message is None else str(message))

    # -- responses -----------------------------------------------------------

    def _send(self, status, body=b"", content_type=JSON_CONTENT_TYPE, headers=None, note=""):
        self.send_response(status)
        self.send_header("X-Request-Id", self.request_id)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)
        self.sent_status = status
        if self.counted:
            self.server.state.count("by_status", str(status))
        self._log_line(status, note)

    def _send_json(self, status, payload, headers=None, note=""):
        self._send(status, _json_bytes(payload), headers=headers, note=note)

    def _apig(self, status, code, message, headers=None, note=""):
        self._send_json(status, {"error_code": code, "error_msg": message, "request_id": self.request_id},
                        headers=headers, note=note)

    def _log_line(self, status, note):
        path = split_target(self.path or "")[0] if getattr(self, "path", None) else "-"
        self.server.log("%s %s %s%s" % (getattr(self, "command", "-"), path, status, (" " + note) if note else ""))

    # -- request -------------------------------------------------------------

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise _BadBody(400)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > MAX_BODY:
                    raise _BadBody(413)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        raw = self.headers.get("Content-Length")
        if not raw:
            return b""
        try:
            length = int(raw)
        except ValueError:
            raise _BadBody(400)
        if length < 0:
            raise _BadBody(400)
        if length > MAX_BODY:
            raise _BadBody(413)
        return self.rfile.read(length)

    def do_GET(self):
        self.request_id = secrets.token_hex(16)
        self.sent_status = None
        self.counted = False
        state = self.server.state
        state.enter()
        try:
            self._handle(state)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True
        except Exception:
            self.close_connection = True
            traceback.print_exc(file=sys.stderr)
            if self.sent_status is None:
                self._send_json(500, {"error_code": "SIM.0500", "error_msg": "Simulator internal error.",
                                      "request_id": self.request_id})
        finally:
            state.leave()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _handle(self, state):
        try:
            body = self._read_body()
        except _BadBody as exc:
            self.close_connection = True
            status = exc.args[0]
            message = "Request entity too large." if status == 413 else "API request error."
            self._apig(status, "APIG.0201", message)
            return
        raw_path, raw_query = split_target(self.path)
        segments = [unquote(segment) for segment in raw_path.split("/")[1:]]
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        if segments and segments[0] == "_sim":
            self._control(state, segments[1:], body)
            return
        route, params = match_route(self.command, segments)
        job = params.get("job")
        if route == "submissions":
            job = query.get("jname") or None
        state.count_request(route or "unknown", job)
        self.counted = True
        if route is None:
            self._apig(404, "APIG.0101", "The API does not exist or has not been published in the environment.")
            return
        token = (self.headers.get("X-Auth-Token") or "").strip()
        delay, fault = state.take_fault(route, job, (raw_path, unquote(raw_path)), bool(token))
        if delay:
            time.sleep(delay)
        if fault is not None and fault["kind"] in SHORT_CIRCUIT_FAULTS:
            self._short_circuit(fault)
            return
        if route == "token":
            status, payload, headers = state.issue_token(body)
            headers["X-IAM-Trace-Id"] = self.request_id
        else:
            failure = self._authenticate(state, token, params["project_id"], raw_path, raw_query, body)
            if failure is not None:
                state.count_auth_failure()
                self._apig(*failure)
                return
            status, payload = self._dispatch(state, route, params, query, body)
            headers = {}
        if fault is not None:
            self._rewrite(fault, status, payload, headers)
            return
        self._send_json(status, payload, headers=headers)

    def _dispatch(self, state, route, params, query, body):
        cluster_id = params.get("cluster_id")
        job = params.get("job")
        if route == "cluster_list":
            return state.cluster_list()
        if route == "cluster_show":
            return state.cluster_show(cluster_id)
        if route == "status":
            return state.job_status(cluster_id, job)
        if route == "start":
            return state.job_start(cluster_id, job, body)
        if route == "stop":
            return state.job_stop(cluster_id, job)
        if route == "job_show":
            return state.job_show(cluster_id, job)
        if route == "job_list":
            return state.job_list(cluster_id, query)
        return state.submissions(cluster_id, query)

    # -- authentication ------------------------------------------------------

    def _authenticate(self, state, token, project_id, raw_path, raw_query, body):
        """Return None when allowed, else (status, APIG code, message).

        CHOICE: when X-Auth-Token is present it decides alone and any
        Authorization header is ignored (IAM token authentication first, as
        the vendor SDK can send both when a token is preset).
        """
        if token:
            state.count("by_auth", "token")
            failure = state.check_token(token, project_id)
        elif self.headers.get("Authorization"):
            state.count("by_auth", "aksk")
            failure = self._verify_signature(state, self.headers.get("Authorization"), raw_path, raw_query, body)
        else:
            state.count("by_auth", "none")
            failure = (401, "APIG.0301", "Incorrect IAM authentication information: Authorization not found.")
        pinned = state.scenario["project_id"]
        if failure is None and pinned is not None and project_id != pinned:
            failure = (403, "APIG.0302", "The IAM user is forbidden in the currently selected project")
        return failure

    def _verify_signature(self, state, authorization, raw_path, raw_query, body):
        prefix = "Incorrect IAM authentication information: "
        try:
            access_key, names, sig = signer.parse_authorization(authorization)
        except ValueError:
            return 401, "APIG.0301", prefix + "Authorization format incorrect."
        entry = state.access_key(access_key)
        if entry is None:
            return 401, "APIG.0301", prefix + "ak not found."
        if state.key_is_locked(access_key):
            return 401, "APIG.0301", prefix + "AK access failed to reach the limit, forbidden."
        sdk_date = self.headers.get("X-Sdk-Date")
        if not sdk_date:
            return 401, "APIG.0301", prefix + "X-Sdk-Date header is missing."
        try:
            moment = signer.parse_sdk_date(sdk_date)
        except ValueError:
            return 401, "APIG.0301", prefix + "X-Sdk-Date is not in the format YYYYMMDDTHHMMSSZ."
        # The skew check uses the real wall clock (clients sign with it), not the simulated one.
        skew = abs(time.time() - moment.timestamp())
        if skew > state.scenario["max_skew"]:
            return 401, "APIG.0301", prefix + "the request date (X-Sdk-Date) is skewed by more than 15 minutes from the server time."
        if entry["security_token"] is not None:
            received = self.headers.get("X-Security-Token") or ""
            if not _same(received, entry["security_token"]):
                state.key_result(access_key, False)
                return 401, "APIG.0301", prefix + "security token invalid."
        signed = {}
        for name in names:
            value = self.headers.get(name)
            if value is not None:
                signed[name] = value
        canonical = signer.canonical_request(self.command, raw_path, parse_qsl(raw_query, keep_blank_values=True),
                                             signed, names, body)
        expected = signer.signature(entry["secret_key"], signer.string_to_sign(sdk_date, canonical))
        if not hmac.compare_digest(expected, sig):
            state.key_result(access_key, False)
            return 401, "APIG.0301", prefix + "verify aksk signature fail."
        state.key_result(access_key, True)
        return None

    # -- faults ----------------------------------------------------------------

    def _short_circuit(self, fault):
        kind = fault["kind"]
        note = "fault=" + kind
        headers = dict(fault["headers"])
        if fault["retry_after"] is not None:
            headers["Retry-After"] = fault["retry_after"]
        if kind == "drop":
            # Close the socket without any answer (RST with variant "reset").
            self.close_connection = True
            if fault["variant"] == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.server.state.count("by_status", "dropped")
            self._log_line("dropped", note)
            return
        if kind == "throttle":
            self._apig(429, "APIG.0308", "The request is throttled.", headers=headers, note=note)
        elif kind in HTTP_FAULTS:
            status, reason, code, message = HTTP_FAULTS[kind]
            if fault["format"] == "html":
                self._send(status, _html_error(status, reason), HTML_CONTENT_TYPE, headers=headers, note=note)
            else:
                self._apig(status, code, message, headers=headers, note=note)
        elif kind == "html":
            self._send(200, LOGIN_PAGE, HTML_CONTENT_TYPE, headers=headers, note=note)
        elif kind == "token_expired":
            self._apig(401, "APIG.0307", "The token must be updated.", headers=headers, note=note)
        elif kind == "auth_fail":
            self._apig(401, "APIG.0301", "Incorrect IAM authentication information: verify aksk signature fail.",
                       headers=headers, note=note)
        elif kind == "forbidden":
            self._apig(403, "APIG.0302", "The IAM user is forbidden in the currently selected project",
                       headers=headers, note=note)
        else:  # custom
            body = fault["body"]
            content_type = fault["content_type"]
            if body is None:
                body = b""
            elif isinstance(body, str):
                body = body.encode("utf-8")
            else:
                body = _json_bytes(body)
                content_type = content_type or JSON_CONTENT_TYPE
            self._send(fault["status"], body, content_type or "text/plain;charset=UTF-8", headers=headers, note=note)

    def _rewrite(self, fault, status, payload, headers):
        kind = fault["kind"]
        note = "fault=" + kind
        headers = dict(headers, **fault["headers"])
        if kind == "malformed_json":
            body = _json_bytes(payload)
            self._send(200, body[:max(1, len(body) // 2)], headers=headers, note=note)
        elif kind == "empty":
            self._send(200, b"", headers=headers, note=note)
        elif kind == "oversize":
            padded = dict(payload) if isinstance(payload, dict) else {"data": payload}
            padded["padding"] = ""
            missing = fault["bytes"] - len(_json_bytes(padded))
            padded["padding"] = "x" * max(0, missing)
            self._send(200, _json_bytes(padded), headers=headers, note=note)
        else:
            if kind == "type_quirks":
                payload = _map_submissions(payload, _quirks)
            elif kind == "wrong_types":
                payload = _map_submissions(payload, _wrong_types)
            else:
                payload = _shape_change(payload, fault)
            self._send_json(status, payload, headers=headers, note=note)

    # -- control API -----------------------------------------------------------

    def _control(self, state, segments, body):
        method = self.command
        try:
            doc = json.loads(body.decode("utf-8")) if body.strip() else None
        except (ValueError, UnicodeDecodeError):
            self._send_json(400, {"ok": False, "error": "the body is not valid JSON"})
            return
        try:
            status, payload = self._control_route(state, method, segments, doc)
        except ScenarioError as exc:
            status, payload = 400, {"ok": False, "error": str(exc)}
        self._send_json(status, payload)

    def _control_route(self, state, method, segments, doc):
        if segments == ["health"] and method == "GET":
            return 200, {"ok": True}
        if segments == ["stats"] and method == "GET":
            return 200, state.snapshot_stats()
        if segments == ["reset_stats"] and method == "POST":
            state.reset_stats()
            return 200, {"ok": True}
        if segments == ["faults"]:
            if method == "GET":
                return 200, {"faults": state.list_faults()}
            if method == "POST":
                state.add_faults(doc)
                return 200, {"ok": True, "faults": state.list_faults()}
            if method == "DELETE":
                state.clear_faults()
                return 200, {"ok": True}
        if segments == ["revoke_tokens"] and method == "POST":
            include_static = bool(isinstance(doc, dict) and doc.get("static"))
            return 200, {"ok": True, "revoked": state.revoke_tokens(include_static)}
        if segments == ["unlock"] and method == "POST":
            state.unlock_keys()
            return 200, {"ok": True}
        if segments == ["reset"] and method == "POST":
            state.reset()
            return 200, {"ok": True}
        if segments == ["jobs"] and method == "GET":
            return 200, {"jobs": state.job_overview()}
        if len(segments) == 3 and segments[0] == "jobs" and segments[2] == "finish" and method == "POST":
            doc = doc if isinstance(doc, dict) else {}
            finished = state.finish_job(segments[1], doc.get("outcome"), doc.get("cluster_id"))
            if not finished:
                return 409, {"ok": False, "error": "job %r has no BOOTING or RUNNING submission" % segments[1]}
            return 200, {"ok": True, "submissions": finished}
        return 404, {"ok": False, "error": "unknown control endpoint"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, state, log_file=None):
        self.state = state
        self._log_file = log_file
        self._log_lock = threading.Lock()
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def track(self, connection, alive):
        with self._connections_lock:
            if alive:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self):
        with self._connections_lock:
            connections = list(self._connections)
            self._connections.clear()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def log(self, line):
        if self._log_file is None:
            return
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with self._log_lock:
            self._log_file.write("%s %s\n" % (stamp, line))
            self._log_file.flush()

    def handle_error(self, request, client_address):
        # Disconnects and failed TLS handshakes are routine here; stay quiet.
        exc = sys.exc_info()[1]
        if not isinstance(exc, (OSError, ssl.SSLError)):
            traceback.print_exc(file=sys.stderr)
        self.log("connection error from %s: %s" % (client_address[0], type(exc).__name__))


class _Server6(_Server):
    address_family = socket.AF_INET6


class Simulator:
    """The simulator, usable in-process: ``Simulator(...).start()``, ``.port``, ``.url``, ``.stop()``.

    ``scenario`` is a mapping (a scenario document), a file path, or None for
    the built-in default. ``clock`` (tests only) replaces ``time.time`` for the
    simulated jobs and token expiry; signature dates are checked against the
    real clock.
    """

    def __init__(self, scenario=None, host="127.0.0.1", port=0, speed=None, token=None, access_key=None,
                 secret_key=None, user=None, password=None, domain=None, tls_cert=None, tls_key=None,
                 log_file=None, clock=None):
        if scenario is None:
            scenario = DEFAULT_SCENARIO
        elif isinstance(scenario, str):
            scenario = load_scenario(scenario)
        scenario = apply_overrides(scenario, speed, token, access_key, secret_key, user, password, domain)
        self.state = SimState(normalize_scenario(scenario), clock)
        self._log = open(log_file, "a", encoding="utf-8") if log_file else None
        server_class = _Server6 if ":" in host else _Server
        self._server = server_class((host, port), self.state, self._log)
        self.scheme = "http"
        if tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert, tls_key)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True,
                                                      do_handshake_on_connect=False)
            self.scheme = "https"
        self.host = host
        self._thread = None

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % (self.scheme, host, self.port)

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="cdm-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5)
            self._thread = None
        self._server.server_close()
        self._server.close_connections()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # Conveniences for in-process tests (the same as the /_sim/ endpoints).
    def add_faults(self, faults):
        return self.state.add_faults(faults)

    def finish_job(self, name, outcome=None):
        return self.state.finish_job(name, outcome)

    def stats(self):
        return self.state.snapshot_stats()


def write_port_file(path, port):
    """Write the port atomically: a temporary file in the same folder, then a rename."""
    folder = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(folder, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write("%d\n" % port)
    os.replace(temp, path)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Local simulator of the Huawei Cloud CDM and IAM token APIs.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free port; see --port-file)")
    parser.add_argument("--port-file", help="write the port here once listening (atomic)")
    parser.add_argument("--scenario", help="scenario file (.json always; .yml/.yaml need PyYAML)")
    parser.add_argument("--speed", type=float, help="simulated seconds per real second (overrides the scenario)")
    parser.add_argument("--token", help="the one accepted static X-Auth-Token (overrides the scenario)")
    parser.add_argument("--access-key", help="the accepted AK (with --secret-key; overrides the scenario)")
    parser.add_argument("--secret-key", help="the accepted SK (with --access-key)")
    parser.add_argument("--user", help="IAM user name accepted by POST /v3/auth/tokens")
    parser.add_argument("--password", help="IAM password accepted by POST /v3/auth/tokens")
    parser.add_argument("--domain", help="IAM domain (account) name accepted by POST /v3/auth/tokens")
    parser.add_argument("--tls-cert", help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--log", help="append one line per request (time, method, path, status) to this file")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if (args.access_key is None) != (args.secret_key is None):
        parser.error("--access-key and --secret-key go together")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        sim = Simulator(scenario=args.scenario, host=args.host, port=args.port, speed=args.speed, token=args.token,
                        access_key=args.access_key, secret_key=args.secret_key, user=args.user,
                        password=args.password, domain=args.domain, tls_cert=args.tls_cert, tls_key=args.tls_key,
                        log_file=args.log)
    except (ScenarioError, OSError) as exc:
        sys.stderr.write("cdm_simulator: %s\n" % exc)
        return 2
    stop = threading.Event()

    def _on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    sim.start()
    if args.port_file:
        write_port_file(args.port_file, sim.port)
    sys.stderr.write("cdm_simulator: listening on %s\n" % sim.url)
    sys.stderr.flush()
    while not stop.wait(0.2):
        pass
    sim.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
