#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: iam_token
short_description: Get a project-scoped Huawei Cloud IAM token with a user name and password
version_added: 1.0.0
description:
  - Calls C(POST /v3/auth/tokens) of Huawei Cloud Identity and Access Management (IAM) with
    O(user_name), O(password) and O(domain_name), scoped to O(project_id), and returns the token.
  - Use it to ask IAM once and then pass the token as O(huaweicloud.cdm.cdm_job_status#module:auth_token)
    to many tasks, or as the C(X-Auth-Token) header of M(ansible.builtin.uri) calls such as starting a CDM job.
  - "B(The token is a secret) that grants the user's rights in the project for 24 hours. Register the
    result on a task with C(no_log: true), and never print it."
  - Reads only, so it runs in check mode too.
author:
  - huaweicloud.cdm contributors (@huaweicloud)
extends_documentation_fragment:
  - huaweicloud.cdm.connection
  - huaweicloud.cdm.read_only
attributes:
  check_mode:
    description: The module changes nothing; it asks IAM for a token in check mode too.
options:
  only_for_password_auth:
    description:
      - When V(false), the module needs O(user_name), O(password) and O(domain_name) and fails
        without them.
      - When V(true), the module asks IAM only when password authentication is the way the
        collection's other modules would authenticate with the same options, that is when neither
        O(auth_token) nor O(access_key) and O(secret_key) are set. Otherwise it asks nothing, the
        task shows as skipped, and it returns RV(token) as null and RV(auth_method) naming the way in use.
      - The C(huaweicloud.cdm.job_wait) role sets it, so that it asks IAM once per wait wherever
        the credentials come from (environment variables, C(module_defaults) or the role's variables).
    type: bool
    default: false
notes:
  - The endpoint options O(region) and O(endpoint) are not needed when O(iam_endpoint) is set.
  - A token for one project cannot be used for another.
seealso:
  - name: Obtaining a User Token Through Password Authentication (Huawei Cloud IAM API)
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-iam/iam_30_0001.html
"""

EXAMPLES = r"""
- name: Get a token once (user, password, domain and project from the environment)
  huaweicloud.cdm.iam_token:
  register: iam
  no_log: true

- name: Start a CDM job with the token
  ansible.builtin.uri:
    url: "https://cdm.cn-north-4.myhuaweicloud.com/v1.1/{{ project_id }}/clusters/{{ cluster_id }}/cdm/job/jdbc2hive/start"
    method: PUT
    headers:
      X-Auth-Token: "{{ iam.token }}"
  register: start
  no_log: true

- name: Poll with the same token; the password renews it once if it expires
  huaweicloud.cdm.cdm_job_status:
    cluster_id: "{{ cluster_id }}"
    job_name: jdbc2hive
    auth_token: "{{ iam.token }}"
  register: job
  until: job is huaweicloud.cdm.finished
  retries: 120
  delay: 30

- name: Get a token with explicit credentials
  huaweicloud.cdm.iam_token:
    region: cn-north-4
    project_id: 1551c7f6c808414d8e9f3c514a170f2e
    domain_name: my-account
    user_name: deployer
    password: "{{ vault_hwc_password }}"
  register: iam
  no_log: true
"""

RETURN = r"""
token:
  description:
    - The project-scoped IAM token, valid for 24 hours. A secret.
    - Null when O(only_for_password_auth=true) and another way to authenticate is configured.
  returned: success
  type: str
auth_method:
  description:
    - How the collection's modules authenticate with these options - V(password) (a token was fetched),
      V(token) or V(aksk) (nothing was fetched; only with O(only_for_password_auth=true)).
  returned: success
  type: str
  sample: password
request_id:
  description: The request ID of IAM's answer to a failed call; quote it to Huawei Cloud support.
  returned: failure
  type: str
http_status:
  description: HTTP status of the failed call; null when no answer came (timeout, connection error).
  returned: failure
  type: int
  sample: 401
error_code:
  description: IAM's error code of the failed call.
  returned: failure
  type: str
error_message:
  description: IAM's error message of the failed call.
  returned: failure
  type: str
  sample: The username or password is wrong.
retryable:
  description: Whether the failure is transient (HTTP 429, 5xx, a timeout, a connection error).
  returned: failure
  type: bool
"""

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _auth
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _connection
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils._module import CdmModule

PASSWORD_OPTIONS = ("user_name", "password", "domain_name")
OTHER_AUTH_WORDS = {"token": "auth_token is set", "aksk": "access_key and secret_key are set"}


def check_options(params, other_auth):
    """The connection, whose ``iam_endpoint`` is IAM's base URL; raises OptionError naming the first bad option."""
    missing = [name for name in PASSWORD_OPTIONS if not params.get(name)]
    if missing:
        reason = " (%s, but a token cannot be fetched with them)" % OTHER_AUTH_WORDS[other_auth] if other_auth else ""
        raise _options.OptionError("iam_token needs user_name, password and domain_name; missing: %s%s. Environment: "
                                   "HUAWEICLOUD_USER_NAME or HW_USER_NAME, HUAWEICLOUD_PASSWORD or HW_PASSWORD, "
                                   "HUAWEICLOUD_DOMAIN_NAME or HW_DOMAIN_NAME" % (", ".join(missing), reason))
    iam = _options.iam_endpoint(params)
    if iam is None:
        raise _options.OptionError("iam_token needs iam_endpoint or region to find IAM "
                                   "(environment: HUAWEICLOUD_SDK_IAM_ENDPOINT, HUAWEICLOUD_REGION, HW_REGION_NAME)")
    if params.get("endpoint"):
        # Unused here, but module_defaults share it with the CDM modules: refused as they refuse it.
        _options.check_base_url("endpoint", params["endpoint"])
    # No CDM call: IAM's URL is the connection's endpoint.
    return _connection.Connection.from_params(params, endpoint=iam)


def main():
    module = CdmModule(argument_spec=dict(
        # Not a secret, though Ansible takes any option named *_password_* for one and warns.
        only_for_password_auth=dict(type="bool", default=False, no_log=False),
    ))
    params = module.params
    # Without an IAM endpoint select_auth never picks password auth: only the other two can come back.
    other = _auth.select_auth(params, None)
    other_auth = other.name if other is not None else None
    if other_auth and params["only_for_password_auth"]:
        # Shown as skipped, so a play that uses a token or keys does not look as if it asked IAM.
        module.exit_json(changed=False, skipped=True, token=None, auth_method=other_auth,
                         msg="no token fetched: %s" % OTHER_AUTH_WORDS[other_auth])
    try:
        connection = check_options(params, other_auth)
    except _options.OptionError as error:
        module.fail_json(msg=str(error), retryable=False)
    # The password even when a token is set too: a token is what this module is for.
    auth = _auth.PasswordAuth(params["user_name"], params["password"], params["domain_name"], params["project_id"],
                              connection.iam_endpoint)
    try:
        token = auth.fetch_token(module.client(connection, auth))
    except _errors.CdmError as error:
        module.fail_json(**error.as_result())
    module.exit_json(changed=False, token=token, auth_method=auth.name)


if __name__ == "__main__":
    main()
