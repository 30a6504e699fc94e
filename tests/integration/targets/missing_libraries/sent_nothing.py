# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Read the simulator's /_sim/stats on stdin: the runs that lacked a library sent nothing.

The failing runs were all about jdbc2hive or IAM; only the requests-only run,
about nightly_sync, reached the API.
"""

import json
import sys

stats = json.load(sys.stdin)
sent = {"jdbc2hive": stats["by_job"].get("jdbc2hive", 0), "IAM tokens": stats["tokens_issued"],
        "nightly_sync": stats["by_job"].get("nightly_sync", 0)}
if sent != {"jdbc2hive": 0, "IAM tokens": 0, "nightly_sync": 1}:
    sys.exit("requests the simulator saw, not as expected: %s" % sent)
