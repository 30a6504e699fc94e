# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""ansible-doc renders every module, test, filter, callback and role of the collection, without a warning."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ansible_doc, collection_content

CONTENT = collection_content()


def test_the_tree_has_the_documented_content():
    kinds = [kind for kind, _name in CONTENT]
    assert kinds.count("module") >= 2 and "role" in kinds and "test" in kinds and "filter" in kinds, CONTENT


@pytest.mark.parametrize("kind, name", CONTENT, ids=["%s:%s" % item for item in CONTENT])
def test_renders_without_warning(kind, name):
    code, out, err = ansible_doc("-t", kind, name)
    assert code == 0, err
    assert not err, "ansible-doc warned: %s" % err
    assert name.split(".")[-1] in out
    if kind == "role":
        assert re.search(r"ENTRY POINT: .*main", out), "no main entry point"
    code, out, err = ansible_doc("--json", "-t", kind, name)
    assert code == 0 and not err, err
    assert json.loads(out), "no documentation in ansible-doc --json"


@pytest.mark.parametrize("kind", ["module", "test", "filter", "callback", "role"])
def test_lists_exactly_the_documented_plugins(kind):
    # A .py without documentation would hide from the render test above.
    code, out, err = ansible_doc("--json", "-l", "-t", kind, "huaweicloud.cdm")
    assert code == 0 and not err, err
    listed = sorted(json.loads(out))
    assert listed == sorted(name for found_kind, name in CONTENT if found_kind == kind)
