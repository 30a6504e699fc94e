# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""SDK-HMAC-SHA256 request signing, as Huawei Cloud's API gateway verifies it.

Pure functions, no HTTP. The rules follow the vendor SDK's
``huaweicloudsdkcore.signer.signer.Signer``; the unit tests check this module
against its published vectors and against the vendor's signer itself.
The simulator uses the same functions to verify signatures, so a request the
module signs and a request the vendor SDK signs are judged by one rule.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from urllib.parse import quote, unquote, urlsplit, parse_qsl

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
CONTENT_SHA256_HEADER = "X-Sdk-Content-Sha256"


def _encode(value):
    return quote(value, safe="~")


def canonical_uri(path):
    # The vendor decodes the path first and re-encodes each segment, so "%2F"
    # inside a segment is signed as a separator. The gateway does the same.
    segments = unquote(path or "/").split("/")
    uri = "/".join(_encode(segment) for segment in segments)
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(pairs):
    """``pairs`` is a list of (name, value) strings, as parse_qsl returns them."""
    return "&".join("%s=%s" % (_encode(name), _encode(value)) for name, value in sorted(pairs))


def signed_header_names(headers):
    # Header names with an underscore are never signed (gateways drop them).
    return sorted(name.lower() for name in headers if "_" not in name)


def canonical_headers(headers, names):
    lowered = dict((name.lower(), str(value).strip()) for name, value in headers.items())
    return "".join("%s:%s\n" % (name, lowered.get(name, "")) for name in names)


def payload_hash(headers, body):
    if not body:
        return EMPTY_BODY_SHA256
    for name, value in headers.items():
        if name.lower() == CONTENT_SHA256_HEADER.lower() and str(value).strip():
            return str(value).strip()
    if isinstance(body, str):
        body = body.encode("utf-8")
    return hashlib.sha256(body).hexdigest()


def canonical_request(method, path, query_pairs, headers, names, body):
    return "\n".join((
        method.upper(),
        canonical_uri(path),
        canonical_query(query_pairs),
        canonical_headers(headers, names),
        ";".join(names),
        payload_hash(headers, body),
    ))


def string_to_sign(sdk_date, canonical):
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return "%s\n%s\n%s" % (ALGORITHM, sdk_date, digest)


def signature(secret_key, text):
    return hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def format_sdk_date(moment=None):
    moment = moment or datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime(DATE_FORMAT)


def parse_sdk_date(value):
    """Return an aware UTC datetime, or raise ValueError."""
    parsed = datetime.datetime.strptime(value, DATE_FORMAT)
    return parsed.replace(tzinfo=datetime.timezone.utc)


def sign(method, url, headers, body, access_key, secret_key, sdk_date=None):
    """Return a new header dict for the request with Host, X-Sdk-Date and Authorization set.

    ``headers`` must already hold every header to be signed (X-Project-Id,
    X-Security-Token, Content-Type...). ``body`` is bytes or str (may be empty).
    """
    parts = urlsplit(url)
    signed = dict(headers)
    if not any(name.lower() == "host" for name in signed):
        signed["Host"] = parts.netloc
    content_type = next((v for k, v in signed.items() if k.lower() == "content-type"), "")
    if content_type and not content_type.startswith(("application/json", "application/bson")):
        signed[CONTENT_SHA256_HEADER] = UNSIGNED_PAYLOAD
    date = next((v for k, v in signed.items() if k.lower() == "x-sdk-date"), None)
    if date is None:
        date = sdk_date or format_sdk_date()
        signed["X-Sdk-Date"] = date
    names = signed_header_names(signed)
    query_pairs = parse_qsl(parts.query, keep_blank_values=True)
    canonical = canonical_request(method, parts.path, query_pairs, signed, names, body)
    sig = signature(secret_key, string_to_sign(date, canonical))
    signed["Authorization"] = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, ";".join(names), sig)
    return signed


def parse_authorization(value):
    """Split an SDK-HMAC-SHA256 Authorization header into (access_key, names, signature).

    Raises ValueError when the header is not of that form.
    """
    if not value or not value.startswith(ALGORITHM + " "):
        raise ValueError("not an %s authorization" % ALGORITHM)
    fields = {}
    for item in value[len(ALGORITHM) + 1:].split(","):
        name, sep, field = item.strip().partition("=")
        if not sep:
            raise ValueError("malformed authorization field %r" % item.strip())
        fields[name] = field
    try:
        return fields["Access"], fields["SignedHeaders"].split(";"), fields["Signature"]
    except KeyError as exc:
        raise ValueError("authorization lacks %s" % exc.args[0])
