# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Errors from Huawei Cloud APIs, parsed from every body shape they come in."""

from __future__ import annotations

import json

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options

# CDM codes that mean the job (or cluster) is not there: never worth a retry.
JOB_NOT_FOUND_CODES = frozenset(("Cdm.0100", "Cdm.0054"))
# "Resource does not exist or no permission": what an unknown cluster id gets.
CLUSTER_NOT_FOUND_CODES = frozenset(("Cdm.0001",))
# The gateway's codes come with two prefixes (APIG. in the gateway's guide,
# APIGW. in the signing guide the CDM pages link to): rules key on the number.
TOKEN_EXPIRED = "0307"
BAD_CREDENTIALS = "0301"
RETRYABLE_STATUSES = frozenset((429, 500, 502, 503, 504))
_SNIPPET = 200


class CdmError(Exception):
    """A failed call, with everything a user quotes to support.

    ``http_status`` is None when no response arrived (timeout, connection error).
    """

    def __init__(self, message, http_status=None, error_code=None, error_message=None,
                 request_id=None, retryable=False, retry_after=None, kind=None):
        super(CdmError, self).__init__(message)
        # What went wrong in words the modules key on (``classify``), e.g. "key_locked".
        self.kind = kind
        self.message = message
        self.http_status = http_status
        self.error_code = error_code
        self.error_message = error_message
        self.request_id = request_id
        self.retryable = retryable
        self.retry_after = retry_after
        # Set once the retry policy has been spent on this error, so an outer
        # loop does not multiply the attempts.
        self.exhausted = False
        # True when the request provably never reached the service (the
        # connection was refused or never opened): a write may be sent again.
        self.not_sent = False
        # True when a write may or may not have been carried out (no answer
        # after it was sent, or a 5xx that may come from behind the gateway):
        # the caller reads the state to learn what happened, never resends.
        self.outcome_unknown = False

    @property
    def token_expired(self):
        return self.http_status == 401 and gateway_code(self.error_code) == TOKEN_EXPIRED

    def as_result(self):
        return {
            "msg": self.message,
            "http_status": self.http_status,
            "error_code": self.error_code,
            "error_message": self.error_message,
            "request_id": self.request_id,
            "retryable": self.retryable,
        }


def _first(*values):
    for value in values:
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    return None


def parse_error_body(text):
    """(code, message, request_id) from CDM, API gateway or IAM error bodies; Nones when unknown."""
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return None, None, None
    nested = body.get("error") if isinstance(body.get("error"), dict) else {}
    code = _first(body.get("errCode"), body.get("error_code"), nested.get("code"), body.get("code"))
    message = _first(body.get("externalMessage"), body.get("error_msg"), nested.get("message"),
                     body.get("message"), body.get("errMsg"))
    request_id = _first(body.get("request_id"), nested.get("request_id"))
    return code, message, request_id


def gateway_code(code):
    """The number of an API gateway error code (``APIG.0307`` and ``APIGW.0307`` are both ``0307``), else None."""
    if isinstance(code, str):
        prefix, _dot, number = code.partition(".")
        if prefix.upper() in ("APIG", "APIGW") and number:
            return number
    return None


def classify(status, code, message):
    """The kind of an API error, for the hint that fixes it (see ``_options.HINTS``), or None."""
    text = (message or "").lower()
    gateway = gateway_code(code)
    if status == 401 and gateway == TOKEN_EXPIRED:
        return "token_expired"
    if "reach the limit" in text:
        return "key_locked"
    if gateway == BAD_CREDENTIALS and ("signature" in text or "aksk" in text):
        return "signature_rejected"
    if status in (401, 403):
        return "credentials"
    if code in JOB_NOT_FOUND_CODES:
        return "job_not_found"
    if code in CLUSTER_NOT_FOUND_CODES or (status == 404 and "cluster" in text):
        return "cluster_not_found"
    return None


def is_retryable_status(status):
    return status in RETRYABLE_STATUSES


def _snippet(text):
    text = " ".join((text or "").split())
    return text if len(text) <= _SNIPPET else text[:_SNIPPET] + "..."


def from_response(status, text, request_id=None, what="the CDM API", retry_after=None):
    """A CdmError for an HTTP error response."""
    code, message, body_request_id = parse_error_body(text)
    request_id = request_id or body_request_id
    retryable = is_retryable_status(status)
    parts = ["%s answered HTTP %s" % (what, status)]
    if code or message:
        parts.append(": %s" % " ".join(p for p in ("[%s]" % code if code else None, message) if p))
    elif text:
        parts.append(": %s" % _snippet(text))
    kind = classify(status, code, message)
    if kind in _options.HINTS:
        parts.append(" (%s)" % _options.HINTS[kind])
    parts.append(" (request id: %s)" % (request_id or "none"))
    if retryable:
        parts.append("; this is transient, the call may be retried")
    return CdmError("".join(parts), http_status=status, error_code=code, error_message=message,
                    request_id=request_id, retryable=retryable, retry_after=retry_after, kind=kind)


def connection_failure(kind, detail, hint_args=None, retryable=False):
    """A CdmError for a request that got no HTTP answer; ``kind`` keys the hint in ``_options.HINTS``."""
    hint = _options.HINTS.get(kind)
    if hint and hint_args:
        hint = hint % hint_args
    message = "%s: %s" % (detail, hint) if hint else detail
    return CdmError(message, retryable=retryable, kind=kind)


def renewed_token_refused(error):
    """The error for a token refused again right after it was renewed (a new error: the first stays as it was)."""
    refused = CdmError(error.message + "; the token was renewed once with user_name and password and was refused again",
                       http_status=error.http_status, error_code=error.error_code, error_message=error.error_message,
                       request_id=error.request_id, retryable=False, kind=error.kind)
    return refused


def malformed_body(status, text, request_id, reason):
    return CdmError(
        "the CDM API answered HTTP %s with a body that is not the expected JSON (%s): %s (request id: %s)"
        % (status, reason, _snippet(text) or "<empty>", request_id or "none"),
        http_status=status, request_id=request_id, retryable=True)
