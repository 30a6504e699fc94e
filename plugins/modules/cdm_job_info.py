#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cdm_job_info
short_description: Read Huawei Cloud CDM migration jobs, and a job's runs
version_added: 1.1.0
description:
  - Returns one job of a Cloud Data Migration (CDM) cluster (O(job_name)), or every job of the cluster,
    each with its type, last run's status, source and destination links and connectors, dates, the last
    run's counters, and its definition as the create and change calls take it.
  - Without O(job_name), every page of the job list (C(job/all), 100 jobs a page) is read and joined,
    so the result holds all the jobs however many there are.
  - With O(history=true), also the job's runs (C(submissions?jname=...)), newest first.
  - Reads only, so it runs in check mode too and never reports a change.
author:
  - huaweicloud.cdm contributors (@huaweicloud)
extends_documentation_fragment:
  - huaweicloud.cdm.cluster
  - huaweicloud.cdm.connection
  - huaweicloud.cdm.job_name
  - huaweicloud.cdm.read_only
options:
  job_name:
    description:
      - Name of one CDM job. Only that job is returned. Any characters are allowed; they are
        percent-encoded, so the name can never change the request path.
      - A job that does not exist fails the module (the API's C(Cdm.0100)); to test whether a job exists,
        list the jobs with O(filter) instead.
      - Without it, every job of the cluster is returned.
  filter:
    description:
      - Only the jobs whose name contains this text (the API's fuzzy match). Not with O(job_name).
    type: str
  job_type:
    description:
      - Only the jobs of this type. The API lists only V(NORMAL_JOB) jobs (table and file migrations) when
        none is given; V(BATCH_JOB) is an entire-database migration, V(SCENARIO_JOB) a scenario migration.
      - Not with O(job_name).
    type: str
    choices: [NORMAL_JOB, BATCH_JOB, SCENARIO_JOB]
  history:
    description:
      - Also return the runs of O(job_name) in RV(submissions), newest first. Needs O(job_name).
    type: bool
    default: false
seealso:
  - module: huaweicloud.cdm.cdm_job_status
  - module: huaweicloud.cdm.cdm_cluster_info
"""

EXAMPLES = r"""
- name: List every job of a cluster
  huaweicloud.cdm.cdm_job_info:
    cluster_name: cdm-demo
  register: cdm

- name: Show the jobs whose last run failed
  ansible.builtin.debug:
    msg: "{{ cdm.jobs | selectattr('status', 'eq', 'FAILED') | map(attribute='name') | list }}"

- name: The entire-database jobs whose name contains "nightly"
  huaweicloud.cdm.cdm_job_info:
    cluster_id: 6ec9a0a4-76be-4262-8697-e7af1fac7920
    filter: nightly
    job_type: BATCH_JOB
  register: nightly

- name: One job and its runs
  huaweicloud.cdm.cdm_job_info:
    cluster_id: 6ec9a0a4-76be-4262-8697-e7af1fac7920
    job_name: jdbc2hive
    history: true
  register: job

- name: Rows the last five runs wrote
  ansible.builtin.debug:
    msg: "{{ job.submissions[:5] | map(attribute='write_rows') | list }}"
"""

RETURN = r"""
cluster_id:
  description: ID of the cluster read, the one O(cluster_name) resolved to when that was given.
  returned: always, unless an option was refused
  type: str
  sample: 6ec9a0a4-76be-4262-8697-e7af1fac7920
jobs:
  description:
    - The jobs, in the order the API lists them; one with O(job_name). Fields the API did not send are null.
  returned: success
  type: list
  elements: dict
  contains:
    name: {description: The job's name., type: str, returned: always, sample: jdbc2hive}
    type: {description: 'The job type, V(NORMAL_JOB), V(BATCH_JOB) or V(SCENARIO_JOB).', type: str, returned: always}
    status:
      description:
        - The status of the job's last run, as the job list gives it, for example V(BOOTING), V(RUNNING),
          V(SUCCEEDED), V(FAILED), or V(NEW) for a job never run. Passed through as it came, upper case.
      type: str
      returned: always
      sample: SUCCEEDED
    from_connector: {description: Connector of the source., type: str, returned: always, sample: generic-jdbc-connector}
    from_link: {description: Link (connection) of the source., type: str, returned: always}
    to_connector: {description: Connector of the destination., type: str, returned: always, sample: hive-connector}
    to_link: {description: Link (connection) of the destination., type: str, returned: always}
    id: {description: The job's numeric ID., type: int, returned: always}
    enabled: {description: Whether the job is enabled., type: bool, returned: always}
    incremental: {description: Whether the job migrates incremental data., type: bool, returned: always}
    group_name: {description: The job's group., type: str, returned: always}
    creation_user: {description: User who created the job., type: str, returned: always}
    creation_date: {description: Creation time in epoch milliseconds., type: int, returned: always}
    update_user: {description: User who last changed the job., type: str, returned: always}
    update_date: {description: Last change in epoch milliseconds., type: int, returned: always}
    execute_create_date: {description: 'When the last run was created, in epoch milliseconds.', type: int, returned: always}
    execute_start_date: {description: 'When the last run started, in epoch milliseconds.', type: int, returned: always}
    execute_update_date: {description: 'Last update of the last run, in epoch milliseconds.', type: int, returned: always}
    counters:
      description:
        - The last run's counters the API sent, as integers, among C(rows_read), C(rows_written),
          C(rows_updated), C(rows_deleted), C(bytes_read), C(bytes_written), C(files_read), C(files_written).
      type: dict
      returned: always
      sample: {rows_written: 120000, bytes_written: 15360000}
    definition:
      description:
        - The job as the create and change calls take it (C(name), C(job_type), C(from-connector-name),
          C(from-link-name), C(from-config-values), C(to-connector-name), C(to-link-name), C(to-config-values),
          C(driver-config-values)), in the API's own keys; the server's fields (users, dates, IDs, status,
          counters) are left out, and each config input's C(value) is URL-decoded (percent-escapes; a C(+) stays).
      type: dict
      returned: always
submissions:
  description:
    - The runs of O(job_name), newest first, each normalised like the C(submission) of
      M(huaweicloud.cdm.cdm_job_status) (C(submission_id), C(status), C(progress), C(creation_date),
      C(write_rows), C(error_summary), C(counters)...). Empty for a job never run.
  returned: when O(history=true)
  type: list
  elements: dict
http_status:
  description: HTTP status of the failed call; null when no answer came (timeout, connection error).
  returned: failure
  type: int
error_code:
  description: The API's error code of the failed call, such as V(Cdm.0100) or V(APIG.0308).
  returned: failure
  type: str
error_message:
  description: The API's error message of the failed call.
  returned: failure
  type: str
request_id:
  description: The C(X-Request-Id) of the failed call's answer; quote it to Huawei Cloud support.
  returned: failure
  type: str
retryable:
  description: Whether the failure is transient (HTTP 429, 5xx, a timeout, a connection error), so trying again later may succeed.
  returned: failure
  type: bool
"""

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _job_info
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils._module import CdmModule


def main():
    module = CdmModule(
        argument_spec=dict(
            _options.CLUSTER_ARGSPEC,
            job_name=dict(_options.JOB_NAME_OPTION),
            filter=dict(type="str"),
            job_type=dict(type="str", choices=list(_job_info.JOB_TYPES)),
            history=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("job_name", "filter"), ("job_name", "job_type")] + _options.CLUSTER_CHOICE["mutually_exclusive"],
        required_one_of=_options.CLUSTER_CHOICE["required_one_of"],
        required_if=[("history", True, ("job_name",))],
    )
    params = module.params
    job_name = params["job_name"]
    if job_name is not None:
        try:
            _options.check_path_value("job_name", job_name)
        except _options.OptionError as error:
            module.fail_option(error)
    cluster = module.cluster()
    result = dict(changed=False, cluster_id=cluster.cluster_id)
    try:
        if job_name is None:
            result["jobs"] = _job_info.list_jobs(cluster, filter_text=params["filter"], job_type=params["job_type"])
        else:
            result["jobs"] = [_job_info.show_job(cluster, job_name)]
            if params["history"]:
                result["submissions"] = _job_info.job_history(cluster, job_name)
    except _errors.CdmError as error:
        module.fail_call(error, job_name=job_name, cluster_id=cluster.cluster_id)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
