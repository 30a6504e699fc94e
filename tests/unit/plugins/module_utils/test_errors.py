# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors

HEADER_REQUEST_ID = "req-from-header-0001"


# Parsing every body shape

def test_cdm_error_body_is_parsed(fixture_loader):
    assert _errors.parse_error_body(fixture_loader("error_cdm_job_not_found.json", raw=True)) == (
        "Cdm.0100", "Job[nosuchjob] doesn't exist.", None)


def test_api_gateway_error_body_is_parsed(fixture_loader):
    assert _errors.parse_error_body(fixture_loader("error_apig_throttled.json", raw=True)) == (
        "APIG.0308", "The request is throttled.", "f2d0c6a1b9e54f0aa1d34c1f7e4b6a11")


def test_iam_error_body_is_parsed(fixture_loader):
    assert _errors.parse_error_body(fixture_loader("error_iam_unauthorized.json", raw=True)) == (
        "401", "The username or password is wrong.", None)


@pytest.mark.parametrize("text", ["", "   ", "null", "[]", '"text"', "42", "<html>502</html>", "{not json", '{"other": 1}'])
def test_bodies_without_an_error_shape_parse_to_nothing(text):
    assert _errors.parse_error_body(text) == (None, None, None)


def test_blank_and_non_text_fields_are_ignored():
    assert _errors.parse_error_body('{"errCode": "  ", "error_code": "APIG.0301", "externalMessage": {"x": 1}, "error_msg": "m"}') == (
        "APIG.0301", "m", None)


# The message a user reads

def test_cdm_error_message_has_status_code_message_and_request_id(fixture_loader):
    error = _errors.from_response(400, fixture_loader("error_cdm_job_not_found.json", raw=True), HEADER_REQUEST_ID)
    assert "HTTP 400" in error.message
    assert "Cdm.0100" in error.message
    assert "Job[nosuchjob] doesn't exist." in error.message
    assert HEADER_REQUEST_ID in error.message


def test_job_not_found_error_points_at_job_name_and_cluster_id(fixture_loader):
    error = _errors.from_response(400, fixture_loader("error_cdm_job_not_found.json", raw=True), HEADER_REQUEST_ID)
    assert "job_name" in error.message and "cluster_id" in error.message


def test_cdm_error_keeps_its_fields(fixture_loader):
    error = _errors.from_response(400, fixture_loader("error_cdm_job_not_found.json", raw=True), HEADER_REQUEST_ID)
    assert (error.http_status, error.error_code, error.error_message, error.request_id, error.retryable) == (
        400, "Cdm.0100", "Job[nosuchjob] doesn't exist.", HEADER_REQUEST_ID, False)


def test_api_gateway_error_message_has_status_code_message_and_request_id(fixture_loader):
    error = _errors.from_response(429, fixture_loader("error_apig_throttled.json", raw=True))
    assert "HTTP 429" in error.message
    assert "[APIG.0308] The request is throttled." in error.message
    assert "f2d0c6a1b9e54f0aa1d34c1f7e4b6a11" in error.message


def test_request_id_header_wins_over_the_body(fixture_loader):
    error = _errors.from_response(429, fixture_loader("error_apig_throttled.json", raw=True), HEADER_REQUEST_ID)
    assert error.request_id == HEADER_REQUEST_ID


def test_iam_error_message_names_iam_and_the_credentials(fixture_loader):
    error = _errors.from_response(401, fixture_loader("error_iam_unauthorized.json", raw=True), HEADER_REQUEST_ID, what="IAM")
    assert error.message.startswith("IAM answered HTTP 401")
    assert "The username or password is wrong." in error.message
    assert "check the credentials" in error.message


def test_html_error_body_is_shown_as_a_short_single_line_snippet(fixture_loader):
    error = _errors.from_response(502, fixture_loader("error_gateway.html", raw=True), HEADER_REQUEST_ID)
    assert "HTTP 502" in error.message
    assert "502 Bad Gateway" in error.message
    assert "\n" not in error.message
    assert error.error_code is None


def test_huge_non_json_body_is_cut_short():
    error = _errors.from_response(500, "x" * 100000, HEADER_REQUEST_ID)
    assert len(error.message) < 500
    assert "..." in error.message


def test_empty_error_body_still_gives_status_and_request_id():
    error = _errors.from_response(503, "", None)
    assert "HTTP 503" in error.message
    assert "request id: none" in error.message


def test_token_expired_is_recognised(fixture_loader):
    error = _errors.from_response(401, fixture_loader("error_apig_token_expired.json", raw=True))
    assert error.token_expired is True


def test_other_unauthorized_errors_are_not_token_expiry(fixture_loader):
    error = _errors.from_response(401, fixture_loader("error_apig_unauthorized.json", raw=True))
    assert error.token_expired is False


def test_as_result_gives_the_module_failure_fields(fixture_loader):
    error = _errors.from_response(400, fixture_loader("error_cdm_job_not_found.json", raw=True), HEADER_REQUEST_ID)
    assert error.as_result() == {
        "msg": error.message, "http_status": 400, "error_code": "Cdm.0100",
        "error_message": "Job[nosuchjob] doesn't exist.", "request_id": HEADER_REQUEST_ID, "retryable": False,
    }


def test_error_without_a_response_has_no_http_status():
    error = _errors.CdmError("no answer")
    assert error.http_status is None
    assert error.retryable is False
    assert str(error) == "no answer"


def test_malformed_body_error_says_what_was_wrong():
    error = _errors.malformed_body(200, "<html>login</html>", HEADER_REQUEST_ID, "invalid JSON")
    assert "HTTP 200" in error.message
    assert "invalid JSON" in error.message
    assert "<html>login</html>" in error.message
    assert HEADER_REQUEST_ID in error.message


def test_malformed_empty_body_says_empty():
    assert "<empty>" in _errors.malformed_body(200, "", None, "empty body").message


# Retryable or not

@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_throttling_and_server_errors_are_retryable(status):
    assert _errors.from_response(status, "").retryable is True
    assert "transient" in _errors.from_response(status, "").message


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 501])
def test_client_and_auth_errors_are_not_retryable(status):
    assert _errors.from_response(status, "").retryable is False


def test_retry_after_is_kept_on_the_error():
    assert _errors.from_response(429, "", retry_after=7.0).retry_after == 7.0


# Nothing secret

def test_error_message_does_not_include_request_secrets():
    # The parser only sees the response: only known fields of it reach the message.
    body = '{"error_code": "APIG.0301", "error_msg": "bad signature", "request_id": "r", "echo": "SECRET-sk-value"}'
    error = _errors.from_response(401, body, "r")
    assert "SECRET-sk-value" not in error.message
    assert "SECRET-sk-value" not in repr(error.as_result())


# Hints: what to change, keyed on the kind of error

@pytest.mark.parametrize("status, body, kind, hint", [
    (401, {"error_code": "APIG.0307", "error_msg": "The token must be updated."}, "token_expired",
     "the IAM token expired (tokens live 24 hours) or was revoked: get a new one for auth_token"),
    (401, {"error_code": "APIGW.0307", "error_msg": "The token must be updated."}, "token_expired",
     "or give user_name, password and domain_name so an expired token is renewed"),
    (401, {"error_code": "APIG.0301", "error_msg": "Incorrect IAM authentication information: "
                                                   "AK access failed to reach the limit, forbidden."},
     "key_locked", "the access key is locked for five minutes after repeated failed attempts"),
    (401, {"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information: "
                                                    "verify aksk signature fail."},
     "signature_rejected", "check that secret_key belongs to access_key"),
    (403, {"error_code": "APIG.0302", "error_msg": "The IAM user is forbidden in the currently selected project"},
     "credentials", "check the credentials and that they may use this project"),
    (400, {"errCode": "Cdm.0001", "externalMessage": "Cluster[cdm-demo] doesn't exist."}, "cluster_not_found",
     "not the cluster's name (give a name as cluster_name)"),
    (400, {"errCode": "Cdm.0054", "externalMessage": "Job does not exist."}, "job_not_found",
     "check job_name and cluster_id"),
    (400, {"errCode": "Cdm.0052", "externalMessage": "Job[x] is running."}, None, None),
])
def test_each_kind_of_error_gets_its_hint(status, body, kind, hint):
    import json
    error = _errors.from_response(status, json.dumps(body), HEADER_REQUEST_ID)
    assert error.kind == kind
    assert error.retryable is False
    if hint:
        assert hint in error.message
    assert error.message.endswith("(request id: %s)" % HEADER_REQUEST_ID)


def test_a_rejected_signature_says_it_is_not_retried_and_why():
    error = _errors.from_response(401, '{"error_code": "APIG.0301", "error_msg": "verify aksk signature fail."}')
    assert "not retried, as five rejected signatures in a row lock the key for five minutes" in error.message


@pytest.mark.parametrize("code, number", [("APIG.0307", "0307"), ("APIGW.0308", "0308"), ("apigw.0101", "0101"),
                                          ("Cdm.0100", None), ("APIG.", None), (None, None), (307, None)])
def test_gateway_codes_are_read_with_either_prefix(code, number):
    assert _errors.gateway_code(code) == number


def test_a_cdm_error_with_code_and_message_beside_errcode_is_read():
    assert _errors.parse_error_body('{"code": "Cdm.0053", "message": "Job[x] is not running."}') == (
        "Cdm.0053", "Job[x] is not running.", None)


# The gateway's table (both prefixes): what each code is to a module

GATEWAY_TABLE = [
    # (status, number, kind, retryable)
    (401, "0301", "credentials", False), (401, "0307", "token_expired", False), (429, "0308", None, True),
    (403, "0302", "credentials", False), (403, "0306", "credentials", False), (403, "0310", "credentials", False),
    (403, "0802", "credentials", False), (404, "0101", None, False), (400, "0204", None, False),
    (500, "0201", None, True), (502, "0201", None, True), (504, "0201", None, True), (502, "0202", None, True),
    (504, "0203", None, True), (500, "0601", None, True), (500, "0605", None, True), (500, "0606", None, True),
    (500, "0608", None, True), (500, "0609", None, True), (500, "0611", None, True), (500, "0612", None, True),
    (500, "0705", None, True), (502, "0610", None, True), (503, "0613", None, True),
]


@pytest.mark.parametrize("prefix", ["APIG", "APIGW"])
@pytest.mark.parametrize("status, number, kind, retryable", GATEWAY_TABLE)
def test_every_gateway_code_means_the_same_with_either_prefix(prefix, status, number, kind, retryable):
    import json
    code = "%s.%s" % (prefix, number)
    error = _errors.from_response(status, json.dumps({"error_code": code, "error_msg": "gateway says so", "request_id": "r"}))
    assert (error.error_code, error.error_message, error.request_id) == (code, "gateway says so", "r")
    assert (error.kind, error.retryable) == (kind, retryable)
    assert error.token_expired is (number == "0307")


@pytest.mark.parametrize("prefix", ["APIG", "APIGW"])
def test_a_rejected_signature_and_a_locked_key_are_told_apart_with_either_prefix(prefix):
    rejected = _errors.from_response(401, '{"error_code": "%s.0301", "error_msg": "Incorrect IAM authentication '
                                          'information: verify aksk signature fail."}' % prefix)
    locked = _errors.from_response(401, '{"error_code": "%s.0301", "error_msg": "Incorrect IAM authentication '
                                        'information: AK access failed to reach the limit, forbidden."}' % prefix)
    assert (rejected.kind, locked.kind) == ("signature_rejected", "key_locked")


@pytest.mark.parametrize("body", [
    {"code": "Cdm.0100", "message": "Job[x] doesn't exist."},
    {"errCode": "Cdm.0100", "externalMessage": "Job[x] doesn't exist.", "code": "Cdm.0100", "message": "Job[x] doesn't exist."},
])
def test_a_cdm_error_in_code_and_message_is_a_missing_job(body):
    import json
    error = _errors.from_response(400, json.dumps(body), HEADER_REQUEST_ID)
    assert (error.error_code, error.error_message, error.kind, error.retryable) == (
        "Cdm.0100", "Job[x] doesn't exist.", "job_not_found", False)
    assert error.message.startswith("the CDM API answered HTTP 400: [Cdm.0100] Job[x] doesn't exist. (check job_name")
