# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a request that got no usable answer means: which failures are permanent, and the words for them.

The client (``_client``) sends; this module only reads the exception it got.
"""

from __future__ import annotations

import re
import socket
import ssl
from urllib.parse import urlsplit

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors

try:
    import requests
    from urllib3.exceptions import NewConnectionError
except ImportError:  # pragma: no cover - the client reports the missing library first
    requests = None
    NewConnectionError = None

# getaddrinfo's "no such name" answers (EAI_NONAME, EAI_NODATA, and macOS's wording);
# "Temporary failure in name resolution" (EAI_AGAIN) may heal, so it is not here.
_NAME_NOT_KNOWN = re.compile(r"Name or service not known|No address associated with hostname|"
                             r"nodename nor servname provided|\[Errno -2\]|\[Errno -5\]|\[Errno 11001\]")
# OpenSSL's words when the server answered a TLS hello in plain HTTP.
_PLAIN_HTTP_ANSWER = re.compile(r"WRONG_VERSION_NUMBER|wrong version number|record layer failure|"
                                r"packet length too long|HTTP_REQUEST", re.IGNORECASE)


def tls_failure(url, reason):
    host = host_of(url)
    if _PLAIN_HTTP_ANSWER.search(reason):
        return _errors.connection_failure("plain_http_server", "the TLS handshake with %s failed (%s)"
                                          % (host, reason), {"host": host})
    return _errors.connection_failure("tls_verification", "TLS verification of %s failed: %s" % (host, reason))


def speaks_tls(url, timeout):
    """Whether the server of an http:// URL completes a TLS handshake (one short extra connection)."""
    parts = urlsplit(url)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=parts.hostname):
                return True
    except (OSError, ValueError):
        return False


def never_connected(exc):
    """Whether requests failed before a connection existed (refused, unreachable): nothing was sent."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError)


def host_of(url):
    return url.split("://", 1)[-1].split("/", 1)[0]


def short(exc):
    # requests wraps the cause in several layers whose text repeats the URL; the
    # socket's own words ("[Errno 111] Connection refused") are what a user needs.
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    text = str(reason or exc)
    found = re.search(r"\[Errno -?\d+\][^'\")]*|Read timed out|Connection aborted|RemoteDisconnected[^'\")]*", text)
    if found:
        return found.group(0).strip()
    return text if len(text) <= 300 else text[:300] + "..."


def connection_failure(url, exc, timeout):
    """The CdmError for a request that got no answer: permanent when retrying cannot help."""
    reason = short(exc)
    host = host_of(url)
    if _NAME_NOT_KNOWN.search(str(exc)):
        return _errors.connection_failure("host_not_found", "the host name %s does not resolve (%s)"
                                          % (urlsplit(url).hostname, reason))
    dropped = reason.startswith(("Connection aborted", "RemoteDisconnected", "[Errno 104]"))
    if dropped and url.startswith("http://") and speaks_tls(url, min(timeout, 5.0)):
        # A TLS server drops a request sent in plain text: say so, and do not retry it.
        return _errors.connection_failure("tls_server", "the connection to %s closed without an answer (%s)"
                                          % (host, reason), {"host": host})
    if dropped:
        return _errors.CdmError("the connection to %s closed without an answer (%s)" % (host, reason),
                                retryable=True)
    return _errors.CdmError("could not reach %s: %s" % (host, reason), retryable=True)
