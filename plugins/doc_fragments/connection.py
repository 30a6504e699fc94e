# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  project_id:
    description:
      - The Huawei Cloud project ID the CDM cluster belongs to.
      - When not set, the first of the environment variables E(HUAWEICLOUD_SDK_PROJECT_ID)
        and E(ANSIBLE_HWC_PROJECT_ID) that is set is used.
    type: str
    required: true
  region:
    description:
      - The region of the CDM cluster, such as V(cn-north-4). With O(cloud) it gives the endpoint
        C(https://cdm.{region}.{cloud}) and, for password authentication, C(https://iam.{region}.{cloud}).
      - One of O(region) and O(endpoint) is required.
      - When not set, the first of E(HUAWEICLOUD_REGION), E(HW_REGION_NAME) and E(ANSIBLE_HWC_REGION) that is set is used.
    type: str
  cloud:
    description:
      - The cloud's domain name; private and partner clouds have their own.
      - When not set, E(HW_CLOUD) is used if set.
    type: str
    default: myhuaweicloud.com
  endpoint:
    description:
      - A full base URL of the CDM API, overriding O(region) and O(cloud), for example for a private cloud
        or a local simulator. Only C(http://) and C(https://) URLs are accepted.
      - When not set, E(HUAWEICLOUD_CDM_ENDPOINT) is used if set.
    type: str
  auth_token:
    description:
      - An IAM token, sent as C(X-Auth-Token). First of the three ways to authenticate.
      - When O(user_name), O(password) and O(domain_name) are also given, an expired token (API gateway
        error C(APIG.0307)) is renewed once with them.
      - When not set, E(HUAWEICLOUD_AUTH_TOKEN) is used if set.
    type: str
  access_key:
    description:
      - Access key (AK) for SDK-HMAC-SHA256 request signing; needs O(secret_key). Second of the three
        ways to authenticate, used when O(auth_token) is not set.
      - When not set, the first of E(HUAWEICLOUD_SDK_AK), E(CLOUD_SDK_AK), E(HW_ACCESS_KEY) and
        E(ANSIBLE_HWC_ACCESS_KEY) that is set is used.
    type: str
  secret_key:
    description:
      - Secret key (SK) matching O(access_key).
      - When not set, the first of E(HUAWEICLOUD_SDK_SK), E(CLOUD_SDK_SK), E(HW_SECRET_KEY) and
        E(ANSIBLE_HWC_SECRET_KEY) that is set is used.
    type: str
  security_token:
    description:
      - Security token of temporary AK/SK credentials, sent as C(X-Security-Token) and signed.
      - When not set, the first of E(HUAWEICLOUD_SDK_SECURITY_TOKEN) and E(HW_SECURITY_TOKEN) that is set is used.
    type: str
  user_name:
    description:
      - IAM user name for password authentication; needs O(password) and O(domain_name). Third of the
        three ways to authenticate; a project-scoped token is fetched from IAM once per module run.
      - When not set, the first of E(HUAWEICLOUD_USER_NAME) and E(HW_USER_NAME) that is set is used.
    type: str
  password:
    description:
      - Password of O(user_name).
      - When not set, the first of E(HUAWEICLOUD_PASSWORD) and E(HW_PASSWORD) that is set is used.
    type: str
  domain_name:
    description:
      - Account (domain) name O(user_name) belongs to.
      - When not set, the first of E(HUAWEICLOUD_DOMAIN_NAME) and E(HW_DOMAIN_NAME) that is set is used.
    type: str
  iam_endpoint:
    description:
      - Base URL of IAM for password authentication. Defaults to C(https://iam.{region}.{cloud}).
      - When not set, E(HUAWEICLOUD_SDK_IAM_ENDPOINT) is used if set.
    type: str
  timeout:
    description:
      - Seconds to wait for each HTTP request.
    type: float
    default: 30
  retries:
    description:
      - Extra attempts after a transient failure (HTTP 429, 5xx, a timeout, a connection error), with
        exponential backoff and jitter; a C(Retry-After) header is honoured up to 30 seconds.
      - Authentication failures and unknown jobs are never retried (more than five failed AK/SK
        attempts in a row lock the key pair for five minutes).
      - From 0 to 10.
    type: int
    default: 3
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. Only turn this off for a trusted test endpoint;
        prefer O(ca_path) for a private CA.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of CA certificates to verify the server's certificate with, instead of the system's.
      - Without it, and with O(validate_certs) on, the file named by the environment variable C(REQUESTS_CA_BUNDLE) or C(CURL_CA_BUNDLE)
        is used when set, as C(requests) does.
    type: path
notes:
  - Authentication uses the first complete way of O(auth_token); O(access_key) and O(secret_key);
    O(user_name), O(password) and O(domain_name). With none complete the module fails and sends nothing.
  - Set these options once for every module of the collection with C(module_defaults) and the action
    group C(group/huaweicloud.cdm.cdm).
  - A proxy set in E(HTTPS_PROXY) (or E(HTTP_PROXY), E(ALL_PROXY)) is used, except for the hosts in E(NO_PROXY).
    Credentials in C(~/.netrc) are never sent.
requirements:
  - requests
"""
