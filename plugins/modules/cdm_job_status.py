#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: cdm_job_status
short_description: Get the status of a Huawei Cloud CDM migration job
version_added: 1.0.0
description:
  - Calls C(GET /v1.1/{project_id}/clusters/{cluster_id}/cdm/job/{job_name}/status) of Huawei Cloud
    Cloud Data Migration (CDM) and returns the newest submission's status, progress, counters and
    errors, ready for C(when) and C(until).
  - A job that B(FAILED) is data, not a module failure; the module fails only when the call fails.
    Failed calls still return RV(finished) and RV(retryable), so C(until) loops keep working.
  - Reads only, so it runs in check mode too.
author:
  - huaweicloud.cdm contributors (@huaweicloud)
extends_documentation_fragment:
  - huaweicloud.cdm.cluster
  - huaweicloud.cdm.connection
  - huaweicloud.cdm.job_name
  - huaweicloud.cdm.read_only
options:
  job_names:
    description:
      - Names of several CDM jobs on the same cluster, to check them all in one task (the batch form).
        Exactly one of O(job_name) and O(job_names) is required.
      - One job list request (C(job/all)) tells which jobs are still running; only the others get their
        own status call, concurrently (at most 8 at a time) over one HTTP session. A round over N jobs
        makes 1 request while all run and at most N + 1.
      - Results come in RV(jobs), one per name in the order given, with the keys of the single form
        and the newest run, never the history (O(history) does not apply).
        For a job the list shows as running, its C(progress), C(submission_id), C(submission) and
        C(eta_seconds) are null; its C(run_seconds) and C(idle_seconds) come from the list's dates of its run.
    type: list
    elements: str
  history:
    description:
      - Also return every run of the job the status call answered with, in RV(submissions). Only with O(job_name).
      - Without it the result holds the newest run alone (RV(submission)); M(huaweicloud.cdm.cdm_job_info) lists a
        job's runs page by page.
    type: bool
    default: false
    version_added: 1.1.0
  query:
    description:
      - A JMESPath expression evaluated on the API's response body, as sent (kebab-case keys); its
        value is returned as RV(query_result). Only with O(job_name).
      - Needs the C(jmespath) Python library on the host the module runs on.
    type: str
seealso:
  - name: Querying Job Status (Huawei Cloud CDM API)
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-cdm/ShowJobStatus.html
"""

EXAMPLES = r"""
- name: Get the status of a CDM job (credentials and region from the environment)
  huaweicloud.cdm.cdm_job_status:
    cluster_id: 6ec9a0a4-76be-4262-8697-e7af1fac7920
    job_name: jdbc2hive
  register: job

- name: Wait until the job finishes, riding out API errors
  huaweicloud.cdm.cdm_job_status:
    cluster_id: 6ec9a0a4-76be-4262-8697-e7af1fac7920
    job_name: jdbc2hive
  register: job
  until: job is huaweicloud.cdm.finished
  retries: 120
  delay: 30

- name: Name the cluster instead of giving its ID (one cluster-list call finds the ID)
  huaweicloud.cdm.cdm_job_status:
    cluster_name: cdm-prod
    job_name: jdbc2hive
  register: job

- name: Stop the play when the job failed
  ansible.builtin.fail:
    msg: "{{ job.job_name }} {{ job.status }}: {{ job.error_summary }}"
  when: job.status in ['FAILED', 'FAILURE_ON_SUBMIT']

- name: Wait for several jobs started together, in one loop
  huaweicloud.cdm.cdm_job_status:
    cluster_id: 6ec9a0a4-76be-4262-8697-e7af1fac7920
    job_names: [jdbc2hive, obs2dws, logs2obs]
  register: batch
  until: batch is huaweicloud.cdm.finished
  retries: 120
  delay: 30

- name: Count the rows the last run wrote, with a JMESPath query on the API's answer
  huaweicloud.cdm.cdm_job_status:
    cluster_id: 6ec9a0a4-76be-4262-8697-e7af1fac7920
    job_name: obs2dws
    query: "submissions[0].counters.\"org.apache.sqoop.submission.counter.SqoopCounters\".ROWS_WRITTEN"
  register: rows

- name: Say how long the run has taken and may still take, on the service's clock
  ansible.builtin.debug:
    msg: "{{ job.status }} {{ job.progress }}% after {{ job.run_seconds }} s, about {{ job.eta_seconds }} s left"
  when: job.eta_seconds is not none
"""

RETURN = r"""
cluster_id: {description: 'ID of the cluster asked, the one O(cluster_name) resolved to when that was given.',
             returned: 'always, unless an option was refused', type: str, sample: 6ec9a0a4-76be-4262-8697-e7af1fac7920,
             version_added: 1.1.0}
job_name: {description: The job asked about., returned: when O(job_name) is set, type: str, sample: jdbc2hive}
jobs:
  description:
    - One result per job of O(job_names), in the order given, with the keys of the single form (never RV(submissions)).
    - A job whose status call failed has C(failed=true) and the failure keys (RV(http_status), RV(error_code),
      RV(request_id), RV(retryable)). C(source) says where its answer came from, V(job_list) or V(job_status).
  returned: when O(job_names) is set
  type: list
  elements: dict
failed_jobs: {description: Names of the jobs of O(job_names) that ended in V(FAILED) or V(FAILURE_ON_SUBMIT).,
              returned: when O(job_names) is set, type: list, elements: str}
error_jobs: {description: Names of the jobs of O(job_names) whose status could not be read.,
             returned: when O(job_names) is set, type: list, elements: str}
requests: {description: How many HTTP requests the batch form made (retries included).,
           returned: when O(job_names) is set, type: int}
status:
  description: Status of the newest submission, V(NEVER_EXECUTED) when the job has none. V(BOOTING), V(FAILURE_ON_SUBMIT),
    V(RUNNING), V(SUCCEEDED), V(FAILED), V(UNKNOWN), or a status the API adds later, passed through as it came.
  returned: success, with O(job_name)
  type: str
  sample: RUNNING
progress: {description: 'Progress of the newest submission, 0 to 100; V(-1) when it failed; null when unknown.',
           returned: success, type: float, sample: 42.5}
finished:
  description: Whether the job has ended (V(SUCCEEDED), V(FAILED) or V(FAILURE_ON_SUBMIT)); with O(job_names), whether every
    job has. V(false) when the call failed, so C(until) conditions can always read it.
  returned: always
  type: bool
  sample: false
succeeded: {description: 'Whether the job ended in V(SUCCEEDED); with O(job_names), whether every job did. V(false) when
             the call failed.', returned: always, type: bool, sample: false}
counters:
  description: What the finished run moved, as integers; empty unless the status is V(SUCCEEDED). Each key is there when the
    API sent it - C(rows_read), C(rows_written), C(rows_written_skipped), C(bytes_read), C(bytes_written),
    C(total_size) (bytes), C(files_read), C(files_written), C(files_skipped), C(total_files).
  returned: success
  type: dict
  sample: {bytes_written: 1048576, total_files: 0, rows_read: 1000, bytes_read: 1048576, rows_written: 1000,
           files_written: 0, files_read: 0, total_size: 1048576, files_skipped: 0, rows_written_skipped: 0}
error_summary: {description: "The API's error summary when the job failed, else null.", returned: success, type: str,
                sample: Database connection refused}
error_details: {description: "The API's error details when the job failed, else null.", returned: success, type: str}
submission_id: {description: ID of the newest submission (run); null when none., returned: success, type: int, sample: 1201}
submission:
  description:
    - The newest submission (null when none), every field in snake_case with the API's types repaired (dates as
      integer epoch milliseconds); fields the API adds later pass through, renamed.
    - Besides those below - C(job_name), C(creation_user), C(last_update_user), C(error_summary), C(error_details),
      C(delete_rows), C(update_rows), C(write_rows), and the booleans C(is_incrementing), C(is_stopping_increment),
      C(is_execute_auto), C(is_delete_job).
  returned: success
  type: dict
  contains:
    status: {description: Status., type: str, returned: always}
    progress: {description: 'Progress; -1 on failure.', type: float, returned: always}
    submission_id: {description: Submission ID., type: int, returned: always}
    external_id: {description: Job ID in the execution engine., type: str, returned: always}
    creation_date: {description: 'Creation time in epoch milliseconds.', type: int, returned: always}
    execute_date: {description: 'Execution time in epoch milliseconds.', type: int, returned: always}
    last_update_date: {description: 'Last update time in epoch milliseconds.', type: int, returned: always}
    counters: {description: Counters as in RV(counters)., type: dict, returned: always}
submissions: {description: 'Every submission in the response, newest first, like RV(submission). Before 1.1.0 always
              returned, in each of RV(jobs) too.', returned: when O(history=true) and the call succeeded, type: list,
              elements: dict}
run_seconds:
  description:
    - How long the newest run has taken, in seconds on the service's clock - from its execute date to its last update
      once finished, to RV(service_time) while it runs.
    - Null with no run, no execute date, or a running job whose answer had no readable C(Date) header (the module
      host's clock is never used in its place).
  returned: success
  type: int
  sample: 754
  version_added: 1.1.0
eta_seconds:
  description: Estimated seconds the newest run still needs, from its progress and RV(run_seconds) at the pace so far; V(0)
    once finished. Null with no progress yet (V(0), null, V(-1)), no run, or no RV(run_seconds).
  returned: success
  type: int
  sample: 1025
  version_added: 1.1.0
idle_seconds:
  description: Seconds since the newest run last changed, on the service's clock; a running job whose RV(idle_seconds) keeps
    growing has stalled. Null with no run or no readable C(Date) header.
  returned: success
  type: int
  sample: 4
  version_added: 1.1.0
service_time:
  description: The service's time when it answered, in whole epoch seconds, from the C(Date) header (the clock of
    RV(run_seconds) and RV(idle_seconds)). Null when the header is missing or unreadable.
  returned: success
  type: int
  sample: 1764645296
  version_added: 1.1.0
query_result: {description: "The value of O(query) on the API's response body.",
               returned: when O(query) is set and the call succeeded, type: raw}
request_id:
  description: The C(X-Request-Id) of the API's answer; quote it to Huawei Cloud support. Null when no answer came, or, with
    O(job_names), for a job the job list answered for.
  returned: with O(job_name)
  type: str
http_status: {description: 'HTTP status of the failed call; null when no answer came (timeout, connection error).',
              returned: failure, type: int, sample: 400}
error_code: {description: "The API's error code of the failed call, such as V(Cdm.0100) or V(APIG.0308).",
             returned: failure, type: str, sample: Cdm.0100}
error_message: {description: "The API's error message of the failed call.", returned: failure, type: str}
retryable:
  description:
    - Whether the failure is transient (HTTP 429, 5xx, a timeout, a connection error, a 200 whose body is not the
      expected JSON), so a later try may succeed; an unknown job or refused credentials are not.
    - Transient HTTP errors are retried inside the task (O(retries)); a broken 200 body is left to the next C(until) poll.
  returned: failure
  type: bool
"""

import traceback

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _jobs
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.plugins.module_utils._module import CdmModule

JMESPATH_IMPORT_ERROR = None
try:
    import jmespath
except ImportError:
    jmespath = None
    JMESPATH_IMPORT_ERROR = traceback.format_exc()


def compile_query(module):
    """The compiled JMESPath expression, checked before anything is sent."""
    expression = module.params["query"]
    if expression is None:
        return None
    if jmespath is None:
        module.fail_missing_library("jmespath", JMESPATH_IMPORT_ERROR, reason="to evaluate query",
                                    finished=False, succeeded=False)
    try:
        return jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as error:
        module.fail_option("query is not a valid JMESPath expression: %s" % " ".join(str(error).split()))


def main():
    module = CdmModule(
        argument_spec=dict(
            _options.CLUSTER_ARGSPEC,
            job_name=dict(_options.JOB_NAME_OPTION),
            job_names=dict(type="list", elements="str"),
            history=dict(type="bool", default=False),
            query=dict(type="str"),
        ),
        mutually_exclusive=[("job_name", "job_names")] + _options.CLUSTER_CHOICE["mutually_exclusive"],
        required_one_of=[("job_name", "job_names")] + _options.CLUSTER_CHOICE["required_one_of"],
    )
    params = module.params
    try:
        names = _options.job_names(params)
    except _options.OptionError as error:
        module.fail_option(error, job_name=params["job_name"])
    query = compile_query(module)
    cluster = module.cluster()
    done = dict(changed=False, cluster_id=cluster.cluster_id)

    if params["job_names"] is not None:
        result = _jobs.batch_status(cluster, names)
        failure = _jobs.batch_failure(result)
        if failure:
            module.fail_json(cluster_id=cluster.cluster_id, **dict(result, **failure))
        module.exit_json(**dict(done, **result))

    try:
        result, body = _jobs.job_status(cluster, params["job_name"], history=params["history"])
    except _errors.CdmError as error:
        module.fail_call(error, job_name=params["job_name"], cluster_id=cluster.cluster_id)
    if query is not None:
        result["query_result"] = query.search(body)
    module.exit_json(**dict(done, **result))


if __name__ == "__main__":
    main()
