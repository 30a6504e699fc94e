# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ansible-builder finds the Python libraries the modules need, for execution environments."""

from __future__ import annotations

import os
import re
import subprocess


def test_builder_finds_the_modules_libraries():
    collections = os.environ["ANSIBLE_COLLECTIONS_PATH"]
    run = subprocess.run(["ansible-builder", "introspect", "--sanitize", collections],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    for library in ("requests", "jmespath"):
        assert re.search(r"^- '%s\b.*# from collection huaweicloud\.cdm'$" % library, run.stdout, re.M), \
            "%s not found by ansible-builder:\n%s" % (library, run.stdout)
