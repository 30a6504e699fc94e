# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark helper: where the time goes inside one process that checks one job's status.

    python module_probe.py module COLLECTIONS_PATH ARGS_JSON
    python module_probe.py requests URL TOKEN

Prints one JSON object of phase durations in seconds. ``module`` imports and
runs cdm_job_status.main() the way AnsiballZ does, minus the zip wrapper;
``requests`` is the bare call it is compared with. bench/run.py starts one
fresh process per measurement, so imports are never cached between runs.
"""

import io
import json
import sys
import time

START = time.perf_counter()


def probe_module(collections_path, args):
    sys.path.insert(0, collections_path)
    import ansible.module_utils.basic  # noqa: F401  (timed: every module pays for it)
    from ansible.module_utils.testing import patch_module_args
    imported_ansible = time.perf_counter()
    from ansible_collections.huaweicloud.cdm.plugins.module_utils import _client
    from ansible_collections.huaweicloud.cdm.plugins.modules import cdm_job_status
    imported_module = time.perf_counter()

    http = {"seconds": 0.0, "calls": 0}
    real_call = _client.CdmClient.call

    def timed_call(self, *call_args, **call_kwargs):
        began = time.perf_counter()
        try:
            return real_call(self, *call_args, **call_kwargs)
        finally:
            http["seconds"] += time.perf_counter() - began
            http["calls"] += 1

    _client.CdmClient.call = timed_call
    out = io.StringIO()
    real_stdout = sys.stdout
    sys.stdout = out
    code = None
    try:
        with patch_module_args(args):
            cdm_job_status.main()
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdout = real_stdout
    done = time.perf_counter()
    result = json.loads(out.getvalue())
    return {
        "import_ansible": imported_ansible - START,
        "import_module": imported_module - imported_ansible,
        "run": done - imported_module,
        "http": http["seconds"],
        "http_calls": http["calls"],
        "total": done - START,
        "exit_code": code,
        "status": result.get("status"),
        "failed": bool(result.get("failed")),
    }


def probe_requests(url, token):
    import requests
    imported = time.perf_counter()
    response = requests.get(url, headers={"X-Auth-Token": token, "Accept": "application/json"}, timeout=30)
    body = response.json()
    done = time.perf_counter()
    return {
        "import_requests": imported - START,
        "run": done - imported,
        "http": done - imported,
        "total": done - START,
        "status": body["submissions"][0]["status"] if body.get("submissions") else None,
        "failed": response.status_code != 200,
    }


def main(argv):
    if argv[1] == "module":
        result = probe_module(argv[2], json.loads(argv[3]))
    else:
        result = probe_requests(argv[2], argv[3])
    sys.stdout.write(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
