# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every environment variable an option falls back to is named, as E(NAME), in that option's docs."""

from __future__ import annotations

import ast
import os

import pytest

from conftest import ROOT, collection_content

MODULES = [name for kind, name in collection_content() if kind == "module"]


def fallbacks(path):
    """{option: [env var, ...]} for each `name=dict(..., fallback=(env_fallback, [...]))` in the file."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    found = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.keyword) or not isinstance(node.value, ast.Call):
            continue
        for inner in node.value.keywords:
            value = inner.value
            if inner.arg == "fallback" and isinstance(value, ast.Tuple) and len(value.elts) == 2 \
                    and getattr(value.elts[0], "id", None) == "env_fallback":
                found[node.arg] = [ast.literal_eval(element) for element in value.elts[1].elts]
    return found


SHARED = fallbacks(os.path.join(ROOT, "plugins", "module_utils", "_options.py"))


def test_the_shared_options_have_fallbacks():
    assert SHARED, "no env_fallback found in plugins/module_utils/_options.py: this test would check nothing"


@pytest.mark.parametrize("module", MODULES)
def test_fallbacks_are_documented(module, module_docs):
    path = os.path.join(ROOT, "plugins", "modules", module.split(".")[-1] + ".py")
    options = module_docs[module]["options"]
    problems = []
    for option, names in sorted(dict(SHARED, **fallbacks(path)).items()):
        if option not in options:
            problems.append("option %s falls back to %s but is not documented" % (option, ", ".join(names)))
            continue
        description = options[option]["description"]
        text = " ".join(description) if isinstance(description, list) else description
        problems.extend("the docs of option %s do not name E(%s)" % (option, name)
                        for name in names if "E(%s)" % name not in text)
    assert not problems, "\n".join(problems)
