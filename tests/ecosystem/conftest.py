# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How the collection fits the Ansible ecosystem's tools (the `ecosystem` nox session).

The session puts ansible-core and the tools on PATH and sets
ANSIBLE_COLLECTIONS_PATH so that huaweicloud.cdm is this working tree.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTION = "huaweicloud.cdm"

# ansible-core 2.21 itself warns about its internal _protomatter collection when
# it lists roles; that line is not about this collection.
FOREIGN_WARNINGS = ("ansible_collections/ansible/_protomatter' does not have a MANIFEST.json",)


def collection_content():
    """(type, name) of every plugin and role the tree documents, found from files.

    From files, so a plugin that fails to load is still asked for.
    """
    found = []
    for path in sorted(glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py"))):
        if not os.path.basename(path).startswith("_"):
            found.append(("module", "%s.%s" % (COLLECTION, os.path.basename(path)[:-3])))
    for kind in ("test", "filter", "callback"):
        names = set()
        for path in glob.glob(os.path.join(ROOT, "plugins", kind, "*.yml")):
            names.add(os.path.basename(path)[:-4])
        for path in glob.glob(os.path.join(ROOT, "plugins", kind, "*.py")):
            with open(path, encoding="utf-8") as handle:
                if any(line.startswith("DOCUMENTATION") for line in handle):
                    names.add(os.path.basename(path)[:-3])
        found.extend((kind, "%s.%s" % (COLLECTION, name)) for name in sorted(names))
    for path in sorted(glob.glob(os.path.join(ROOT, "roles", "*", "meta", "argument_specs.yml"))):
        found.append(("role", "%s.%s" % (COLLECTION, path.split(os.sep)[-3])))
    return found


def ansible_doc(*args):
    """Run ansible-doc; return (exit code, stdout, stderr without foreign warnings)."""
    run = subprocess.run(["ansible-doc"] + list(args), capture_output=True, text=True, check=False, cwd=ROOT)
    stderr = "\n".join(line for line in run.stderr.splitlines()
                       if line.strip() and not any(warning in line for warning in FOREIGN_WARNINGS))
    return run.returncode, run.stdout, stderr


@pytest.fixture(scope="session")
def module_docs():
    """{module name: its `ansible-doc --json` documentation}."""
    docs = {}
    for kind, name in collection_content():
        if kind == "module":
            code, out, err = ansible_doc("--json", "-t", "module", name)
            assert code == 0 and not err, "ansible-doc --json -t module %s: %s" % (name, err)
            docs[name] = json.loads(out)[name]["doc"]
    return docs
