# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one list of connection and auth options, and their checks.

The doc fragment ``huaweicloud.cdm.connection`` documents exactly these; keep
the two in step (a unit test compares them).
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

DEFAULT_CLOUD = "myhuaweicloud.com"

CONNECTION_ARGSPEC = dict(
    project_id=dict(type="str", required=True,
                    fallback=(env_fallback, ["HUAWEICLOUD_SDK_PROJECT_ID", "ANSIBLE_HWC_PROJECT_ID"])),
    region=dict(type="str", fallback=(env_fallback, ["HUAWEICLOUD_REGION", "HW_REGION_NAME", "ANSIBLE_HWC_REGION"])),
    cloud=dict(type="str", default=DEFAULT_CLOUD, fallback=(env_fallback, ["HW_CLOUD"])),
    endpoint=dict(type="str", fallback=(env_fallback, ["HUAWEICLOUD_CDM_ENDPOINT"])),
    auth_token=dict(type="str", no_log=True, fallback=(env_fallback, ["HUAWEICLOUD_AUTH_TOKEN"])),
    access_key=dict(type="str", no_log=True, fallback=(
        env_fallback, ["HUAWEICLOUD_SDK_AK", "CLOUD_SDK_AK", "HW_ACCESS_KEY", "ANSIBLE_HWC_ACCESS_KEY"])),
    secret_key=dict(type="str", no_log=True, fallback=(
        env_fallback, ["HUAWEICLOUD_SDK_SK", "CLOUD_SDK_SK", "HW_SECRET_KEY", "ANSIBLE_HWC_SECRET_KEY"])),
    security_token=dict(type="str", no_log=True, fallback=(
        env_fallback, ["HUAWEICLOUD_SDK_SECURITY_TOKEN", "HW_SECURITY_TOKEN"])),
    user_name=dict(type="str", fallback=(env_fallback, ["HUAWEICLOUD_USER_NAME", "HW_USER_NAME"])),
    password=dict(type="str", no_log=True, fallback=(env_fallback, ["HUAWEICLOUD_PASSWORD", "HW_PASSWORD"])),
    domain_name=dict(type="str", fallback=(env_fallback, ["HUAWEICLOUD_DOMAIN_NAME", "HW_DOMAIN_NAME"])),
    iam_endpoint=dict(type="str", fallback=(env_fallback, ["HUAWEICLOUD_SDK_IAM_ENDPOINT"])),
    timeout=dict(type="float", default=30.0),
    retries=dict(type="int", default=3),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
)

MAX_RETRIES = 10

# The two ways to name the cluster of a job module (doc fragment huaweicloud.cdm.cluster).
CLUSTER_ARGSPEC = dict(
    cluster_id=dict(type="str"),
    cluster_name=dict(type="str"),
)
CLUSTER_CHOICE = dict(
    mutually_exclusive=[("cluster_id", "cluster_name")],
    required_one_of=[("cluster_id", "cluster_name")],
)
# The job of the job modules (doc fragment huaweicloud.cdm.job_name); cdm_job adds required=True.
JOB_NAME_OPTION = dict(type="str", aliases=["name"])

# The event source huaweicloud.cdm.job_events (extensions/eda/plugins/event_source/job_events.py): its own
# options, besides CONNECTION_ARGSPEC and CLUSTER_ARGSPEC. ``finished`` stands for succeeded and failed.
EMIT_CHOICES = ("started", "finished", "failed", "succeeded", "stalled")
JOB_EVENTS_ARGSPEC = dict(
    jobs=dict(type="list", elements="str"),
    interval=dict(type="float", default=60.0),
    emit=dict(type="list", elements="str", choices=list(EMIT_CHOICES), default=["finished"]),
    initial=dict(type="bool", default=False),
    stalled_after=dict(type="float", default=3600.0),
    error_threshold=dict(type="float", default=300.0),
    max_backoff=dict(type="float", default=300.0),
    state_file=dict(type="path"),
)

# The hint for each kind of failure (``_errors.classify`` and the client's
# connection failures): the words that name the option to fix live here, with
# the options. ``%(host)s`` is the host the request went to.
HINTS = {
    "token_expired": (
        "the IAM token expired (tokens live 24 hours) or was revoked: get a new one for auth_token (for example "
        "with huaweicloud.cdm.iam_token), or give user_name, password and domain_name so an expired token is renewed"),
    "key_locked": (
        "the access key is locked for five minutes after repeated failed attempts (five rejected signatures in a "
        "row): wait five minutes, then try once with the right secret_key"),
    "signature_rejected": (
        "check that secret_key belongs to access_key (and security_token, for temporary keys); not retried, as "
        "five rejected signatures in a row lock the key for five minutes"),
    "credentials": "check the credentials and that they may use this project",
    "job_not_found": "check job_name and cluster_id",
    "cluster_not_found": (
        "check cluster_id: it takes the cluster's ID, a UUID such as 6ec9a0a4-76be-4262-8697-e7af1fac7920, "
        "not the cluster's name (give a name as cluster_name)"),
    "host_not_found": (
        "check region and cloud (the CDM endpoint is https://cdm.{region}.{cloud}), or set endpoint (iam_endpoint "
        "for IAM) to the right base URL"),
    "plain_http_server": (
        "%(host)s answers in plain HTTP, not TLS: use http:// in endpoint only if that is really the CDM endpoint "
        "(a local test server), otherwise check the host and port"),
    "tls_server": "%(host)s speaks TLS: use https:// instead of http:// in endpoint (or iam_endpoint)",
    "tls_verification": (
        "give the CA bundle that signed its certificate in ca_path, or set validate_certs to false only for a "
        "trusted test endpoint"),
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_REGION = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_CLOUD = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# A base URL that already holds the API's path: the client adds it again.
_API_PATHS = {
    "endpoint": re.compile(r"/v1\.1(/.*)?$"),
    "iam_endpoint": re.compile(r"/v3(/.*)?$"),
}


class OptionError(ValueError):
    """Bad input, worded to name the option and what was expected."""


def job_names(params):
    """The job names cdm_job_status asks about (job_name or job_names), each a usable path segment."""
    batch = params["job_names"] is not None
    names = params["job_names"] if batch else [params["job_name"]]
    if not names:
        raise OptionError("job_names must list at least one job name")
    for name in names:
        check_path_value("job_names" if batch else "job_name", name)
    if batch and params["query"] is not None:
        raise OptionError("query works with job_name only, not with job_names")
    if batch and params["history"]:
        raise OptionError("history works with job_name only: batch entries carry the newest run alone")
    return names


def check_path_value(option, value):
    """A value that becomes one URL path segment: refuse what no encoding makes safe."""
    if value is None or value == "":
        raise OptionError("%s must not be empty" % option)
    if value in (".", ".."):
        raise OptionError("%s must not be %r: it would be read as a relative path segment" % (option, value))
    if _CONTROL.search(value):
        raise OptionError("%s must not contain control characters (such as newline or tab)" % option)
    return value


def check_job_variables(value):
    """Runtime job variables as the start call takes them: names and values as strings."""
    variables = {}
    for name, raw in (value or {}).items():
        if not isinstance(name, str) or not name.strip():
            raise OptionError("variables must have non-empty names, not %r" % (name,))
        if isinstance(raw, bool):
            raw = "true" if raw else "false"
        elif not isinstance(raw, (str, int, float)):
            raise OptionError("variables: the value of %s must be a string or a number, not %s"
                              % (name, "null" if raw is None else type(raw).__name__))
        variables[name] = str(raw)
    return variables


def check_base_url(option, value):
    """An http(s) URL with a host and no query or fragment; returned without a trailing slash."""
    expected = "%s must be an http:// or https:// URL with a host name (and optionally a port and path)" % option
    if _CONTROL.search(value) or re.search(r"\s", value):
        raise OptionError(expected + "; it contains spaces or control characters")
    try:
        parts = urlsplit(value)
        hostname = parts.hostname
        if parts.port is not None and parts.port == 0:
            raise ValueError("port 0")
    except ValueError:
        raise OptionError(expected + "; its host or port cannot be read")
    if parts.scheme not in ("http", "https") or not hostname:
        raise OptionError(expected)
    if "?" in value or "#" in value or parts.username or parts.password:
        raise OptionError("%s must be a plain base URL without credentials, query or fragment" % option)
    api_path = _API_PATHS.get(option)
    found = api_path.search(parts.path) if api_path else None
    if found:
        base = "%s://%s%s" % (parts.scheme, parts.netloc, parts.path[:found.start()])
        raise OptionError("%s must be the base URL, without the API path (%s): use %s"
                          % (option, parts.path[found.start():].rstrip("/"), base))
    return value.rstrip("/")


def url_secrets(value):
    """The credential-like parts of a URL option (its userinfo), to be masked before anything is printed."""
    if not isinstance(value, str) or "@" not in value:
        return []
    userinfo = value.split("://", 1)[-1].split("/", 1)[0].rpartition("@")[0]
    if not userinfo:
        return []
    return [part for part in (userinfo, userinfo.partition(":")[2]) if part]


def is_loopback(url):
    """Whether ``url``'s host is this machine (where plain http:// exposes nothing)."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cdm_endpoint(params):
    """The CDM base URL: ``endpoint`` when set, else https://cdm.{region}.{cloud}."""
    if params.get("endpoint"):
        return check_base_url("endpoint", params["endpoint"])
    region, cloud = params.get("region"), params.get("cloud") or DEFAULT_CLOUD
    if not region:
        raise OptionError("one of region or endpoint is required (environment: HUAWEICLOUD_REGION, HW_REGION_NAME, "
                          "ANSIBLE_HWC_REGION, or HUAWEICLOUD_CDM_ENDPOINT)")
    if not _REGION.match(region):
        raise OptionError("region must be a region id such as cn-north-4")
    if not _CLOUD.match(cloud):
        raise OptionError("cloud must be a domain name such as myhuaweicloud.com")
    return "https://cdm.%s.%s" % (region, cloud)


def iam_endpoint(params):
    """The IAM base URL for password auth, or None when it cannot be known."""
    if params.get("iam_endpoint"):
        return check_base_url("iam_endpoint", params["iam_endpoint"])
    region, cloud = params.get("region"), params.get("cloud") or DEFAULT_CLOUD
    if region and _REGION.match(region) and _CLOUD.match(cloud):
        return "https://iam.%s.%s" % (region, cloud)
    return None


URL_OPTIONS = ("endpoint", "iam_endpoint")
SECRET_OPTIONS = ("auth_token", "access_key", "secret_key", "security_token", "password")


def check_connection(params):
    """Check the connection options; raise OptionError naming the first bad one."""
    check_path_value("project_id", params.get("project_id"))
    for option in SECRET_OPTIONS:
        # HTTP headers cannot carry these; say so without ever repeating the value.
        if params.get(option) and option != "password" and re.search(r"[\x00-\x1f\x7f]|^\s|\s$", params[option]):
            raise OptionError("%s has leading or trailing white space or control characters (a stray newline "
                              "from a file or a YAML block?); remove them" % option)
    if params.get("iam_endpoint"):
        check_base_url("iam_endpoint", params["iam_endpoint"])
    if params.get("timeout") is None or not params["timeout"] > 0:
        raise OptionError("timeout must be a number of seconds greater than 0")
    if params.get("retries") is None or not 0 <= params["retries"] <= MAX_RETRIES:
        raise OptionError("retries must be a whole number from 0 to %d" % MAX_RETRIES)
    password_given = params.get("user_name") or params.get("password") or params.get("domain_name")
    if password_given and not (params.get("auth_token") or (params.get("access_key") and params.get("secret_key"))):
        missing = [name for name in ("user_name", "password", "domain_name") if not params.get(name)]
        if missing:
            raise OptionError("password authentication needs user_name, password and domain_name; missing: %s"
                              % ", ".join(missing))
        if iam_endpoint(params) is None:
            raise OptionError("password authentication needs iam_endpoint or region to find IAM")
    if bool(params.get("access_key")) != bool(params.get("secret_key")) and not params.get("auth_token"):
        raise OptionError("access_key and secret_key must be given together")
    return cdm_endpoint(params)


def tls_verify(params):
    """The value for requests' ``verify``: a CA bundle path, True, or False when the user turned it off."""
    if not params.get("validate_certs", True):
        return False
    return params.get("ca_path") or True
