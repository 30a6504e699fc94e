# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Scenarios: read a file (JSON, or YAML with PyYAML), check it, fill in every default."""

import copy
import json

try:
    import yaml
except ImportError:  # JSON scenarios still work without PyYAML
    yaml = None

from .faults import normalize_fault
from .jobs import JOB_TYPES, OUTCOMES
from .validate import ScenarioError, check_keys, number, text

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
            "users", "clusters", "faults", "aksk_lockout", "max_skew", "gateway_prefix", "cdm_error_fields",
            "job_defaults", "clock_offset")
CLUSTER_KEYS = ("id", "name", "jobs", "details", "status", "frozen")
JOB_KEYS = ("name", "duration", "boot", "pending", "outcome", "rows_written", "bytes_written", "files", "counters",
            "error_summary", "error_details", "history", "autostart", "started_ago", "from_connector", "to_connector",
            "from_link", "to_link", "definition", "job_type", "from_inputs", "to_inputs", "variables",
            "start_error", "stop_answer", "stop_delay", "stop_status")
HISTORY_KEYS = ("outcome", "finished_ago", "duration", "boot", "pending", "rows_written", "bytes_written", "files",
                "counters", "error_summary", "error_details")
GATEWAY_PREFIXES = ("APIG", "APIGW")
# errCode: {"errCode", "externalMessage"}; both: and {"code", "message"} beside them; code: only those.
CDM_ERROR_FIELDS = ("errCode", "both", "code")
START_ERRORS = ("Cdm.0059", "Cdm.0037", "Cdm.0056")
STOP_ANSWERS = ("empty", "validation", "warning", "error", "submissions")


def load_scenario(path):
    """Read a scenario file: JSON always, YAML when PyYAML is importable."""
    with open(path, "rb") as handle:
        document = handle.read().decode("utf-8")
    if path.lower().endswith(".json"):
        try:
            return json.loads(document)
        except ValueError as exc:
            raise ScenarioError("%s: invalid JSON: %s" % (path, exc))
    if yaml is None:
        try:
            return json.loads(document)
        except ValueError:
            raise ScenarioError("%s: PyYAML is not installed, so only JSON scenarios can be read" % path)
    try:
        return yaml.safe_load(document)
    except yaml.YAMLError as exc:
        raise ScenarioError("%s: invalid YAML: %s" % (path, exc))


def _normalize_run(what, data, defaults):
    """The fields a job and its history entries share, with defaults."""
    run = {}
    outcome = data.get("outcome", defaults.get("outcome", "succeeded"))
    if outcome not in OUTCOMES:
        raise ScenarioError("%s: outcome must be one of %s" % (what, ", ".join(OUTCOMES)))
    run["outcome"] = outcome
    run["duration"] = number(what + ".duration", data.get("duration", defaults.get("duration", 60)))
    run["boot"] = min(number(what + ".boot", data.get("boot", defaults.get("boot", 10))), run["duration"])
    run["pending"] = number(what + ".pending", data.get("pending", defaults.get("pending", 0)))
    rows = number(what + ".rows_written", data.get("rows_written", defaults.get("rows_written", 1000)), integer=True)
    nbytes = number(what + ".bytes_written", data.get("bytes_written", defaults.get("bytes_written", rows * 128)), integer=True)
    files = number(what + ".files", data.get("files", defaults.get("files", 0)), integer=True)
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


def _link_name(connector):
    return connector.replace("-connector", "").replace("-", "_") + "_link"


def _choice(what, value, choices):
    if value not in choices:
        raise ScenarioError("%s must be one of %s, not %r" % (what, ", ".join(str(c) for c in choices), value))
    return value


def _values(what, value, allow_none=False):
    """A mapping of names to text (job inputs, variables)."""
    if value is None and allow_none:
        return None
    if not isinstance(value, dict) or not all(isinstance(v, (str, int, float)) for v in value.values()):
        raise ScenarioError("%s must be a mapping of names to strings or numbers" % what)
    return dict((str(k), str(v)) for k, v in value.items())


def _normalize_job(what, job, scenario_defaults):
    """One job: its run fields, how it is read and how its start and stop answer."""
    job = dict(scenario_defaults, **job)
    name = text(what + ".name", job.get("name"))
    njob = _normalize_run(what, job, {})
    njob["name"] = name
    njob["autostart"] = bool(job.get("autostart", False))
    njob["started_ago"] = number(what + ".started_ago", job.get("started_ago", 0))
    njob["from_connector"] = str(job.get("from_connector", "generic-jdbc-connector"))
    njob["to_connector"] = str(job.get("to_connector", "hive-connector"))
    njob["from_link"] = str(job.get("from_link", _link_name(njob["from_connector"])))
    njob["to_link"] = str(job.get("to_link", _link_name(njob["to_connector"])))
    definition = job.get("definition") or {}
    if not isinstance(definition, dict):
        raise ScenarioError(what + ".definition must be a mapping")
    njob["definition"] = definition
    # A job_type in the definition counts too: it is where a read shows it.
    njob["job_type"] = _choice(what + ".job_type", job.get("job_type", definition.get("job_type", "NORMAL_JOB")),
                               JOB_TYPES)
    njob["from_inputs"] = _values(what + ".from_inputs", job.get(
        "from_inputs", {"schemaName": "public", "tableName": name, "whereClause": "day = '2024-01-01' AND id > 0"}))
    njob["to_inputs"] = _values(what + ".to_inputs", job.get(
        "to_inputs", {"outputDirectory": "/user/hive/warehouse/" + name}))
    njob["variables"] = _values(what + ".variables", job.get("variables"), allow_none=True)
    njob["start_error"] = _choice(what + ".start_error", job.get("start_error"), (None,) + START_ERRORS)
    njob["stop_answer"] = _choice(what + ".stop_answer", job.get("stop_answer", "empty"), STOP_ANSWERS)
    njob["stop_delay"] = number(what + ".stop_delay", job.get("stop_delay", 0))
    njob["stop_status"] = text(what + ".stop_status", job.get("stop_status", "FAILED"))
    history = []
    for hindex, entry in enumerate(job.get("history") or []):
        hwhat = "%s.history[%d]" % (what, hindex)
        check_keys(hwhat, entry, HISTORY_KEYS)
        run = _normalize_run(hwhat, entry, njob)
        run["finished_ago"] = number(hwhat + ".finished_ago", entry.get("finished_ago", 86400))
        history.append(run)
    njob["history"] = history
    return njob


def normalize_scenario(data):
    """Validate a scenario document and return it with every default filled in."""
    if data is None:
        data = {}
    check_keys("scenario", data, TOP_KEYS)
    out = {
        "name": str(data.get("name", "scenario")),
        "speed": number("speed", data.get("speed", 60)),
        "project_id": text("project_id", data.get("project_id"), allow_none=True),
        "region": text("region", data.get("region", "cn-north-4")),
        "token_ttl": number("token_ttl", data.get("token_ttl", 86400)),
        "max_skew": number("max_skew", data.get("max_skew", 900)),
        "clock_offset": number("clock_offset", data.get("clock_offset", 0), minimum=float("-inf")),
    }
    if out["speed"] <= 0:
        raise ScenarioError("speed must be > 0")
    tokens = data.get("tokens") or []
    if not isinstance(tokens, list):
        raise ScenarioError("tokens must be a list of strings")
    out["tokens"] = [text("tokens[]", token) for token in tokens]
    keys = []
    for index, entry in enumerate(data.get("access_keys") or []):
        what = "access_keys[%d]" % index
        check_keys(what, entry, ("access_key", "secret_key", "security_token"))
        keys.append({
            "access_key": text(what + ".access_key", entry.get("access_key")),
            "secret_key": text(what + ".secret_key", entry.get("secret_key")),
            "security_token": text(what + ".security_token", entry.get("security_token"), allow_none=True),
        })
    out["access_keys"] = keys
    users = []
    for index, entry in enumerate(data.get("users") or []):
        what = "users[%d]" % index
        check_keys(what, entry, ("name", "password", "domain"))
        users.append({
            "name": text(what + ".name", entry.get("name")),
            "password": text(what + ".password", entry.get("password")),
            "domain": text(what + ".domain", entry.get("domain")),
        })
    out["users"] = users
    lockout = data.get("aksk_lockout", {"failures": 5, "seconds": 300})
    if lockout is None:
        lockout = {"failures": 0, "seconds": 0}
    check_keys("aksk_lockout", lockout, ("failures", "seconds"))
    out["aksk_lockout"] = {
        "failures": number("aksk_lockout.failures", lockout.get("failures", 5), integer=True),
        "seconds": number("aksk_lockout.seconds", lockout.get("seconds", 300)),
    }
    out["gateway_prefix"] = _choice("gateway_prefix", data.get("gateway_prefix", "APIG"), GATEWAY_PREFIXES)
    out["cdm_error_fields"] = _choice("cdm_error_fields", data.get("cdm_error_fields", "errCode"), CDM_ERROR_FIELDS)
    job_defaults = data.get("job_defaults") or {}
    check_keys("job_defaults", job_defaults, tuple(key for key in JOB_KEYS if key not in ("name", "history")))
    clusters = data.get("clusters")
    if not isinstance(clusters, list) or not clusters:
        raise ScenarioError("clusters must be a non-empty list")
    out["clusters"] = []
    for cindex, cluster in enumerate(clusters):
        what = "clusters[%d]" % cindex
        check_keys(what, cluster, CLUSTER_KEYS)
        details = cluster.get("details") or {}
        if not isinstance(details, dict):
            raise ScenarioError(what + ".details must be a mapping")
        ncluster = {
            "id": text(what + ".id", cluster.get("id")),
            "name": text(what + ".name", cluster.get("name", cluster.get("id"))),
            # Any code: one the API does not document yet reads "Unknown".
            "status": text(what + ".status", str(cluster.get("status", "200"))),
            "frozen": bool(cluster.get("frozen", False)),
            "details": details,
            "jobs": [],
        }
        names = set()
        for jindex, job in enumerate(cluster.get("jobs") or []):
            jwhat = "%s.jobs[%d]" % (what, jindex)
            check_keys(jwhat, job, JOB_KEYS)
            njob = _normalize_job(jwhat, job, job_defaults)
            if njob["name"] in names:
                raise ScenarioError("%s: duplicate job name %r" % (jwhat, njob["name"]))
            names.add(njob["name"])
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
