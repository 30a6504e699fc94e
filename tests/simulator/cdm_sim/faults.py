# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fault injection: which request gets a fault, and what the fault answers.

A fault is a mapping (see README.md). Faults are checked in order; ``slow``
faults add their delays and the search goes on; the first other matching
fault is applied, either before the request reaches the simulated CDM
(``SHORT_CIRCUIT_FAULTS``), to the simulated CDM just before the request is
carried out (``BEFORE_FAULTS``), or to its real answer (``REWRITE_FAULTS``).
"""

import json
import time

from .routing import CDM_ROUTES, HTML_CONTENT_TYPE, JSON_CONTENT_TYPE, ROUTES, json_bytes
from .validate import ScenarioError, check_keys, number, text

FAULT_KEYS = ("kind", "count", "job", "path", "route", "after", "retry_after", "delay", "bytes", "variant",
              "status", "body", "content_type", "headers", "format", "prefix")

# Faults answered by the "gateway" before the request reaches the simulated CDM (no side effects).
SHORT_CIRCUIT_FAULTS = ("throttle", "http_500", "http_502", "http_503", "http_504", "drop", "html",
                        "token_expired", "auth_fail", "forbidden", "custom")
# Faults that alter the real answer (the request is executed: a start does start the job).
REWRITE_FAULTS = ("malformed_json", "empty", "oversize", "type_quirks", "wrong_types", "shape_change", "trickle",
                  "lost_answer")
# Faults that act on the simulated CDM just before the request is carried out.
BEFORE_FAULTS = ("concurrent_start",)
FAULT_KINDS = SHORT_CIRCUIT_FAULTS + REWRITE_FAULTS + BEFORE_FAULTS + ("slow",)
AUTH_FAULTS = ("token_expired", "auth_fail", "forbidden")
SUBMISSION_FAULTS = ("type_quirks", "wrong_types", "shape_change")
SUBMISSION_ROUTES = ("status", "start", "submissions")
SHAPE_VARIANTS = ("object", "extra_fields", "new_status", "missing_fields", "list")


def normalize_fault(fault):
    """Validate one fault definition and fill in its defaults (returns a new dict)."""
    check_keys("fault", fault, FAULT_KEYS)
    kind = fault.get("kind")
    if kind not in FAULT_KINDS:
        raise ScenarioError("fault kind must be one of %s, not %r" % (", ".join(FAULT_KINDS), kind))
    out = {"kind": kind}
    count = fault.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count == 0 or count < -1:
        raise ScenarioError("fault count must be a positive integer, or -1 for unlimited")
    out["count"] = count
    out["after"] = number("fault after", fault.get("after", 0), integer=True)
    out["job"] = text("fault job", fault.get("job"), allow_none=True)
    out["path"] = text("fault path", fault.get("path"), allow_none=True)
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
    out["delay"] = number("fault delay", fault.get("delay", 0.2 if kind == "trickle" else 2.0))
    out["bytes"] = number("fault bytes", fault.get("bytes", 20 * 1024 * 1024), integer=True)
    variant = fault.get("variant")
    if kind == "shape_change":
        variant = variant or "object"
        if variant not in SHAPE_VARIANTS:
            raise ScenarioError("shape_change variant must be one of %s" % ", ".join(SHAPE_VARIANTS))
    elif kind == "drop":
        variant = variant or "close"
        if variant not in ("close", "reset"):
            raise ScenarioError("drop variant must be close or reset")
    elif kind == "lost_answer":
        variant = variant or "drop"
        if variant not in ("drop", "hold"):
            raise ScenarioError("lost_answer variant must be drop or hold")
    out["variant"] = variant
    status = fault.get("status")
    if kind == "custom":
        status = number("fault status", 500 if status is None else status, minimum=100, integer=True)
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
    prefix = fault.get("prefix")
    if prefix not in (None, "APIG", "APIGW"):
        raise ScenarioError("fault prefix must be APIG or APIGW (the scenario's gateway_prefix when absent)")
    out["prefix"] = prefix
    out["seen"] = 0
    return out


class FaultQueue:
    """The pending faults of one simulator; guarded by its state's lock."""

    def __init__(self, state):
        self._state = state
        self.pending = []

    def reset(self, faults):
        with self._state.lock:
            self.pending = [dict(fault) for fault in faults]

    def add(self, faults):
        if isinstance(faults, dict):
            faults = [faults]
        if not isinstance(faults, list):
            raise ScenarioError("a fault is a mapping; send one or a list")
        normalized = [normalize_fault(fault) for fault in faults]
        with self._state.lock:
            self.pending.extend(normalized)
            return len(self.pending)

    def clear(self):
        with self._state.lock:
            self.pending = []

    def listing(self):
        with self._state.lock:
            return [dict((k, v) for k, v in fault.items() if k != "seen") for fault in self.pending]

    def __len__(self):
        with self._state.lock:
            return len(self.pending)

    @staticmethod
    def _applies(fault, route, job, paths, has_token):
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
        if kind == "concurrent_start" and route != "start":
            return False
        return True

    def take(self, route, job, paths, has_token):
        """Consume the faults matching this request: returns (total slow delay, fault or None)."""
        delay = 0.0
        chosen = None
        with self._state.lock:
            for fault in list(self.pending):
                if not self._applies(fault, route, job, paths, has_token):
                    continue
                if fault["seen"] < fault["after"]:
                    fault["seen"] += 1
                    continue
                if fault["count"] > 0:
                    fault["count"] -= 1
                    if fault["count"] == 0:
                        self.pending.remove(fault)
                self._state.count("faults_applied", fault["kind"])
                if fault["kind"] == "slow":
                    delay += fault["delay"]
                    continue
                chosen = dict(fault)
                break
        return delay, chosen


# ---------------------------------------------------------------------------
# What a fault answers. ``handler`` is the request handler (app.py); these
# functions only use its public send_* methods.
# ---------------------------------------------------------------------------

def html_error(status, reason):
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


def short_circuit(handler, fault):
    """Answer in the gateway's place: the request never reaches the simulated CDM."""
    kind = fault["kind"]
    note = "fault=" + kind
    headers = dict(fault["headers"])
    if fault["retry_after"] is not None:
        headers["Retry-After"] = fault["retry_after"]
    if kind == "drop":
        handler.drop(reset=fault["variant"] == "reset", note=note)
    elif kind == "throttle":
        handler.send_apig(429, "APIG.0308", "The request is throttled.", headers=headers, note=note)
    elif kind in HTTP_FAULTS:
        status, reason, code, message = HTTP_FAULTS[kind]
        if fault["format"] == "html":
            handler.send_body(status, html_error(status, reason), HTML_CONTENT_TYPE, headers=headers, note=note)
        else:
            handler.send_apig(status, code, message, headers=headers, note=note)
    elif kind == "html":
        handler.send_body(200, LOGIN_PAGE, HTML_CONTENT_TYPE, headers=headers, note=note)
    elif kind == "token_expired":
        handler.send_apig(401, "APIG.0307", "The token must be updated.", headers=headers, note=note)
    elif kind == "auth_fail":
        handler.send_apig(401, "APIG.0301", "Incorrect IAM authentication information: verify aksk signature fail.",
                          headers=headers, note=note)
    elif kind == "forbidden":
        handler.send_apig(403, "APIG.0302", "The IAM user is forbidden in the currently selected project",
                          headers=headers, note=note)
    else:  # custom
        body = fault["body"]
        content_type = fault["content_type"]
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode("utf-8")
        else:
            body = json_bytes(body)
            content_type = content_type or JSON_CONTENT_TYPE
        handler.send_body(fault["status"], body, content_type or "text/plain;charset=UTF-8", headers=headers, note=note)


def rewrite(handler, fault, status, payload, headers):
    """Send the real answer (status, payload), altered by the fault."""
    kind = fault["kind"]
    note = "fault=" + kind
    headers = dict(headers, **fault["headers"])
    if kind == "malformed_json":
        body = json_bytes(payload)
        handler.send_body(200, body[:max(1, len(body) // 2)], headers=headers, note=note)
    elif kind == "empty":
        handler.send_body(200, b"", headers=headers, note=note)
    elif kind == "oversize":
        padded = dict(payload) if isinstance(payload, dict) else {"data": payload}
        padded["padding"] = ""
        missing = fault["bytes"] - len(json_bytes(padded))
        padded["padding"] = "x" * max(0, missing)
        handler.send_body(200, json_bytes(padded), headers=headers, note=note)
    elif kind == "trickle":
        trickle(handler, status, json_bytes(payload), headers, fault["delay"], note)
    elif kind == "lost_answer":
        # The call was carried out; its answer never reaches the client.
        if fault["variant"] == "hold":
            time.sleep(fault["delay"])
        handler.drop(note=note)
    else:
        if kind == "type_quirks":
            payload = _map_submissions(payload, _quirks)
        elif kind == "wrong_types":
            payload = _map_submissions(payload, _wrong_types)
        else:
            payload = _shape_change(payload, fault)
        handler.send_json(status, payload, headers=headers, note=note)


def trickle(handler, status, body, headers, delay, note):
    """Headers at once, then the body one byte every ``delay`` seconds.

    Each byte comes well inside any per-read timeout, so only a client that
    bounds the whole answer gives up. The thread ends when the client hangs
    up (the next write fails) or the simulator stops (it shuts the socket).
    """
    handler.send_head(status, len(body), JSON_CONTENT_TYPE, headers=headers, note=note)
    for index in range(len(body)):
        handler.wfile.write(body[index:index + 1])
        time.sleep(delay)


def before(state, params):
    """Act on the simulated CDM just before the request: another caller's start of the same job."""
    state.job_start(params["cluster_id"], params["job"], b"")
