# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The docsite the docs-build session built: a page for everything, no warning, no network.

The session (`make docs`) sets CDM_DOCSITE to the folder `antsibull-docs
sphinx-init` made and the build filled (.cache/docsite, the HTML in build/html/),
then runs these tests.
"""

from __future__ import annotations

import os
import re
import runpy
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "utils"))
import docsite  # noqa: E402  pylint: disable=wrong-import-position

PAGES = docsite.expected_pages(ROOT)


@pytest.fixture(scope="module")
def site():
    if not os.environ.get("CDM_DOCSITE"):
        pytest.fail("CDM_DOCSITE is not set: run these tests with `make docs` (the docs-build session)")
    return os.environ["CDM_DOCSITE"]


def test_the_collection_has_pages_to_check():
    kinds = {kind for kind, _name in PAGES.values()}
    assert {"module", "role", "filter", "test", "guide"} <= kinds, PAGES


@pytest.mark.parametrize("page", sorted(PAGES), ids=["%s:%s" % PAGES[page] for page in sorted(PAGES)])
def test_every_plugin_role_and_guide_has_its_page(site, page):
    path = os.path.join(site, "build", "html", page)
    assert os.path.isfile(path), "no page for the %s %s: %s" % (PAGES[page] + (path,))
    with open(path, encoding="utf-8") as handle:
        # Without --fail-on-error, antsibull-docs writes this page for docs it cannot parse.
        assert "was malformed" not in handle.read(), path


def test_the_build_logged_no_warning_and_succeeded(site):
    with open(os.path.join(site, "build.log"), encoding="utf-8") as handle:
        log = handle.read()
    complaints = [line for line in log.splitlines() if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line, re.I)]
    assert not complaints, "\n".join(complaints)
    assert "build succeeded." in log, log[-2000:]


def test_references_to_the_ansible_docs_come_from_a_local_inventory(site):
    mapping = runpy.run_path(os.path.join(site, "conf.py"))["intersphinx_mapping"]
    assert mapping, "no intersphinx mapping: references to docs.ansible.com would not resolve"
    for name, (address, inventory) in mapping.items():
        assert address == docsite.ANSIBLE_DOCS, name
        # A URL or None here would make the build download the inventory.
        assert isinstance(inventory, str) and not re.match(r"\w+://", inventory), (name, inventory)
        assert os.path.isfile(os.path.join(site, "rst", inventory)), (name, inventory)


def test_the_local_inventory_addresses_plugin_pages_as_the_docsite_does(site):
    # The local inventory places ansible.builtin's pages by the rule plugin_address
    # states; the docsite's own objects.inv shows where this build put ours.
    built = docsite.read_inventory(os.path.join(site, "build", "html", "objects.inv"))
    plugins = [(kind, name) for kind, name in PAGES.values() if kind != "guide"]
    assert plugins
    for kind, fqcn in plugins:
        label, address = docsite.plugin_address(fqcn, kind)
        assert built.get(("std:label", label)) == address, (label, built.get(("std:label", label)))


def test_the_local_inventory_holds_ansible_builtin_and_the_ansible_guides(site):
    local = docsite.read_inventory(os.path.join(site, docsite.INVENTORY))
    assert local[("std:label", "ansible_collections.ansible.builtin.uri_module")] == \
        "collections/ansible/builtin/uri_module.html#ansible-collections-ansible-builtin-uri-module"
    assert local[("std:label", "common_return_values")] == \
        "reference_appendices/common_return_values.html#common-return-values"
    assert len(local) > 100 + len(docsite.ANSIBLE_LABELS)


def test_a_module_page_links_to_the_ansible_docs(site):
    # What the offline build gives a reader: the same link an online build gives.
    modules = [page for page, (kind, _name) in PAGES.items() if kind == "module"]
    with open(os.path.join(site, "build", "html", modules[0]), encoding="utf-8") as handle:
        html = handle.read()
    assert 'href="%sreference_appendices/common_return_values.html#common-return-values"' % docsite.ANSIBLE_DOCS in html
