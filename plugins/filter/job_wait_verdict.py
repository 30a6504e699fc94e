# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: job_wait_verdict
author: huaweicloud.cdm contributors (@huaweicloud)
version_added: 1.1.0
short_description: Where a wait of the job_wait role stands after one poll, and why
description:
  - The P(huaweicloud.cdm.job_wait#role) role's decision, in one place - it calls this filter once per poll.
    Other playbooks can use it to build a wait of their own.
  - Reads a registered M(huaweicloud.cdm.cdm_job_status) result and returns the state of the wait
    (V(pending), V(succeeded), V(failed), V(error), V(never_run), V(timeout) or V(stalled)), whether it is
    over, whether it should fail the play, which jobs to stop, and the result the role returns with its message.
  - V(stalled) exists only here, not in P(huaweicloud.cdm.wait_state#filter) - it needs the C(stall_timeout)
    of O(settings) - a job in V(RUNNING) whose C(idle_seconds) reached it. With C(fail_fast), a batch
    with one failed job is V(failed) while the others still run. C(deadline), an ISO 8601 time with a zone,
    ends the wait as C(timeout) does, whichever comes first.
  - A call that failed for good (an unknown job or cluster, refused credentials, bad options, a module that
    could not run) ends the wait at once. A transient failure (HTTP 429 or 5xx, a timeout, a dropped
    connection) is waited out, except while the wait has not had a single good answer - then it ends after
    the C(first_answer_timeout) of O(settings) with a message about the setup.
  - Whether a wait has had an answer is remembered by the Ansible worker process that runs the poll
    loop, so call it from the C(until) of one task, as the role does.
options:
  _input:
    description: The registered result of the latest poll.
    type: dict
    required: true
  settings:
    description:
      - The wait's settings - C(job_name) or C(job_names), C(timeout), C(first_answer_timeout) (seconds),
        C(submission_id), C(success_when), C(failure_when), C(fail_on_failure), C(stall_timeout),
        C(stop_on_timeout), C(fail_fast), C(deadline), as the role's C(job_wait_*) variables of the same
        names describe them; C(check_mode) words the stops as not made.
    type: dict
    required: true
  started:
    description: When the wait started, in seconds since the epoch; it also tells one wait from another.
    type: float
    required: true
  polls:
    description: How many polls the wait made so far.
    type: int
    default: 1
  final:
    description:
      - Whether this is the last look, after the poll loop ended - a wait still pending is then a V(timeout),
        or the setup error that ended the loop before its deadline.
    type: bool
    default: false
  pause:
    description:
      - Seconds to wait before answering a verdict that is not V(done) (between polls only, not with O(final=true)).
      - The C(delay) keyword takes whole seconds on ansible-core 2.16 - the role passes the whole seconds of its
        delay to C(delay) and the fraction here, so a delay of V(0.5) or V(2.5) seconds is honoured on every core.
    type: float
    default: 0
    version_added: 1.1.0
  stops:
    description:
      - The registered results of the M(huaweicloud.cdm.cdm_job) stops of the jobs in C(stop) (the C(results)
        of a loop over them); the message then says which were stopped, or which stop failed.
    type: list
    elements: dict
    version_added: 1.1.0
"""

EXAMPLES = r"""
- name: Poll until the verdict says the wait is over
  huaweicloud.cdm.cdm_job_status:
    cluster_id: "{{ cluster_id }}"
    job_name: jdbc2hive
  register: poll
  until: verdict.done
  retries: 240
  delay: 15
  failed_when: false
  vars:
    verdict: "{{ poll | huaweicloud.cdm.job_wait_verdict(settings, started=wait_started, polls=poll.attempts | default(1)) }}"
    settings: {job_name: jdbc2hive, timeout: 3600, first_answer_timeout: 60}

- name: Say how it ended
  ansible.builtin.debug:
    msg: "{{ (poll | huaweicloud.cdm.job_wait_verdict(settings, started=wait_started, final=true)).result.message }}"
  vars:
    settings: {job_name: jdbc2hive, timeout: 3600, first_answer_timeout: 60}
"""

RETURN = r"""
_value:
  description: The verdict.
  type: dict
  contains:
    state:
      description: V(pending), V(succeeded), V(failed), V(error), V(never_run), V(timeout) or V(stalled).
      type: str
    done:
      description: Whether the wait is over.
      type: bool
    answered:
      description: Whether the poll's call had a good answer.
      type: bool
    fails:
      description: Whether the wait should fail the play.
      type: bool
    stop:
      description:
        - The names of the jobs to stop - those not known to have ended - when the wait ended in V(timeout)
          or V(stalled) and C(stop_on_timeout) is set; else empty.
      type: list
      elements: str
      version_added: 1.1.0
    result:
      description:
        - Only with O(final=true).
        - The poll's result without Ansible's task keys, plus C(state), C(elapsed) (seconds), C(polls),
          C(message) (one sentence that says how the wait ended), and for a run that began before the
          wait C(ran_before_wait), C(run_started_at), C(run_ended_at) and C(run_ended_ago).
        - C(stalled_jobs) (names) when the wait stalled; C(stopped_jobs) and C(stop_failed_jobs) (names)
          with O(stops).
      type: dict
"""

import time

from ansible.errors import AnsibleFilterError

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _verdict


def job_wait_verdict(poll, settings, started, polls=1, final=False, pause=0, stops=None):
    try:
        outcome = _verdict.verdict(poll, settings, float(started), polls=int(polls), final=bool(final), stops=stops)
        pause = float(pause)
    except (TypeError, ValueError, KeyError) as error:
        raise AnsibleFilterError("job_wait_verdict: %s" % error)
    if final:
        return outcome
    if pause > 0 and not outcome["done"]:
        time.sleep(pause)
    # Between polls only the decision is needed: handing Ansible a copy of a
    # large result (100 jobs) on every poll costs more than the poll itself.
    return dict((key, value) for key, value in outcome.items() if key != "result")


class FilterModule(object):

    def filters(self):
        return {"job_wait_verdict": job_wait_verdict}
