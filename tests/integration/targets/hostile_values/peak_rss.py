# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run cdm_job_status once, straight with Python, and print the peak resident size (KiB) it took.

    peak_rss.py JOB_NAME

The module's result goes to stderr in one line; runme.sh compares the peaks of a
normal answer and an oversize one.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile


def main(job_name):
    args = {"ANSIBLE_MODULE_ARGS": {"cluster_id": os.environ["SIM_CLUSTER_ID"], "job_name": job_name, "retries": 0}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(args, handle)
    try:
        run = subprocess.run([sys.executable, "-m", "ansible_collections.huaweicloud.cdm.plugins.modules.cdm_job_status",
                              handle.name], capture_output=True, text=True, timeout=60, check=False)
    finally:
        os.unlink(handle.name)
    if not run.stdout.strip():
        sys.exit("the module printed no result; its stderr:\n" + run.stderr)
    result = json.loads(run.stdout)
    sys.stderr.write("%s: failed=%s msg=%s\n" % (job_name, result.get("failed", False), result.get("msg", "")))
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


if __name__ == "__main__":
    main(sys.argv[1])
