#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cdm_job
short_description: Start or stop a Huawei Cloud CDM job's run, or keep its definition as code
version_added: 1.1.0
description:
  - O(state=started) makes sure a Huawei Cloud Cloud Data Migration (CDM) job has a run in progress, O(state=stopped)
    that it has none, returning that run, ready for M(huaweicloud.cdm.cdm_job_status), the
    P(huaweicloud.cdm.finished#test) test and the C(huaweicloud.cdm.job_wait) role. The job's status is read first; a
    start is sent only when no run is active (V(PENDING), V(BOOTING), V(RUNNING)), a stop only when a run has not ended.
  - A start answered C(Cdm.0052) (job is running) found another pipeline's run, which is returned, unchanged. A stop
    answered C(Cdm.0053) (job is not running) is a no-op. A start or stop is sent again only when it provably never
    reached CDM; when its answer is lost, the status is read again to learn what happened.
  - O(state=present) creates the job from O(definition), or changes it when the definition CDM holds differs.
    O(state=absent) deletes the job; a missing job is a no-op. Neither ever starts a run.
  - The comparison ignores what the service adds (users, dates, ids, status, counters, and keys of a config group
    or input that O(definition) does not state), reads input values URL-decoded, and ignores the order of config
    groups and inputs. A group or input added or removed is a change.
  - To bring an existing job under code, save the RV(huaweicloud.cdm.cdm_job_info#module:jobs[].definition) that
    M(huaweicloud.cdm.cdm_job_info) returns for it (for example as YAML in a definitions folder) and pass it as
    O(definition). Applied as it is, it changes nothing.
author:
  - huaweicloud.cdm contributors (@huaweicloud)
extends_documentation_fragment:
  - huaweicloud.cdm.cluster
  - huaweicloud.cdm.connection
  - huaweicloud.cdm.job_name
attributes:
  check_mode:
    support: full
    description: Only reads are sent; the result says what would be done (RV(action), C(changed), the diff).
  diff_mode:
    support: full
    description: With O(state=present) and O(state=absent), the definition before and after, server fields left out.
options:
  job_name:
    required: true
  state:
    description:
      - V(started) makes sure a run is in progress, starting one when the job has none.
      - V(stopped) makes sure no run is in progress, stopping the active one. A stop is asynchronous; the result
        shows the status read right after it.
      - V(present) makes sure the job exists with O(definition); V(absent) that it does not exist.
    type: str
    required: true
    choices: [started, stopped, present, absent]
  definition:
    description:
      - 'The job as the create call takes it (the object inside C({"jobs": [...]})): C(job_type), C(from-connector-name),
        C(from-link-name), C(from-config-values), C(to-connector-name), C(to-link-name), C(to-config-values),
        C(driver-config-values). Input values are sent as text (V(true) and V(false) for booleans).'
      - C(name) may be left out; when given it must be O(job_name).
      - Required with O(state=present), and only with it.
    type: dict
  stop_running:
    description:
      - A job with an active run cannot be changed or deleted (C(Cdm.0052)). V(false) fails the task saying so;
        V(true) stops the run, waits up to O(stop_timeout) seconds for it to end (RV(stopped_run)), then changes or
        deletes the job.
      - Only with O(state=present) and O(state=absent).
    type: bool
    default: false
  stop_timeout:
    description: How long O(stop_running) waits for the stopped run to end, in seconds.
    type: int
    default: 300
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

- name: Stop the job's run, if it has one
  huaweicloud.cdm.cdm_job:
    cluster_name: cdm-prod
    job_name: jdbc2hive
    state: stopped

- name: Create or change a job from its definition in git (one YAML file a job)
  huaweicloud.cdm.cdm_job:
    cluster_name: cdm-prod
    job_name: "{{ item | basename | splitext | first }}"
    state: present
    definition: "{{ lookup('ansible.builtin.file', item) | from_yaml }}"
    stop_running: true
  loop: "{{ query('ansible.builtin.fileglob', 'cdm_jobs/*.yml') }}"

- name: Bring an existing job under code - export its definition...
  huaweicloud.cdm.cdm_job_info:
    cluster_name: cdm-prod
    job_name: jdbc2hive
  register: existing

- name: ...into the definitions folder; applied as it is, it changes nothing
  ansible.builtin.copy:
    content: "{{ existing.jobs[0].definition | to_nice_yaml }}"
    dest: cdm_jobs/jdbc2hive.yml
    mode: "0644"

- name: Delete a job that is no longer wanted
  huaweicloud.cdm.cdm_job:
    cluster_name: cdm-prod
    job_name: old_export
    state: absent
"""

RETURN = r"""
action:
  description:
    - What the task did (or would do, in check mode). V(started) (a start was sent), V(already_running) (a run was
      in progress, or another caller started one first), V(stopped) (a stop was sent), V(not_running) (no run to stop).
    - V(created), V(changed), V(unchanged), V(deleted), V(already_absent) with O(state=present) and O(state=absent).
  returned: success
  type: str
  sample: started
definition: {description: 'The definition as it now is (or would be), as
               RV(huaweicloud.cdm.cdm_job_info#module:jobs[].definition).',
             returned: 'success, with O(state=present) (null with O(state=absent))', type: dict}
stopped_run:
  description: The run O(stop_running) stopped, C(submission_id) (null in check mode), C(status), C(waited_seconds).
  returned: with O(state=present) and O(state=absent); null when no run was stopped
  type: dict
  sample: {"submission_id": 1201, "status": "FAILED", "waited_seconds": 2.1}
job_name: {description: The job., returned: 'always, unless an option was refused', type: str, sample: jdbc2hive}
cluster_id: {description: 'ID of the cluster, the one O(cluster_name) resolved to when that was given.',
             returned: 'always, unless an option was refused', type: str, sample: 6ec9a0a4-76be-4262-8697-e7af1fac7920}
submission_id:
  description:
    - ID of the run the task started, found running, or stopped; give it to C(job_wait_submission_id) or the
      P(huaweicloud.cdm.finished#test) test. Null when the job has no run.
    - In check mode, and with V(not_running), the newest run read (nothing was started).
  returned: success, with O(state=started) and O(state=stopped)
  type: int
  sample: 1201
status: {description: 'Status of that run, as in M(huaweicloud.cdm.cdm_job_status); V(NEVER_EXECUTED) when the job has
           none.', returned: 'success, with O(state=started) and O(state=stopped)', type: str, sample: BOOTING}
progress: {description: 'Progress of that run, 0 to 100; V(-1) when it failed; null when unknown.',
           returned: 'success, with O(state=started) and O(state=stopped)', type: float, sample: 0.0}
finished: {description: 'Whether that run has ended; V(false) when the task failed before reading one.',
           returned: 'with O(state=started) and O(state=stopped); on failure', type: bool, sample: false}
succeeded: {description: Whether that run ended in V(SUCCEEDED).,
            returned: 'with O(state=started) and O(state=stopped); on failure', type: bool, sample: false}
submission:
  description: That run, normalised exactly as RV(huaweicloud.cdm.cdm_job_status#module:submission) is (snake_case keys,
    dates as integer epoch milliseconds). Null when the job has no run.
  returned: success, with O(state=started) and O(state=stopped)
  type: dict
run_seconds:
  description: How long that run has taken, in seconds on the service's clock, as
    RV(huaweicloud.cdm.cdm_job_status#module:run_seconds) is; null when it cannot be known.
  returned: success
  type: int
  sample: 0
  version_added: 1.1.0
eta_seconds:
  description: Estimated seconds that run still needs, as RV(huaweicloud.cdm.cdm_job_status#module:eta_seconds) is; null
    before it shows progress.
  returned: success
  type: int
  version_added: 1.1.0
idle_seconds: {description: "Seconds since that run last changed, on the service's clock; null when it cannot be known.",
               returned: success, type: int, sample: 0, version_added: 1.1.0}
service_time:
  description: The service's time, in epoch seconds, from the C(Date) header of the answer the run was read from (the
    start or stop answer when it showed the run, else the status read); null when that header is missing or unreadable.
  returned: success
  type: int
  sample: 1764645296
  version_added: 1.1.0
request_id:
  description: The C(X-Request-Id) of the start, stop, create, change or delete call's answer when one was sent and
    answered, else of the status read; quote it to Huawei Cloud support. Null when no answer came.
  returned: always, unless an option was refused
  type: str
http_status: {description: 'HTTP status of the failed call; null when no answer came or the answer itself was the
                refusal.', returned: failure, type: int, sample: 400}
error_code: {description: "The API's error code of the failed call, such as V(Cdm.0059) (the job is disabled).",
             returned: failure, type: str, sample: Cdm.0059}
error_message: {description: "The API's error message, or the error summary of a run that ended at once, or the
                  validation errors.", returned: failure, type: str}
retryable: {description: 'Whether running the task again may succeed (throttling, 5xx, no answer); it is safe either
              way.', returned: failure, type: bool}
"""

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _definitions
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _runs
from ansible_collections.huaweicloud.cdm.plugins.module_utils._module import CdmModule


def main():
    module = CdmModule(
        argument_spec=dict(
            _options.CLUSTER_ARGSPEC,
            job_name=dict(_options.JOB_NAME_OPTION, required=True),
            state=dict(type="str", required=True, choices=list(_runs.STATES + _definitions.STATES)),
            variables=dict(type="dict"),
            definition=dict(type="dict"),
            stop_running=dict(type="bool", default=False),
            stop_timeout=dict(type="int", default=300),
        ),
        required_if=[("state", "present", ["definition"])],
        **_options.CLUSTER_CHOICE
    )
    params = module.params
    job_name = params["job_name"]
    try:
        _options.check_path_value("job_name", job_name)
        variables = _options.check_job_variables(params["variables"])
        if variables and params["state"] != "started":
            raise _options.OptionError("variables go with state=started only")
        if params["state"] in _definitions.STATES:
            return _as_code(module, job_name, params)
        if params["definition"] is not None:
            raise _options.OptionError("definition goes with state=present only")
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


def _as_code(module, job_name, params):
    """state=present and state=absent: the job's definition."""
    definition = None
    if params["state"] == "present":
        definition = _definitions.check_definition(job_name, params["definition"])
    elif params["definition"] is not None:
        raise _options.OptionError("definition goes with state=present only")
    if params["stop_timeout"] < 0:
        raise _options.OptionError("stop_timeout must be 0 or more seconds")
    cluster = module.cluster()
    try:
        result, warnings = _definitions.ensure(cluster, job_name, params["state"], definition, module.check_mode,
                                               params["stop_running"], params["stop_timeout"])
    except _definitions.DefinitionFailure as failure:
        module.fail_json(**dict(failure.result, job_name=job_name, cluster_id=cluster.cluster_id))
    except _errors.CdmError as error:
        module.fail_call(error, job_name=job_name, cluster_id=cluster.cluster_id)
    for warning in warnings:
        module.warn(warning)
    diff = result.pop("diff")
    if module._diff:
        result["diff"] = diff
    module.exit_json(**result)


if __name__ == "__main__":
    main()
