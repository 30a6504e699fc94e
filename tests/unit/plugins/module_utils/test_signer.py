# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import datetime
import hashlib
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _signer

# The vendor SDK's published test vectors (see the reference's AK/SK section).
VECTOR_URL = "https://service.endpoint.myhuaweicloud.com/resources?size=1"
VECTOR_HEADERS = {"X-Sdk-Date": "20200608T023900Z", "TEST_UNDERSCORE": "TEST_VALUE"}
VECTOR_DATE = "20200608T023900Z"


def authorization(headers):
    return _signer.parse_authorization(headers["Authorization"])


def sign(method="GET", url="https://cdm.cn-north-4.myhuaweicloud.com/v1.1/p/clusters", headers=None, body=b""):
    given_headers = {"X-Sdk-Date": VECTOR_DATE}
    given_headers.update(headers or {})
    return _signer.sign(method, url, given_headers, body, "AccessKey", "SecretKey")


# Published vectors

def test_published_get_vector_signature():
    signed = _signer.sign("GET", VECTOR_URL, VECTOR_HEADERS, b"", "AccessKey", "SecretKey")
    assert signed["Authorization"] == (
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, "
        "Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842")


def test_published_post_vector_signature():
    signed = _signer.sign("POST", VECTOR_URL, VECTOR_HEADERS, b'{"name":"test","id":1}', "AccessKey", "SecretKey")
    assert signed["Authorization"] == (
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, "
        "Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f")


def test_published_post_vector_signature_with_str_body():
    signed = _signer.sign("POST", VECTOR_URL, VECTOR_HEADERS, '{"name":"test","id":1}', "AccessKey", "SecretKey")
    assert signed["Authorization"].endswith("Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f")


def test_lower_case_method_signs_like_upper_case():
    lower = _signer.sign("get", VECTOR_URL, VECTOR_HEADERS, b"", "AccessKey", "SecretKey")
    assert lower["Authorization"].endswith("Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842")


# Canonical URI

def test_canonical_uri_always_ends_with_slash():
    assert _signer.canonical_uri("/v1.1/p/status") == "/v1.1/p/status/"


def test_canonical_uri_keeps_an_existing_trailing_slash_single():
    assert _signer.canonical_uri("/resources/") == "/resources/"


def test_canonical_uri_of_empty_path_is_root():
    assert _signer.canonical_uri("") == "/"


def test_canonical_uri_encodes_each_segment_space_and_unicode():
    assert _signer.canonical_uri("/job/my job/数据") == "/job/my%20job/%E6%95%B0%E6%8D%AE/"


def test_canonical_uri_encodes_reserved_characters_in_a_segment():
    assert _signer.canonical_uri("/a:b@c;d=e+f") == "/a%3Ab%40c%3Bd%3De%2Bf/"


def test_canonical_uri_decodes_before_encoding_so_encoding_is_not_doubled():
    assert _signer.canonical_uri("/job/my%20job") == "/job/my%20job/"


def test_canonical_uri_treats_encoded_slash_as_a_separator_like_the_vendor():
    # The vendor unquotes the whole path and re-splits it: "a%2Fb" is signed as "a/b".
    assert _signer.canonical_uri("/job/a%2Fb/status") == "/job/a/b/status/"


def test_canonical_uri_encodes_a_literal_percent():
    assert _signer.canonical_uri("/job/100%25") == "/job/100%25/"


def test_canonical_uri_leaves_tilde_unencoded():
    assert _signer.canonical_uri("/~user/a~b") == "/~user/a~b/"


# Canonical query

def test_canonical_query_sorts_by_name_then_value():
    assert _signer.canonical_query([("size", "1"), ("page", "2"), ("a", "z"), ("a", "b")]) == "a=b&a=z&page=2&size=1"


def test_canonical_query_percent_encodes_names_and_values():
    assert _signer.canonical_query([("filter", "a b/c"), ("x~y", "é")]) == "filter=a%20b%2Fc&x~y=%C3%A9"


def test_canonical_query_keeps_empty_values():
    assert _signer.canonical_query([("flag", "")]) == "flag="


def test_canonical_query_of_no_pairs_is_empty():
    assert _signer.canonical_query([]) == ""


def test_query_order_in_the_url_does_not_change_the_signature():
    one = sign(url="https://h.example.com/r?b=2&a=1")
    other = sign(url="https://h.example.com/r?a=1&b=2")
    assert one["Authorization"] == other["Authorization"]


def test_blank_query_value_is_signed():
    with_blank = sign(url="https://h.example.com/r?flag=")
    without = sign(url="https://h.example.com/r")
    assert with_blank["Authorization"] != without["Authorization"]


# Headers

def test_header_names_with_underscore_are_not_signed():
    assert _signer.signed_header_names({"X-Sdk-Date": "d", "TEST_UNDERSCORE": "v", "Host": "h"}) == ["host", "x-sdk-date"]


def test_underscore_header_is_kept_in_the_request_but_not_signed():
    signed = _signer.sign("GET", VECTOR_URL, VECTOR_HEADERS, b"", "AccessKey", "SecretKey")
    assert signed["TEST_UNDERSCORE"] == "TEST_VALUE"
    assert authorization(signed)[1] == ["host", "x-sdk-date"]


def test_signed_header_names_are_lower_case_and_sorted():
    assert _signer.signed_header_names({"X-Sdk-Date": "d", "Accept": "a", "HOST": "h"}) == ["accept", "host", "x-sdk-date"]


def test_canonical_headers_trim_values_and_lower_case_names():
    text = _signer.canonical_headers({"Host": "  h.example.com \t", "X-Sdk-Date": " d "}, ["host", "x-sdk-date"])
    assert text == "host:h.example.com\nx-sdk-date:d\n"


def test_header_value_whitespace_does_not_change_the_signature():
    padded = sign(headers={"Accept": "  application/json  "})
    plain = sign(headers={"Accept": "application/json"})
    assert padded["Authorization"] == plain["Authorization"]


def test_header_name_case_does_not_change_the_signature():
    upper = sign(headers={"ACCEPT": "application/json"})
    lower = sign(headers={"accept": "application/json"})
    assert upper["Authorization"] == lower["Authorization"]


def test_project_id_header_is_signed():
    signed = sign(headers={"X-Project-Id": "0123456789abcdef"})
    assert "x-project-id" in authorization(signed)[1]


def test_security_token_header_is_signed():
    signed = sign(headers={"X-Security-Token": "temporary-token"})
    assert "x-security-token" in authorization(signed)[1]


def test_changing_a_signed_header_changes_the_signature():
    one = sign(headers={"X-Project-Id": "project-a"})
    other = sign(headers={"X-Project-Id": "project-b"})
    assert one["Authorization"] != other["Authorization"]


def test_host_header_is_taken_from_the_url_with_its_port():
    signed = sign(url="https://cdm.example.com:8443/v1.1/p")
    assert signed["Host"] == "cdm.example.com:8443"


def test_an_explicit_host_header_is_kept():
    signed = sign(url="http://127.0.0.1:9999/v1.1/p", headers={"host": "cdm.cn-north-4.myhuaweicloud.com"})
    assert signed["host"] == "cdm.cn-north-4.myhuaweicloud.com"
    assert "Host" not in signed


def test_sign_does_not_modify_the_given_headers():
    headers = {"X-Sdk-Date": VECTOR_DATE}
    _signer.sign("GET", VECTOR_URL, headers, b"", "AccessKey", "SecretKey")
    assert headers == {"X-Sdk-Date": VECTOR_DATE}


# Date

def test_given_sdk_date_is_used_when_no_header_has_one():
    signed = _signer.sign("GET", VECTOR_URL, {"TEST_UNDERSCORE": "TEST_VALUE"}, b"", "AccessKey", "SecretKey",
                          sdk_date=VECTOR_DATE)
    assert signed["X-Sdk-Date"] == VECTOR_DATE
    assert signed["Authorization"].endswith("cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842")


def test_current_utc_time_is_used_when_no_date_is_given():
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    signed = _signer.sign("GET", VECTOR_URL, {}, b"", "AccessKey", "SecretKey")
    after = datetime.datetime.now(datetime.timezone.utc)
    assert before <= _signer.parse_sdk_date(signed["X-Sdk-Date"]) <= after


def test_sdk_date_format_round_trips():
    moment = datetime.datetime(2020, 6, 8, 2, 39, 0, tzinfo=datetime.timezone.utc)
    assert _signer.format_sdk_date(moment) == VECTOR_DATE
    assert _signer.parse_sdk_date(VECTOR_DATE) == moment


@pytest.mark.parametrize("value", ["", "2020-06-08T02:39:00Z", "20200608T023900", "yesterday"])
def test_parse_sdk_date_refuses_other_forms(value):
    with pytest.raises(ValueError):
        _signer.parse_sdk_date(value)


# Payload

def test_empty_body_hash_is_sha256_of_nothing():
    assert _signer.payload_hash({}, b"") == hashlib.sha256(b"").hexdigest() == _signer.EMPTY_BODY_SHA256


def test_json_body_is_hashed():
    body = b'{"variables":{}}'
    assert _signer.payload_hash({"Content-Type": "application/json"}, body) == hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", "multipart/form-data; boundary=x"])
def test_non_json_content_type_signs_unsigned_payload(content_type):
    signed = sign(method="POST", headers={"Content-Type": content_type}, body=b"raw bytes")
    assert signed["X-Sdk-Content-Sha256"] == "UNSIGNED-PAYLOAD"
    assert "x-sdk-content-sha256" in authorization(signed)[1]
    names = authorization(signed)[1]
    canonical = _signer.canonical_request("POST", "/v1.1/p/clusters", [], signed, names, b"raw bytes")
    assert canonical.endswith("\nUNSIGNED-PAYLOAD")


@pytest.mark.parametrize("content_type", ["application/json", "application/json;charset=UTF-8", "application/bson"])
def test_json_and_bson_content_types_hash_the_body(content_type):
    signed = sign(method="POST", headers={"Content-Type": content_type}, body=b"{}")
    assert "X-Sdk-Content-Sha256" not in signed


def test_body_changes_the_signature():
    one = sign(method="POST", headers={"Content-Type": "application/json"}, body=b'{"a":1}')
    other = sign(method="POST", headers={"Content-Type": "application/json"}, body=b'{"a":2}')
    assert one["Authorization"] != other["Authorization"]


def test_string_to_sign_has_algorithm_date_and_hash_of_canonical_request():
    assert _signer.string_to_sign(VECTOR_DATE, "canonical") == "SDK-HMAC-SHA256\n%s\n%s" % (
        VECTOR_DATE, hashlib.sha256(b"canonical").hexdigest())


# parse_authorization

def test_parse_authorization_splits_access_key_headers_and_signature():
    assert _signer.parse_authorization(
        "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=abc123") == (
        "AccessKey", ["host", "x-sdk-date"], "abc123")


def test_parse_authorization_reads_what_sign_writes():
    signed = sign(headers={"X-Project-Id": "p"})
    access_key, names, signature = authorization(signed)
    assert access_key == "AccessKey"
    assert names == ["host", "x-project-id", "x-sdk-date"]
    assert len(signature) == 64


@pytest.mark.parametrize("value", [
    None,
    "",
    "Bearer abc",
    "SDK-HMAC-SM3 Access=a, SignedHeaders=host, Signature=s",
    "SDK-HMAC-SHA256",
    "SDK-HMAC-SHA256 Access=a, SignedHeaders=host",
    "SDK-HMAC-SHA256 Access=a, Signature=s",
    "SDK-HMAC-SHA256 SignedHeaders=host, Signature=s",
    "SDK-HMAC-SHA256 Access=a, SignedHeaders, Signature=s",
])
def test_parse_authorization_refuses_malformed_values(value):
    with pytest.raises(ValueError):
        _signer.parse_authorization(value)


# Cross-check against the vendor's own signer

# Surrogates cannot be encoded as UTF-8, so no HTTP request can carry them.
TEXT = st.characters(blacklist_categories=("Cs",))
JSON_TYPES = (None, "application/json", "application/json;charset=UTF-8", "application/bson")
OTHER_TYPES = ("text/plain", "application/octet-stream", "multipart/form-data; boundary=xyz")
# Headers the signer itself manages; the vendor's client spells Content-Type exactly so.
MANAGED_HEADERS = frozenset(("x-sdk-date", "content-type", "x-sdk-content-sha256"))


def _vendor_modules():
    signer_module = pytest.importorskip("huaweicloudsdkcore.signer.signer")
    request_module = pytest.importorskip("huaweicloudsdkcore.sdk_request")
    return signer_module, request_module


class _Credentials(object):
    ak = "AK-7Q2YEXAMPLE"
    sk = "SK-s3cr3t-EXAMPLE-key"


@st.composite
def requests_to_sign(draw):
    method = draw(st.one_of(st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "get"]),
                            st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=8)))
    host = draw(st.sampled_from(["cdm.cn-north-4.myhuaweicloud.com", "127.0.0.1:8080", "cdm.example.com:443"]))
    # Segments arrive percent-encoded, the way the client and the vendor build paths;
    # some leave sub-delimiters raw, which is also a valid path.
    safe = draw(st.sampled_from(["", "~!$&'()*+,;=:@"]))
    segments = draw(st.lists(st.text(alphabet=TEXT, max_size=12), min_size=1, max_size=5))
    path = "/" + "/".join(quote(segment, safe=safe) for segment in segments)
    query = draw(st.lists(st.tuples(st.text(alphabet=TEXT, max_size=8), st.text(alphabet=TEXT, max_size=8)), max_size=4))
    names = st.one_of(
        st.sampled_from(["X-Project-Id", "X-Security-Token", "Accept", "User-Agent", "TEST_UNDERSCORE", "X-Request-Id", "host"]),
        st.text(alphabet=TEXT, min_size=1, max_size=16),
    ).filter(lambda name: name.lower() not in MANAGED_HEADERS)
    headers = draw(st.dictionaries(names, st.text(alphabet=TEXT, max_size=24), max_size=6))
    content_type = draw(st.sampled_from(JSON_TYPES + OTHER_TYPES))
    if content_type:
        headers["Content-Type"] = content_type
    headers["X-Sdk-Date"] = draw(st.sampled_from([VECTOR_DATE, "20991231T235959Z"]))
    body = draw(st.one_of(st.binary(max_size=64), st.text(alphabet=TEXT, max_size=64)))
    return method, host, path, query, headers, body


def _our_authorization(method, host, path, query, headers, body):
    query_string = "&".join("%s=%s" % (quote(name, safe=""), quote(value, safe="")) for name, value in query)
    url = "https://%s%s%s" % (host, path, "?" + query_string if query_string else "")
    return _signer.sign(method, url, dict(headers), body, _Credentials.ak, _Credentials.sk)


def _vendor_request(request_module, method, host, path, query, headers, body):
    return request_module.SdkRequest(method=method, schema="https", host=host, resource_path=path,
                                     query_params=list(query), header_params=dict(headers), body=body)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests_to_sign())
def test_signature_matches_the_vendor_signer(case):
    signer_module, request_module = _vendor_modules()
    vendor = signer_module.Signer(_Credentials()).sign(_vendor_request(request_module, *case))
    ours = _our_authorization(*case)
    assert ours["Authorization"] == vendor.header_params["Authorization"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(requests_to_sign())
def test_vendor_canonicalisation_verifies_every_signature_we_make(case):
    # What the gateway does: rebuild the canonical request from the headers that
    # arrive and check the signature. Uses the vendor's own canonicalisation steps.
    signer_module, request_module = _vendor_modules()
    method, host, path, query, headers, body = case
    ours = _our_authorization(*case)
    sent = dict((name, value) for name, value in ours.items() if name != "Authorization")
    request = _vendor_request(request_module, method, host, path, query, sent, body.encode("utf-8") if isinstance(body, str) else body)
    vendor = signer_module.Signer(_Credentials())
    names = vendor._process_signed_headers(request)
    canonical = vendor._process_canonical_request(request, names)
    moment = datetime.datetime.strptime(sent["X-Sdk-Date"], "%Y%m%dT%H%M%SZ")
    signature = vendor._sign_string_to_sign(vendor._process_string_to_sign(canonical, moment), _Credentials.sk)
    assert ours["Authorization"] == "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (
        _Credentials.ak, ";".join(names), signature)


def _both_authorizations(headers, body):
    signer_module, request_module = _vendor_modules()
    case = ("POST", "cdm.example.com", "/v1.1/p", [], dict(headers, **{"X-Sdk-Date": VECTOR_DATE}), body)
    vendor = signer_module.Signer(_Credentials()).sign(_vendor_request(request_module, *case))
    return _our_authorization(*case)["Authorization"], vendor.header_params["Authorization"]


def test_empty_body_with_non_json_content_type_signs_like_the_vendor():
    ours, vendor = _both_authorizations({"Content-Type": "text/plain"}, b"")
    assert ours == vendor


def test_empty_content_sha256_header_falls_back_to_hashing_the_body_like_the_vendor():
    ours, vendor = _both_authorizations({"X-Sdk-Content-Sha256": ""}, b"body")
    assert ours == vendor


def test_padded_content_sha256_header_is_trimmed_like_the_vendor():
    ours, vendor = _both_authorizations({"X-Sdk-Content-Sha256": " UNSIGNED-PAYLOAD "}, b"body")
    assert ours == vendor
