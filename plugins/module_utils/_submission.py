# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Turn the CDM status API's submissions into what a playbook branches on.

Pure functions: no HTTP, no Ansible. Every function accepts any JSON value and
never raises on a surprising type; CDM's real responses break their declared
types (the vendor's own example sends ``"creation-date": "1536905778725"`` and
``"progress": 1``), misspell keys (``last-udpate-user``), and may grow new
statuses.
"""

from __future__ import annotations

import math
import re

# The one table of statuses. Anything not listed is unknown: not finished,
# passed through as it came.
SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
FAILURE_ON_SUBMIT = "FAILURE_ON_SUBMIT"
NEVER_EXECUTED = "NEVER_EXECUTED"
KNOWN_STATUSES = ("BOOTING", FAILURE_ON_SUBMIT, "RUNNING", SUCCEEDED, FAILED, "UNKNOWN", NEVER_EXECUTED)
FINISHED_STATUSES = frozenset((SUCCEEDED, FAILED, FAILURE_ON_SUBMIT))
FAILURE_STATUSES = frozenset((FAILED, FAILURE_ON_SUBMIT))

COUNTER_GROUP = "org.apache.sqoop.submission.counter.SqoopCounters"
COUNTER_NAMES = (
    "bytes_written", "total_files", "rows_read", "bytes_read", "rows_written",
    "files_written", "files_read", "total_size", "files_skipped", "rows_written_skipped",
)

# API key -> (normalised key, converter name). Converters are looked up below.
FIELDS = (
    ("job-name", "job_name", "text"),
    ("status", "status", "status"),
    ("progress", "progress", "float"),
    ("submission-id", "submission_id", "int"),
    ("external-id", "external_id", "text"),
    ("creation-user", "creation_user", "text"),
    ("creation-date", "creation_date", "int"),
    ("execute-date", "execute_date", "int"),
    ("last-update-date", "last_update_date", "int"),
    ("last-update-user", "last_update_user", "text"),
    ("last-udpate-user", "last_update_user", "text"),  # sic: the seed's spelling
    ("isIncrementing", "is_incrementing", "bool"),
    ("isStopingIncrement", "is_stopping_increment", "bool"),  # sic, and a string in the API
    ("is-execute-auto", "is_execute_auto", "bool"),
    ("isDeleteJob", "is_delete_job", "bool"),
    ("delete_rows", "delete_rows", "int"),
    ("update_rows", "update_rows", "int"),
    ("write_rows", "write_rows", "int"),
    ("error-summary", "error_summary", "text"),
    ("error-details", "error_details", "text"),
)
_KNOWN_KEYS = frozenset(api_key for api_key, _name, _kind in FIELDS) | frozenset(("counters",))


def is_finished(status):
    return isinstance(status, str) and status in FINISHED_STATUSES


def is_succeeded(status):
    return status == SUCCEEDED


def is_failure(status):
    return isinstance(status, str) and status in FAILURE_STATUSES


def to_int(value):
    """An int from an int, an integral float or a numeric string; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        if re.match(r"^[+-]?\d+$", text):
            return int(text)
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if math.isfinite(number) else None
    return None


def to_float(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def to_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value != 0
    if isinstance(value, str):
        text = value.strip().lower()
        if text in ("true", "yes", "1"):
            return True
        if text in ("false", "no", "0", ""):
            return False
    return None


def to_text(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return None


def to_status(value):
    text = to_text(value)
    return text.strip().upper() if text and text.strip() else "UNKNOWN"


_CONVERTERS = {"text": to_text, "status": to_status, "float": to_float, "int": to_int, "bool": to_bool}


def _camel_to_snake(name):
    name = re.sub(r"[^0-9A-Za-z]+", "_", name)
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return name.strip("_").lower() or "field"


def normalise_counters(value):
    """The SqoopCounters group (or a flat dict of them) as snake_case ints; {} when absent."""
    if not isinstance(value, dict):
        return {}
    group = value.get(COUNTER_GROUP, value)
    if not isinstance(group, dict):
        return {}
    counters = {}
    for key, raw in group.items():
        number = to_int(raw)
        if number is not None and isinstance(key, str):
            counters[key.lower()] = number
    return counters


def normalise_submission(value):
    """One submission as a snake_case dict; unknown fields pass through renamed."""
    if not isinstance(value, dict):
        return None
    submission = dict((name, None) for _api_key, name, _kind in FIELDS)
    for api_key, name, kind in FIELDS:
        if api_key in value and submission[name] is None:
            # First readable value wins: the SDK's spelling is listed before the seed's typo.
            submission[name] = _CONVERTERS[kind](value[api_key])
    submission["status"] = submission["status"] or "UNKNOWN"
    submission["counters"] = normalise_counters(value.get("counters"))
    for key, raw in value.items():
        if isinstance(key, str) and key not in _KNOWN_KEYS:
            submission.setdefault(_camel_to_snake(key), raw)
    return submission


def extract_submissions(body):
    """The list of raw submissions in a status/start/history body; [] when none or odd."""
    if not isinstance(body, dict):
        return []
    raw = body.get("submissions")
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list):
        return []
    return [item for item in raw if isinstance(item, dict)]


def _age_key(item):
    """Sorts newest first: a submission id beats none, then higher ids, then later creation dates."""
    sid = item.get("submission_id")
    created = item.get("creation_date")
    return (sid is None, -(sid if sid is not None else 0), created is None, -(created if created is not None else 0))


def newest(submissions):
    """The newest normalised submission: highest submission id, else latest creation date."""
    if not submissions:
        return None
    return min(submissions, key=_age_key)


def summarise(body, job_name=None):
    """The module's result for a status response body (without ``changed``)."""
    submissions = [normalise_submission(item) for item in extract_submissions(body)]
    submissions.sort(key=_age_key)
    latest = submissions[0] if submissions else None
    if latest is None:
        status = NEVER_EXECUTED
        progress = None
        latest_fields = {}
    else:
        status = latest["status"]
        progress = latest["progress"]
        latest_fields = latest
    return {
        "job_name": latest_fields.get("job_name") or job_name,
        "status": status,
        "progress": progress,
        "finished": is_finished(status),
        "succeeded": is_succeeded(status),
        "counters": latest_fields.get("counters") or {},
        "error_summary": latest_fields.get("error_summary"),
        "error_details": latest_fields.get("error_details"),
        "submission_id": latest_fields.get("submission_id"),
        "submission": latest,
        "submissions": submissions,
    }


def validation_results(answer):
    """(errors, warnings): the messages of a write's ``validation-result`` entries, by status."""
    entries = answer.get("validation-result") if isinstance(answer, dict) else None
    entries = [entries] if isinstance(entries, dict) else entries if isinstance(entries, list) else []
    errors, warnings = [], []
    for entry in entries:
        if isinstance(entry, dict):
            status = to_status(entry.get("status"))
            message = to_text(entry.get("message")) or "no message"
            if status == "ERROR":
                errors.append(message)
            elif status == "WARNING":
                warnings.append(message)
    return errors, warnings
