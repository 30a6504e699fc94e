# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest
import yaml

from ansible_collections.huaweicloud.cdm.plugins.doc_fragments import cluster
from ansible_collections.huaweicloud.cdm.plugins.doc_fragments import job_name
from ansible_collections.huaweicloud.cdm.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils._options import OptionError


@pytest.fixture
def params():
    """Connection options as AnsibleModule hands them over: every key present, defaults applied."""
    values = dict((name, spec.get("default")) for name, spec in _options.CONNECTION_ARGSPEC.items())
    values.update(project_id="0123456789abcdef0123456789abcdef", region="cn-north-4", auth_token="token-value")
    return values


@pytest.fixture
def documented_options():
    return yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]


@pytest.mark.parametrize("fragment, argspec", [
    (job_name.ModuleDocFragment, {"job_name": _options.JOB_NAME_OPTION}),
    (cluster.ModuleDocFragment, _options.CLUSTER_ARGSPEC),
], ids=["job_name", "cluster"])
def test_each_shared_option_is_documented_as_its_argspec_has_it(fragment, argspec):
    documented = yaml.safe_load(fragment.DOCUMENTATION)["options"]
    assert sorted(documented) == sorted(argspec)
    for name, spec in argspec.items():
        assert (documented[name]["type"], documented[name].get("aliases")) == (spec["type"], spec.get("aliases"))


# check_path_value

@pytest.mark.parametrize("value", ["jdbc2hive", "a/b", "a?b#c%d", "my job", "数据迁移", "...", "a..b", ".hidden"])
def test_path_value_that_encoding_makes_safe_is_accepted(value):
    assert _options.check_path_value("job_name", value) == value


@pytest.mark.parametrize("value", [None, ""])
def test_empty_path_value_is_refused_naming_the_option(value):
    with pytest.raises(OptionError, match="^job_name must not be empty"):
        _options.check_path_value("job_name", value)


@pytest.mark.parametrize("value", [".", ".."])
def test_dot_segments_are_refused_naming_the_option(value):
    with pytest.raises(OptionError, match="^cluster_id must not be"):
        _options.check_path_value("cluster_id", value)


@pytest.mark.parametrize("value", ["a\nb", "tab\there", "nul\x00", "del\x7f", "cr\r"])
def test_control_characters_are_refused_naming_the_option(value):
    with pytest.raises(OptionError, match="^job_name must not contain control characters"):
        _options.check_path_value("job_name", value)


# check_base_url

@pytest.mark.parametrize("value, expected", [
    ("https://cdm.example.com", "https://cdm.example.com"),
    ("https://cdm.example.com/", "https://cdm.example.com"),
    ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
    ("https://gateway.example.com/cdm/", "https://gateway.example.com/cdm"),
])
def test_http_base_url_is_accepted_without_trailing_slash(value, expected):
    assert _options.check_base_url("endpoint", value) == expected


@pytest.mark.parametrize("value", [
    "ftp://x", "file:///etc/passwd", "javascript:alert(1)", "cdm.example.com", "//cdm.example.com",
    "https://", "http:///v1.1", "gopher://cdm.example.com",
])
def test_non_http_or_hostless_url_is_refused_naming_the_option(value):
    with pytest.raises(OptionError, match="^endpoint must be an http:// or https:// URL with a host name"):
        _options.check_base_url("endpoint", value)


@pytest.mark.parametrize("value", [
    "https://user:hunter2@cdm.example.com", "https://user@cdm.example.com", "https://cdm.example.com/?x=1",
    "https://cdm.example.com#frag",
])
def test_url_with_credentials_query_or_fragment_is_refused_naming_the_option(value):
    with pytest.raises(OptionError, match="^iam_endpoint must be a plain base URL"):
        _options.check_base_url("iam_endpoint", value)


@pytest.mark.parametrize("value", ["https://cdm.example.com/\n", "https://cdm.example.com/\tx", " https://cdm.example.com"])
def test_url_with_white_space_or_control_characters_is_refused_naming_the_option(value):
    with pytest.raises(OptionError, match="^iam_endpoint must be an http:// or https:// URL.*spaces or control characters"):
        _options.check_base_url("iam_endpoint", value)


def test_refusal_does_not_repeat_the_password_in_the_url():
    with pytest.raises(OptionError) as caught:
        _options.check_base_url("endpoint", "https://user:hunter2@cdm.example.com")
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("value", ["https://cdm.example.com?", "https://cdm.example.com/#"])
def test_url_ending_in_an_empty_query_or_fragment_is_refused(value):
    with pytest.raises(OptionError):
        _options.check_base_url("endpoint", value)


def test_url_with_a_broken_ipv6_host_is_refused_as_an_option_error():
    with pytest.raises(OptionError):
        _options.check_base_url("endpoint", "http://[::1")


@pytest.mark.parametrize("value", ["http://127.0.0.1:abc", "http://127.0.0.1:99999", "http://127.0.0.1:0", "https://cdm example.com"])
def test_url_with_an_unusable_host_or_port_is_refused(value):
    with pytest.raises(OptionError):
        _options.check_base_url("endpoint", value)


# cdm_endpoint

def test_cdm_endpoint_is_built_from_region(params):
    assert _options.cdm_endpoint(params) == "https://cdm.cn-north-4.myhuaweicloud.com"


def test_cdm_endpoint_is_built_from_region_and_cloud(params):
    params["cloud"] = "private.example.org"
    assert _options.cdm_endpoint(params) == "https://cdm.cn-north-4.private.example.org"


def test_missing_cloud_means_the_public_cloud(params):
    params["cloud"] = None
    assert _options.cdm_endpoint(params) == "https://cdm.cn-north-4.myhuaweicloud.com"


def test_endpoint_overrides_region_and_cloud(params):
    params.update(endpoint="http://127.0.0.1:8080/", cloud="private.example.org")
    assert _options.cdm_endpoint(params) == "http://127.0.0.1:8080"


def test_endpoint_without_region_is_enough(params):
    params.update(region=None, endpoint="https://cdm.example.com")
    assert _options.cdm_endpoint(params) == "https://cdm.example.com"


def test_bad_endpoint_is_refused_even_with_a_region(params):
    params["endpoint"] = "ftp://x"
    with pytest.raises(OptionError, match="^endpoint "):
        _options.cdm_endpoint(params)


def test_missing_region_and_endpoint_names_both_and_their_environment_variables(params):
    params["region"] = None
    with pytest.raises(OptionError) as caught:
        _options.cdm_endpoint(params)
    message = str(caught.value)
    assert "region" in message and "endpoint" in message
    assert "HW_REGION_NAME" in message and "HUAWEICLOUD_CDM_ENDPOINT" in message


@pytest.mark.parametrize("region", ["CN-NORTH-4", "cn_north_4", "cn-north-4/..", "cn-north-4.evil.com", "-cn", "cn-", "cn north"])
def test_region_that_is_not_a_region_id_is_refused(params, region):
    params["region"] = region
    with pytest.raises(OptionError, match="^region must be a region id"):
        _options.cdm_endpoint(params)


@pytest.mark.parametrize("cloud", ["localhost", "example.com/x", "exa mple.com", "example.com.", "evil.com@x.org", ".com"])
def test_cloud_that_is_not_a_domain_name_is_refused(params, cloud):
    params["cloud"] = cloud
    with pytest.raises(OptionError, match="^cloud must be a domain name"):
        _options.cdm_endpoint(params)


# iam_endpoint

def test_iam_endpoint_is_built_from_region_and_cloud(params):
    params["cloud"] = "private.example.org"
    assert _options.iam_endpoint(params) == "https://iam.cn-north-4.private.example.org"


def test_iam_endpoint_option_overrides_region(params):
    params["iam_endpoint"] = "https://iam.example.com/"
    assert _options.iam_endpoint(params) == "https://iam.example.com"


def test_iam_endpoint_is_unknown_without_region(params):
    params.update(region=None, endpoint="https://cdm.example.com")
    assert _options.iam_endpoint(params) is None


def test_iam_endpoint_is_unknown_for_a_bad_region(params):
    params["region"] = "not a region"
    assert _options.iam_endpoint(params) is None


def test_bad_iam_endpoint_is_refused_naming_the_option(params):
    params["iam_endpoint"] = "file:///etc/passwd"
    with pytest.raises(OptionError, match="^iam_endpoint "):
        _options.iam_endpoint(params)


# check_connection

def test_complete_connection_gives_the_cdm_endpoint(params):
    assert _options.check_connection(params) == "https://cdm.cn-north-4.myhuaweicloud.com"


@pytest.mark.parametrize("value", [None, "", "..", "a\nb"])
def test_bad_project_id_is_refused_naming_it(params, value):
    params["project_id"] = value
    with pytest.raises(OptionError, match="^project_id "):
        _options.check_connection(params)


@pytest.mark.parametrize("value", [0, -1, None, float("nan")])
def test_timeout_must_be_positive(params, value):
    params["timeout"] = value
    with pytest.raises(OptionError, match="^timeout must be a number of seconds greater than 0"):
        _options.check_connection(params)


@pytest.mark.parametrize("value", [-1, 11, 99, None])
def test_retries_must_be_from_zero_to_ten(params, value):
    params["retries"] = value
    with pytest.raises(OptionError, match="^retries must be a whole number from 0 to 10"):
        _options.check_connection(params)


@pytest.mark.parametrize("value", [0, 10])
def test_retries_limits_are_accepted(params, value):
    params["retries"] = value
    assert _options.check_connection(params)


def test_partial_password_credentials_name_what_is_missing(params):
    params.update(auth_token=None, user_name="alice")
    with pytest.raises(OptionError) as caught:
        _options.check_connection(params)
    assert str(caught.value) == "password authentication needs user_name, password and domain_name; missing: password, domain_name"


def test_password_credentials_need_a_way_to_find_iam(params):
    params.update(auth_token=None, region=None, endpoint="https://cdm.example.com",
                  user_name="alice", password="pw", domain_name="corp")
    with pytest.raises(OptionError, match="^password authentication needs iam_endpoint or region"):
        _options.check_connection(params)


def test_complete_password_credentials_with_region_are_accepted(params):
    params.update(auth_token=None, user_name="alice", password="pw", domain_name="corp")
    assert _options.check_connection(params) == "https://cdm.cn-north-4.myhuaweicloud.com"


def test_partial_password_credentials_are_ignored_when_a_token_is_given(params):
    params["user_name"] = "alice"
    assert _options.check_connection(params)


def test_partial_password_credentials_are_ignored_when_ak_sk_are_given(params):
    params.update(auth_token=None, access_key="ak", secret_key="sk", password="pw")
    assert _options.check_connection(params)


@pytest.mark.parametrize("given", [{"access_key": "ak"}, {"secret_key": "sk"}])
def test_access_key_and_secret_key_go_together(params, given):
    params.update(auth_token=None, **given)
    with pytest.raises(OptionError, match="^access_key and secret_key must be given together"):
        _options.check_connection(params)


def test_half_an_ak_sk_pair_is_ignored_when_a_token_is_given(params):
    params["access_key"] = "ak"
    assert _options.check_connection(params)


def test_check_connection_refuses_a_missing_region(params):
    params["region"] = None
    with pytest.raises(OptionError, match="^one of region or endpoint is required"):
        _options.check_connection(params)


# tls_verify

def test_certificates_are_verified_by_default(params):
    assert _options.tls_verify(params) is True


def test_ca_path_is_used_as_the_bundle(params):
    params["ca_path"] = "/etc/pki/private-ca.pem"
    assert _options.tls_verify(params) == "/etc/pki/private-ca.pem"


def test_verification_can_be_turned_off(params):
    params["validate_certs"] = False
    assert _options.tls_verify(params) is False


def test_turning_verification_off_wins_over_ca_path(params):
    params.update(validate_certs=False, ca_path="/etc/pki/private-ca.pem")
    assert _options.tls_verify(params) is False


def test_missing_validate_certs_means_verify():
    assert _options.tls_verify({}) is True


# The doc fragment documents exactly the argspec

def test_doc_fragment_documents_every_option_and_no_other(documented_options):
    assert sorted(documented_options) == sorted(_options.CONNECTION_ARGSPEC)


@pytest.mark.parametrize("name", sorted(_options.CONNECTION_ARGSPEC))
def test_doc_fragment_type_matches_the_argspec(documented_options, name):
    assert documented_options[name].get("type", "str") == _options.CONNECTION_ARGSPEC[name].get("type", "str")


@pytest.mark.parametrize("name", sorted(_options.CONNECTION_ARGSPEC))
def test_doc_fragment_default_matches_the_argspec(documented_options, name):
    assert documented_options[name].get("default") == _options.CONNECTION_ARGSPEC[name].get("default")


@pytest.mark.parametrize("name", sorted(_options.CONNECTION_ARGSPEC))
def test_doc_fragment_required_matches_the_argspec(documented_options, name):
    assert bool(documented_options[name].get("required")) == bool(_options.CONNECTION_ARGSPEC[name].get("required"))


def _fallback_env_vars(name):
    fallback = _options.CONNECTION_ARGSPEC[name].get("fallback")
    return list(fallback[1]) if fallback else []


def _description(documented_options, name):
    description = documented_options[name]["description"]
    return " ".join(description) if isinstance(description, list) else description


@pytest.mark.parametrize("name", sorted(name for name in _options.CONNECTION_ARGSPEC if _fallback_env_vars(name)))
def test_doc_fragment_names_every_fallback_env_var_in_lookup_order(documented_options, name):
    description = _description(documented_options, name)
    positions = []
    for variable in _fallback_env_vars(name):
        assert "E(%s)" % variable in description, "%s: %s is not documented" % (name, variable)
        positions.append(description.index("E(%s)" % variable))
    assert positions == sorted(positions), "%s: environment variables are documented out of lookup order" % name


@pytest.mark.parametrize("name", sorted(_options.CONNECTION_ARGSPEC))
def test_doc_fragment_mentions_no_env_var_the_argspec_does_not_read(documented_options, name):
    description = _description(documented_options, name)
    mentioned = set(part.split(")", 1)[0] for part in description.split("E(")[1:])
    assert mentioned <= set(_fallback_env_vars(name))


@pytest.mark.parametrize("name", ["auth_token", "access_key", "secret_key", "security_token", "password"])
def test_secret_options_are_no_log(name):
    assert _options.CONNECTION_ARGSPEC[name].get("no_log") is True


# Mistakes in URL options get the value to use

@pytest.mark.parametrize("endpoint, base", [
    ("https://cdm.cn-north-4.myhuaweicloud.com/v1.1", "https://cdm.cn-north-4.myhuaweicloud.com"),
    ("https://cdm.cn-north-4.myhuaweicloud.com/v1.1/", "https://cdm.cn-north-4.myhuaweicloud.com"),
    ("https://cdm.example.com:8443/proxy/v1.1/1551c7f6c808414d8e9f3c514a170f2e",
     "https://cdm.example.com:8443/proxy"),
])
def test_an_endpoint_with_the_api_path_is_refused_with_the_base_url(endpoint, base):
    with pytest.raises(_options.OptionError) as caught:
        _options.check_base_url("endpoint", endpoint)
    assert str(caught.value).startswith("endpoint must be the base URL, without the API path (/v1.1")
    assert str(caught.value).endswith(": use %s" % base)


def test_an_iam_endpoint_with_the_api_path_is_refused_with_the_base_url():
    with pytest.raises(_options.OptionError) as caught:
        _options.check_base_url("iam_endpoint", "https://iam.cn-north-4.myhuaweicloud.com/v3/auth/tokens")
    assert str(caught.value) == ("iam_endpoint must be the base URL, without the API path (/v3/auth/tokens): "
                                 "use https://iam.cn-north-4.myhuaweicloud.com")


def test_a_path_that_only_looks_like_the_api_path_is_kept():
    assert _options.check_base_url("endpoint", "https://gw.example.com/v1.10") == "https://gw.example.com/v1.10"


@pytest.mark.parametrize("value, secrets", [
    ("https://admin:S3cretPW@cdm.example.com/", ["admin:S3cretPW", "S3cretPW"]),
    ("https://token@cdm.example.com", ["token"]),
    ("https://cdm.example.com/a@b", []),
    ("https://cdm.example.com", []),
    (None, []),
])
def test_the_userinfo_of_a_url_is_what_gets_masked(value, secrets):
    assert _options.url_secrets(value) == secrets


@pytest.mark.parametrize("url, loopback", [
    ("http://127.0.0.1:8080", True), ("http://127.8.9.10", True), ("http://[::1]:80", True),
    ("http://localhost:1", True), ("http://sim.localhost", True),
    ("http://10.0.0.5", False), ("http://cdm.example.com", False), ("http://localhost.example.com", False),
])
def test_loopback_hosts_are_told_apart(url, loopback):
    assert _options.is_loopback(url) is loopback
