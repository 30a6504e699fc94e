#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cdm_job
short_description: Start or stop a Huawei Cloud CDM migration job's run
version_added: 1.1.0
description:
  - Makes sure a Huawei Cloud Cloud Data Migration (CDM) job has a run in progress (O(state=started)) or has
    none (O(state=stopped)), and returns that run, ready for M(huaweicloud.cdm.cdm_job_status),
    the P(huaweicloud.cdm.finished#test) test and the C(huaweicloud.cdm.job_wait) role.
  - The job's status is read first. O(state=started) sends C(PUT .../cdm/job/{job_name}/start) only when the job
    has no active run (V(PENDING), V(BOOTING), V(RUNNING)); O(state=stopped) sends C(PUT .../stop) only when the
    job has a run that has not ended.
  - Two pipelines may start the same job at once. A start answered C(Cdm.0052) (job is running) found the other
    pipeline's run, which is returned, unchanged. A stop answered C(Cdm.0053) (job is not running) is a no-op.
  - A start or stop is sent again only when it provably never reached CDM (a refused connection, HTTP 429, a
    gateway's 503). When its answer is lost after it was sent (a timeout, a dropped connection, another 5xx), the
    status is read again to learn what happened; a second start is never sent.
author:
  - huaweicloud.cdm contributors (@huaweicloud)
extends_documentation_fragment:
  - huaweicloud.cdm.cluster
  - huaweicloud.cdm.connection
attributes:
  check_mode:
    support: full
    description: The status is read; the result says what would be done (RV(action), C(changed)); no start or stop is sent.
  diff_mode:
    support: none
    description: Nothing to show beyond RV(action).
options:
  job_name:
    description:
      - Name of the CDM job. Any characters are allowed; they are percent-encoded, so the name can never change
        the request path.
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(started) makes sure a run is in progress, starting one when the job has none.
      - V(stopped) makes sure no run is in progress, stopping the active one. A stop is asynchronous; the result
        shows the status read right after it.
    type: str
    required: true
    choices: [started, stopped]
  variables:
    description:
      - 'Runtime job variables for the run a start makes, sent as the start''s body C({"variables": {...}}).
        Values are sent as strings (V(true) and V(false) for booleans).'
      - Omitted or empty, the start is sent without a body. Not sent when a run is already in progress.
      - Only with O(state=started).
    type: dict
seealso:
  - module: huaweicloud.cdm.cdm_job_status
  - name: Starting a Job (Huawei Cloud CDM API)
    description: The start call.
    link: https://support.huaweicloud.com/intl/en-us/api-cdm/StartJob.html
  - name: Stopping a Job (Huawei Cloud CDM API)
    description: The stop call.
    link: https://support.huaweicloud.com/intl/en-us/api-cdm/StopJob.html
"""

EXAMPLES = r"""
- name: Start the migration job, unless a run is already in progress
  huaweicloud.cdm.cdm_job:
    cluster_id: 6ec9a0a4-76be-4262-8697-e7af1fac7920
    job_name: jdbc2hive
    state: started
    variables:
      load_date: "2024-06-01"
  register: start

- name: Wait for that run
  ansible.builtin.include_role:
    name: huaweicloud.cdm.job_wait
  vars:
    job_wait_job_name: jdbc2hive
    job_wait_cluster_id: 6ec9a0a4-76be-4262-8697-e7af1fac7920
    job_wait_submission_id: "{{ start.submission_id }}"

- name: Or wait with the module alone
  huaweicloud.cdm.cdm_job_status:
    cluster_name: cdm-prod
    job_name: jdbc2hive
  register: job
  until: job is huaweicloud.cdm.finished(submission_id=start.submission_id)
  retries: 120
  delay: 30

- name: Stop the job's run, if it has one
  huaweicloud.cdm.cdm_job:
    cluster_name: cdm-prod
    job_name: jdbc2hive
    state: stopped
"""

RETURN = r"""
action:
  description:
    - What the task did, one of V(started) (a start was sent, or would be in check mode), V(already_running) (a run was
      in progress, or another caller started one first), V(stopped) (a stop was sent, or would be in check mode),
      V(not_running) (no run to stop).
  returned: success
  type: str
  sample: started
job_name:
  description: The job.
  returned: always, unless an option was refused
  type: str
  sample: jdbc2hive
cluster_id:
  description: ID of the cluster, the one O(cluster_name) resolved to when that was given.
  returned: always, unless an option was refused
  type: str
  sample: 6ec9a0a4-76be-4262-8697-e7af1fac7920
submission_id:
  description:
    - ID of the run the task started, found running, or stopped; give it to C(job_wait_submission_id) or the
      P(huaweicloud.cdm.finished#test) test. Null when the job has no run.
    - In check mode, and with V(not_running), the newest run read (nothing was started).
  returned: success
  type: int
  sample: 1201
status:
  description: Status of that run, as in M(huaweicloud.cdm.cdm_job_status); V(NEVER_EXECUTED) when the job has none.
  returned: success
  type: str
  sample: BOOTING
progress:
  description: Progress of that run, 0 to 100; V(-1) when it failed; null when unknown.
  returned: success
  type: float
  sample: 0.0
finished:
  description: Whether that run has ended; V(false) when the task failed before reading one.
  returned: always
  type: bool
  sample: false
succeeded:
  description: Whether that run ended in V(SUCCEEDED).
  returned: always
  type: bool
  sample: false
submission:
  description:
    - That run, normalised exactly as RV(huaweicloud.cdm.cdm_job_status#module:submission) is (snake_case keys,
      dates as integer epoch milliseconds). Null when the job has no run.
  returned: success
  type: dict
run_seconds:
  description:
    - How long that run has taken, in seconds on the service's clock, as
      RV(huaweicloud.cdm.cdm_job_status#module:run_seconds) is; null when it cannot be known.
  returned: success
  type: int
  sample: 0
  version_added: 1.1.0
eta_seconds:
  description:
    - Estimated seconds that run still needs, as RV(huaweicloud.cdm.cdm_job_status#module:eta_seconds) is; null
      before it shows progress.
  returned: success
  type: int
  version_added: 1.1.0
idle_seconds:
  description: Seconds since that run last changed, on the service's clock; null when it cannot be known.
  returned: success
  type: int
  sample: 0
  version_added: 1.1.0
service_time:
  description:
    - The service's time, in epoch seconds, from the C(Date) header of the answer the run was read from (the start
      or stop answer when it showed the run, else the status read); null when that header is missing or unreadable.
  returned: success
  type: int
  sample: 1764645296
  version_added: 1.1.0
request_id:
  description:
    - The C(X-Request-Id) of the start or stop call's answer when one was sent and answered, else of the status
      read; quote it to Huawei Cloud support. Null when no answer came.
  returned: always, unless an option was refused
  type: str
http_status:
  description: HTTP status of the failed call; null when no answer came or the answer itself was the refusal.
  returned: failure
  type: int
  sample: 400
error_code:
  description: The API's error code of the failed call, such as V(Cdm.0059) (the job is disabled).
  returned: failure
  type: str
  sample: Cdm.0059
error_message:
  description: The API's error message, or the error summary of a run that ended at once, or the validation errors.
  returned: failure
  type: str
retryable:
  description:
    - Whether running the task again may succeed (throttling, 5xx, no answer). Running it again is safe either way,
      as the task reads the status first and so never starts a second run.
  returned: failure
  type: bool
"""

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _runs
from ansible_collections.huaweicloud.cdm.plugins.module_utils._module import CdmModule


def main():
    module = CdmModule(
        argument_spec=dict(
            _options.CLUSTER_ARGSPEC,
            job_name=dict(type="str", required=True, aliases=["name"]),
            state=dict(type="str", required=True, choices=list(_runs.STATES)),
            variables=dict(type="dict"),
        ),
        **_options.CLUSTER_CHOICE
    )
    params = module.params
    job_name = params["job_name"]
    try:
        _options.check_path_value("job_name", job_name)
        variables = _options.check_job_variables(params["variables"])
        if variables and params["state"] != "started":
            raise _options.OptionError("variables go with state=started only")
    except _options.OptionError as error:
        module.fail_option(error, job_name=job_name)
    cluster = module.cluster()
    try:
        result, warnings = _runs.ensure(cluster, job_name, params["state"], variables, module.check_mode)
    except _runs.RunFailure as failure:
        module.fail_json(**dict(dict(finished=False, succeeded=False), job_name=job_name,
                                cluster_id=cluster.cluster_id, **failure.result))
    except _errors.CdmError as error:
        module.fail_call(error, job_name=job_name, cluster_id=cluster.cluster_id)
    for warning in warnings:
        module.warn(warning)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
