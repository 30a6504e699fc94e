# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Make the two stand-ins for hosts that lack a library, in folder HOSTS.

    hosts.py HOSTS

HOSTS/bare and HOSTS/requests_only are venvs made by runme.sh with
--without-pip. This gives requests_only a path file that shows it requests
(and what requests imports) from this Python, and nothing else: no jmespath.
"""

import importlib
import os
import sys


def main(hosts):
    visible = os.path.join(hosts, "requests_only_libs")
    os.mkdir(visible)
    for name in ("requests", "urllib3", "idna", "charset_normalizer", "certifi"):
        module = importlib.import_module(name)
        os.symlink(os.path.dirname(module.__file__), os.path.join(visible, name))
    version = "python%d.%d" % sys.version_info[:2]
    with open(os.path.join(hosts, "requests_only", "lib", version, "site-packages", "cdm-requests-only.pth"), "w") as pth:
        pth.write(visible + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
