# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""huaweicloud.cdm.job_events: an Event-Driven Ansible source for CDM job runs (see DOCUMENTATION)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
short_description: Events when CDM job runs start, finish, fail, succeed or stall
version_added: 1.1.0
description:
  - Polls one CDM cluster for its jobs' runs, including runs started by their schedule (C(is-execute-auto))
    or from the console, and puts one event on the rulebook's queue for each transition of a run.
  - A poll is one job-list request for the whole cluster (one a hundred jobs); only a job whose entry in the
    list changed gets its own status call. A run that started and finished between two polls is reported
    as finished, provided the job list shows the new run (its C(external_id) or dates; the vendor does not
    document which of these fields the list carries).
  - Every event holds its facts under the key C(cdm), so rules read C(event.cdm.status).
    Job events have C(kind=job), C(transition) (V(started), V(stalled), V(succeeded) or V(failed)),
    C(job_name), C(cluster_id), C(submission_id), C(old_status) (null for a run first seen now),
    C(status), C(progress), C(finished), C(succeeded), C(counters), C(error_summary), C(error_details),
    C(creation_date), C(execute_date), C(last_update_date) (milliseconds since the epoch, as the API gives
    them), C(is_execute_auto), C(request_id), C(at_start) (true for what the first poll reported) and,
    when the status call gives them, C(run_seconds), C(eta_seconds) and C(idle_seconds).
  - A transient API error (HTTP 429 or 5xx, a timeout, a lost connection) never ends the source; it tries
    again with a growing delay, and once the errors have lasted O(error_threshold) seconds it puts one event
    with C(kind=api_unavailable) (C(cluster_id), C(since), C(seconds), C(failures), C(error),
    C(http_status), C(error_code), C(request_id)); the first good poll after that puts C(kind=api_recovered).
  - A permanent error (bad arguments or credentials, an unknown cluster) ends the source with a message
    that says what to fix. Secrets never appear in events or messages.
  - Each transition of a run (keyed by its submission id) is reported once. Across restarts of the source,
    O(initial=false) alone avoids repeats (what had happened before the restart is the baseline), but a run
    that finished while the source was down is then missed; O(state_file) keeps what was reported, so a
    restarted source reports exactly what it had not reported yet.
  - Takes the connection options of the collection's modules, with the same environment variables and
    the same three ways to authenticate (documented with the module huaweicloud.cdm.cdm_job_status).
extends_documentation_fragment:
  - huaweicloud.cdm.connection
  - huaweicloud.cdm.cluster
options:
  jobs:
    description:
      - Only the jobs with these names. Each item is a name or a shell-style pattern (V(nightly_*)).
      - All the cluster's jobs when not given.
    type: list
    elements: str
  interval:
    description: Seconds between two polls.
    type: float
    default: 60
  emit:
    description:
      - Which transitions give events. V(finished) is V(succeeded) and V(failed) together.
      - V(stalled) is a running run whose last update is older than O(stalled_after) seconds.
    type: list
    elements: str
    choices: [started, finished, failed, succeeded, stalled]
    default: [finished]
  initial:
    description:
      - Whether the first poll reports the runs that had already finished (or started) before the source
        started. With O(state_file), only for jobs the file does not know yet.
    type: bool
    default: false
  stalled_after:
    description: Seconds without an update after which a running run is reported as V(stalled) (once a run).
    type: float
    default: 3600
  error_threshold:
    description: Seconds of transient API errors in a row before the one C(api_unavailable) event.
    type: float
    default: 300
  max_backoff:
    description: The longest delay, in seconds, between two tries while the API fails (at least O(interval)).
    type: float
    default: 300
  state_file:
    description:
      - A JSON file where the source keeps, per cluster, what it reported, written after each poll
        (mode 0600). Not kept when not given.
      - One file may serve several sources of different clusters; not two sources of the same cluster.
    type: path
"""

EXAMPLES = r"""
- name: Alert when a scheduled CDM job fails
  hosts: localhost
  sources:
    - huaweicloud.cdm.job_events:
        cluster_name: cdm-prod
        region: cn-north-4
        interval: 60
        emit: [failed, stalled]
        state_file: ~/.cache/huaweicloud.cdm/job_events.json
  rules:
    - name: A CDM job run failed
      condition: event.cdm.transition == "failed"
      action:
        run_playbook:
          name: playbooks/cdm_job_failed.yml
"""

import asyncio
import logging
import os
import sys
import time

try:
    from ansible_collections.huaweicloud.cdm.plugins.module_utils import _job_events
except ImportError:
    # ansible-rulebook runs this file by its path, with no collection loader: the folder that holds
    # ansible_collections/huaweicloud/cdm/ goes on sys.path, so the collection's own code imports.
    _COLLECTIONS = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 6))
    if os.path.basename(_COLLECTIONS) == "ansible_collections" and os.path.dirname(_COLLECTIONS) not in sys.path:
        sys.path.insert(0, os.path.dirname(_COLLECTIONS))
    from ansible_collections.huaweicloud.cdm.plugins.module_utils import _job_events  # noqa: E402

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _client  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _clusters  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _errors  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _jobs  # noqa: E402
from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options  # noqa: E402

LOG = logging.getLogger("huaweicloud.cdm.job_events")


class JobEventsError(Exception):
    """A permanent problem: the source ends with this message."""


async def main(queue, args):
    """The entry point ansible-rulebook calls."""
    await run(queue, args)


async def run(queue, args, clock=time.time, sleep=asyncio.sleep):
    """Poll until cancelled; ``clock`` and ``sleep`` are the tests' to replace."""
    try:
        params, connection, auth = _job_events.check_args(args)
        if _client.requests is None:
            raise _options.OptionError("the Python library requests is not installed where ansible-rulebook runs: "
                                       "%s -m pip install requests" % sys.executable)
    except _options.OptionError as error:
        raise JobEventsError("huaweicloud.cdm.job_events: %s" % error)
    # IAM's URL carries the password only when the password is the way to authenticate.
    for option, url in (("endpoint", connection.endpoint), ("iam_endpoint", auth.can_renew and connection.iam_endpoint)):
        if url and url.lower().startswith("http://") and not _options.is_loopback(url):
            LOG.warning("%s is a plain http:// URL to another machine: credentials cross the network unencrypted", option)
    client = _client.CdmClient.for_connection(connection, auth)
    label = params.get("cluster_id") or params.get("cluster_name")
    outage = _job_events.Outage(label, params["interval"], params["error_threshold"], params["max_backoff"])
    loop = asyncio.get_running_loop()
    watcher = None
    while True:
        try:
            if watcher is None:
                watcher = await loop.run_in_executor(None, _start, client, connection, params)
            events = await loop.run_in_executor(None, watcher.poll, clock())
        except _errors.CdmError as error:
            if not error.retryable:
                raise JobEventsError("huaweicloud.cdm.job_events: %s: %s" % (_what(watcher, label), error.message))
            LOG.warning("CDM API error (will retry): %s", error.message)
            event = outage.failed(error, clock())
            if event is not None:
                await queue.put(event)
            await sleep(outage.delay(error))
            continue
        except (_options.OptionError, _clusters.ClusterNameError) as error:
            raise JobEventsError("huaweicloud.cdm.job_events: %s" % error)
        recovered = outage.succeeded(clock())
        if recovered is not None:
            await queue.put(recovered)
        for event in events:
            await queue.put(event)
        if params.get("state_file"):
            _job_events.save_state(params["state_file"], watcher.cluster.cluster_id, watcher.records)
        await sleep(params["interval"])


def _start(client, connection, params):
    """The watcher of the cluster the arguments name (a name costs one cluster-list call), with its saved state."""
    cluster_id = params.get("cluster_id")
    if params.get("cluster_name") is not None:
        cluster_id = _clusters.cluster_id_for_name(client, connection, params["cluster_name"])
    records = _job_events.load_state(params["state_file"], cluster_id) if params.get("state_file") else {}
    return _job_events.Watcher(_jobs.Cluster(client, connection, cluster_id), jobs=params.get("jobs"),
                               emit=params["emit"], initial=params["initial"],
                               stalled_after=params["stalled_after"], records=records)


def _what(watcher, label):
    return "polling cluster %s" % (watcher.cluster.cluster_id if watcher else label)


if __name__ == "__main__":
    # python job_events.py: the events of the cluster the environment names (HUAWEICLOUD_* variables), printed.
    class _PrintQueue(object):
        async def put(self, event):
            print(event)

    asyncio.run(main(_PrintQueue(), {"cluster_id": os.environ.get("HUAWEICLOUD_CDM_CLUSTER_ID"), "interval": 5}))
