# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every playbook example of README.md is in tests/readme/examples.yml, which the packaging target runs.

A play must be there as a play; tasks as consecutive tasks of a play (the
file's own "(test ...)" tasks aside).
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from conftest import ROOT

with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as _readme:
    BLOCKS = [block for block in re.findall(r"^```ya?ml\n(.*?)^```", _readme.read(), re.S | re.M)
              if isinstance(yaml.safe_load(block), list)]  # plays and tasks, not other files


def examples():
    with open(os.path.join(ROOT, "tests", "readme", "examples.yml"), encoding="utf-8") as handle:
        plays = yaml.safe_load(handle)
    return [dict(play, tasks=[task for task in play.get("tasks", []) if not str(task.get("name", "")).startswith("(test")])
            for play in plays]


def contains(tasks, part):
    return any(tasks[start:start + len(part)] == part for start in range(len(tasks) - len(part) + 1))


def test_the_readme_has_examples():
    assert BLOCKS


@pytest.mark.parametrize("block", BLOCKS, ids=["example%d" % number for number in range(1, len(BLOCKS) + 1)])
def test_example_is_tested(block):
    items = yaml.safe_load(block)
    plays = examples()
    if all("hosts" in item for item in items):
        assert all(item in plays for item in items), "this README play is not in tests/readme/examples.yml (or changed there)"
    else:
        assert any(contains(play["tasks"], items) for play in plays), \
            "these README tasks are not in tests/readme/examples.yml (or changed there)"
