# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every playbook example of README.md is in tests/readme/examples.yml, which the packaging target runs.

A play must be there as a play; tasks as consecutive tasks of a play (the
file's own "(test ...)" tasks aside). A rulebook example (plays with
``sources`` and ``rules``) gives the event source only arguments it takes, and
its rules read the events where the source puts them (``event.cdm``); the
``eda`` session runs a rulebook like it with ansible-rulebook.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from conftest import ROOT

with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as _readme:
    _LISTS = [block for block in re.findall(r"^```ya?ml\n(.*?)^```", _readme.read(), re.S | re.M)
              if isinstance(yaml.safe_load(block), list)]  # plays, tasks and rulebooks, not other files


def _is_rulebook(block):
    return all(isinstance(item, dict) and "rules" in item and "sources" in item for item in yaml.safe_load(block))


BLOCKS = [block for block in _LISTS if not _is_rulebook(block)]
RULEBOOKS = [block for block in _LISTS if _is_rulebook(block)]


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


def test_the_readme_has_a_rulebook():
    assert RULEBOOKS


@pytest.mark.parametrize("block", RULEBOOKS, ids=["rulebook%d" % number for number in range(1, len(RULEBOOKS) + 1)])
def test_rulebook_gives_the_source_only_its_arguments(block, monkeypatch):
    # The session's ANSIBLE_COLLECTIONS_PATH holds this tree as ansible_collections/huaweicloud/cdm.
    for path in reversed(os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep)):
        if path:
            monkeypatch.syspath_prepend(path)
    from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options  # pylint: disable=import-outside-toplevel

    takes = set(_options.CONNECTION_ARGSPEC) | set(_options.CLUSTER_ARGSPEC) | set(_options.JOB_EVENTS_ARGSPEC)
    for ruleset in yaml.safe_load(block):
        sources = [source["huaweicloud.cdm.job_events"] for source in ruleset["sources"]]
        assert sources, "the rulebook does not use huaweicloud.cdm.job_events"
        for args in sources:
            assert set(args) <= takes, "arguments the source does not take: %s" % sorted(set(args) - takes)
            assert set(args.get("emit", [])) <= set(_options.EMIT_CHOICES)
        for rule in ruleset["rules"]:
            assert "event.cdm." in rule["condition"]
