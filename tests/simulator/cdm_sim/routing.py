# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The API's surface: which path and method is which route, and the /_sim/ control calls.

The raw path is split on ``/`` and each segment is percent-decoded on its own,
so a job name may hold ``%2F``, spaces or unicode without reaching another route.
"""

import json
from urllib.parse import urlsplit

JSON_CONTENT_TYPE = "application/json;charset=UTF-8"
HTML_CONTENT_TYPE = "text/html;charset=UTF-8"
CDM_ROUTES = ("cluster_list", "cluster_show", "status", "start", "stop", "job_show", "job_list", "submissions")
ROUTES = CDM_ROUTES + ("token",)


def json_bytes(payload):
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


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


def dispatch(state, route, params, query, body):
    """Run a CDM route on the state: returns (status, payload), a CDM error in the scenario's shape."""
    status, payload = _run(state, route, params, query, body)
    return status, state.shape_error(payload)


def _run(state, route, params, query, body):
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


def control(state, method, segments, doc):
    """A /_sim/ control call (no authentication): returns (status, payload)."""
    if segments == ["health"] and method == "GET":
        return 200, {"ok": True}
    if segments == ["stats"] and method == "GET":
        return 200, state.snapshot_stats()
    if segments == ["reset_stats"] and method == "POST":
        state.reset_stats()
        return 200, {"ok": True}
    if segments == ["faults"]:
        if method == "GET":
            return 200, {"faults": state.faults.listing()}
        if method == "POST":
            state.faults.add(doc)
            return 200, {"ok": True, "faults": state.faults.listing()}
        if method == "DELETE":
            state.faults.clear()
            return 200, {"ok": True}
    if segments == ["revoke_tokens"] and method == "POST":
        include_static = bool(isinstance(doc, dict) and doc.get("static"))
        return 200, {"ok": True, "revoked": state.auth.revoke_tokens(include_static)}
    if segments == ["unlock"] and method == "POST":
        state.auth.unlock_keys()
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
