# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The closing lines of `make test`, from nox's --report file: a table, then
`sessions: N passed, N failed` (the plain line CI reads).

Usage: python summary.py REPORT.json NOX_EXIT_CODE
"""

import json
import sys


def main(report_path, nox_code):
    try:
        with open(report_path, encoding="utf-8") as handle:
            sessions = json.load(handle)["sessions"]
    except (OSError, ValueError, KeyError) as error:
        print("no session report (%s): nox stopped before running sessions" % error)
        print("sessions: 0 passed, 1 failed")
        return 1
    ran = [session for session in sessions if session["result"] != "skipped"]
    passed = [session for session in ran if session["result"] == "success"]
    print("\n%-22s %-8s %s" % ("session", "result", "time"))
    for session in ran:
        print("%-22s %-8s %5.0fs" % (session["name"], session["result"], session.get("duration", 0)))
    print("total                           %5.0fs" % sum(session.get("duration", 0) for session in ran))
    # A session skipped for want of something (the eda session without Java 17) did not pass: say so.
    for session in sessions:
        if session["result"] == "skipped":
            print("NOT RUN: %s (skipped; nox's log above says why)" % session["name"])
    print("sessions: %d passed, %d failed" % (len(passed), len(ran) - len(passed)))
    return 0 if len(passed) == len(ran) and ran and nox_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
