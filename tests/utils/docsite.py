# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The docsite of the docs-build session (`make docs`): built offline, and the pages it must have.

`python tests/utils/docsite.py SITE` runs in the session's venv: `antsibull-docs
sphinx-init` makes the docsite's sources in SITE, then its generated build.sh
renders the collection and builds the HTML (SITE/build/html), its output in
SITE/build.log. The conf.py that sphinx-init writes resolves references to
docs.ansible.com (ansible.builtin's plugin pages, and the Ansible guides that
antsibull-docs' page templates link to) through intersphinx inventories
downloaded at build time, which a machine without internet cannot fetch. So
before the build this writes a local inventory with those labels and the
addresses they have on docs.ansible.com, and makes conf.py use it alone: the
pages link where an online build links them, and the build never touches the
network.
"""

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor

import yaml
from antsibull_docs.constants import DOCUMENTABLE_PLUGINS
from antsibull_docs.rst_labels import get_plugin_ref
from docutils.nodes import make_id

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TITLE = "%s: Huawei Cloud Data Migration for Ansible"
ANSIBLE_DOCS = "https://docs.ansible.com/projects/ansible/devel/"
INVENTORY = "ansible_devel.inv"

# The Ansible docsite's own labels that antsibull-docs' templates refer to
# (plugin.rst.j2, plugin-redirect.rst.j2, plugins_by_collection.rst.j2,
# list_of_callback_plugins.rst.j2, list_of_env_variables.rst.j2), with the page
# and title they have there. A label missing here fails the build ("undefined
# label"), never links to the wrong place.
ANSIBLE_LABELS = {
    "action_plugins": ("plugins/action.html", "Action Plugins"),
    "ansible_configuration_settings": ("reference_appendices/config.html", "Ansible Configuration Settings"),
    "callback_plugins": ("plugins/callback.html", "Callback Plugins"),
    "collections_keyword": ("collections_guide/collections_using_playbooks.html", "Using collections in playbooks"),
    "common_return_values": ("reference_appendices/common_return_values.html", "Return Values"),
    "list_of_callback_plugins": ("collections/index_callback.html", "Index of all Callback Plugins"),
    "list_of_collections": ("collections/index.html", "Collection Index"),
}

CONF_OVERRIDE = """
# Added by tests/utils/docsite.py: references to docs.ansible.com resolve through
# a local inventory of its labels, so that the build needs no network.
intersphinx_mapping = {
    'ansible_devel': (%r, '../%s'),
}
"""


def plugin_page(fqcn, plugin_type):
    """The page antsibull-docs writes for a plugin or role, relative to the docsite's root."""
    namespace, name, short = fqcn.split(".", 2)
    return "collections/%s/%s/%s_%s.html" % (namespace, name, short, plugin_type)


def plugin_address(fqcn, plugin_type):
    """(label, address) of a plugin's page as the docsite's objects.inv lists it."""
    label = get_plugin_ref(fqcn, plugin_type)
    return label, "%s#%s" % (plugin_page(fqcn, plugin_type), make_id(label))


def collection_name(root):
    with open(os.path.join(root, "galaxy.yml"), encoding="utf-8") as handle:
        galaxy = yaml.safe_load(handle)
    return "%s.%s" % (galaxy["namespace"], galaxy["name"])


def _documented_plugins(folder):
    """Names of the documented plugins in FOLDER: docs in the .py file, or a .yml beside it."""
    names = set()
    for path in glob.glob(os.path.join(folder, "*.yml")) + glob.glob(os.path.join(folder, "*.yaml")):
        names.add(os.path.splitext(os.path.basename(path))[0])
    for path in glob.glob(os.path.join(folder, "*.py")):
        with open(path, encoding="utf-8") as handle:
            if any(line.startswith("DOCUMENTATION") for line in handle):
                names.add(os.path.basename(path)[:-3])
    return sorted(name for name in names if not name.startswith("_"))


def expected_pages(root):
    """{page: (type, name)} for every plugin, role and guide (type "guide") of the collection at ROOT.

    Found from the files, not from what loads, so a plugin that fails to load is
    still asked for.
    """
    collection = collection_name(root)
    pages = {}
    for folder in sorted(glob.glob(os.path.join(root, "plugins", "*"))):
        plugin_type = "module" if os.path.basename(folder) == "modules" else os.path.basename(folder)
        if plugin_type in DOCUMENTABLE_PLUGINS:
            for name in _documented_plugins(folder):
                fqcn = "%s.%s" % (collection, name)
                pages[plugin_page(fqcn, plugin_type)] = (plugin_type, fqcn)
    for spec in sorted(glob.glob(os.path.join(root, "roles", "*", "meta", "argument_specs.y*ml"))):
        fqcn = "%s.%s" % (collection, spec.split(os.sep)[-3])
        pages[plugin_page(fqcn, "role")] = ("role", fqcn)
    with open(os.path.join(root, "docs", "docsite", "extra-docs.yml"), encoding="utf-8") as handle:
        extra = yaml.safe_load(handle)
    for section in extra.get("sections", []):
        for guide in section.get("toctree", []):
            if isinstance(guide, str):
                pages["collections/%s/docsite/%s.html" % (collection.replace(".", "/"), guide)] = ("guide", guide)
    return pages


def _builtin_plugins(plugin_type):
    """[fqcn] of ansible.builtin's plugins of PLUGIN_TYPE, as ansible-doc lists them."""
    run = subprocess.run(["ansible-doc", "--list", "--json", "-t", plugin_type, "ansible.builtin"],
                         capture_output=True, text=True, check=True)
    return [(fqcn, plugin_type) for fqcn in json.loads(run.stdout)]


def inventory_entries():
    """[(label, address, title)] of the docs.ansible.com labels the docsite may refer to."""
    entries = [(label, "%s#%s" % (page, make_id(label)), title) for label, (page, title) in ANSIBLE_LABELS.items()]
    # The docs.ansible.com pages of ansible.builtin are built from this same listing.
    with ThreadPoolExecutor(max_workers=4) as pool:
        listings = pool.map(_builtin_plugins, sorted(DOCUMENTABLE_PLUGINS - {"role"}))
    for listing in listings:
        entries.extend(plugin_address(fqcn, plugin_type) + ("-",) for fqcn, plugin_type in listing)
    return sorted(entries)


# ansible-core's configuration variables the docs name with E(...): antsibull-docs links them to
# the configuration page, as :envvar: references.
ANSIBLE_ENVVARS = ("ANSIBLE_CALLBACKS_ENABLED",)


def write_inventory(path, entries):
    """Write ENTRIES (and ANSIBLE_ENVVARS) as a Sphinx objects.inv (version 2), the format intersphinx reads."""
    header = ("# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n"
              "# The remainder of this file is compressed using zlib.\n")
    body = "".join("%s std:label -1 %s %s\n" % entry for entry in entries)
    body += "".join("%s std:envvar -1 reference_appendices/config.html#envvar-%s -\n" % (name, name)
                    for name in ANSIBLE_ENVVARS)
    with open(path, "wb") as handle:
        handle.write(header.encode("utf-8") + zlib.compress(body.encode("utf-8")))


def read_inventory(path):
    """{(domain:role, name): address} of a Sphinx objects.inv (version 2)."""
    with open(path, "rb") as handle:
        header = [handle.readline() for _line in range(4)]
        if not header[0].startswith(b"# Sphinx inventory version 2"):
            raise ValueError("%s is not a version 2 Sphinx inventory" % path)
        body = zlib.decompress(handle.read()).decode("utf-8")
    entries = {}
    for line in body.splitlines():
        match = re.match(r"(.+?)\s+(\S+)\s+(-?\d+)\s+(\S*)\s+(.*)", line)
        if match:
            name, role, _priority, address, _title = match.groups()
            # Sphinx writes "$" for an address that ends with the name itself.
            entries[role, name] = address[:-1] + name if address.endswith("$") else address
    return entries


def build(site):
    """Make the docsite in SITE (emptied first) and build it; return build.sh's exit code."""
    collection = collection_name(ROOT)
    shutil.rmtree(site, ignore_errors=True)
    # sphinx-init writes only into a folder that no one else may write to.
    os.makedirs(site, mode=0o700)
    subprocess.run(["antsibull-docs", "sphinx-init", "--use-current", "--fail-on-error", "--dest-dir", site,
                    "--project", collection, "--copyright", "%s contributors" % collection, "--title", TITLE % collection,
                    collection], check=True, stdout=subprocess.DEVNULL)
    write_inventory(os.path.join(site, INVENTORY), inventory_entries())
    with open(os.path.join(site, "conf.py"), "a", encoding="utf-8") as conf:
        conf.write(CONF_OVERRIDE % (ANSIBLE_DOCS, INVENTORY))
    # build.sh: antsibull-docs writes the RST, then sphinx-build -W, which fails on any warning.
    with open(os.path.join(site, "build.log"), "w", encoding="utf-8") as log:
        code = subprocess.call(["bash", os.path.join(site, "build.sh")], stdout=log, stderr=subprocess.STDOUT)
    if code:
        with open(os.path.join(site, "build.log"), encoding="utf-8") as log:
            sys.stdout.write(log.read())
    return code


if __name__ == "__main__":
    sys.exit(build(os.path.abspath(sys.argv[1])))
