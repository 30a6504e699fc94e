# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The documentation refers to no collection that is not there.

antsibull-nox's docs-check session lints the docs but lets references to
unknown collections pass (a misspelt ``ansible.bultin.uri`` would go
unnoticed); this lint, with rstcheck on, refuses them.
"""

from __future__ import annotations

import subprocess

from conftest import ROOT


def test_docs_refer_only_to_known_collections():
    run = subprocess.run(["antsibull-docs", "lint-collection-docs", "--plugin-docs", "--check-extra-docs-refs",
                          "--validate-collection-refs", "all",
                          "--disallow-unknown-collection-refs", "."], cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
