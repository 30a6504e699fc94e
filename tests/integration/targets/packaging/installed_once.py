# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Check `ansible-galaxy collection list --format json`: huaweicloud.cdm is installed once, where expected.

    installed_once.py LIST.json COLLECTIONS_DIR VERSION
"""

import json
import sys


def main(listing, where, version):
    with open(listing) as handle:
        found = json.load(handle)
    if list(found) != [where]:
        sys.exit("huaweicloud.cdm found in %s, not only in %s" % (list(found), where))
    if found[where]["huaweicloud.cdm"]["version"] != version:
        sys.exit("installed version %s, not %s" % (found[where]["huaweicloud.cdm"]["version"], version))


if __name__ == "__main__":
    main(*sys.argv[1:4])
