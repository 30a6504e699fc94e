# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""An execution environment that lists this collection gets it, with requests and jmespath.

`ansible-builder create` makes the build context for an execution-environment.yml
that lists the built tarball as a local file (nothing is downloaded). Then the
context's own two build steps run here as its Containerfile runs them in an image
build: `ansible-galaxy collection install -r requirements.yml` in the context's
_build folder (the image's /build), and the introspect.py that ansible-builder put
in the context, with the Containerfile's arguments, on what that installed.

No image is built: that needs a container runtime, and a registry for the base
image, which these machines have not.
"""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

BASE_IMAGE = "quay.io/ansible/awx-ee:latest"


def run(*args, **kwargs):
    process = subprocess.run([str(arg) for arg in args], capture_output=True, text=True, check=False, **kwargs)
    assert process.returncode == 0, "%s:\n%s%s" % (" ".join(map(str, args)), process.stdout, process.stderr)
    return process.stdout


def requirement_lines(path):
    with open(path, encoding="utf-8") as handle:
        lines = [line.split("#")[0].strip() for line in handle]
    return [line for line in lines if line]


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """(context folder, tarball name) of `ansible-builder create` on an EE that lists the built collection."""
    work = tmp_path_factory.mktemp("ee")
    run("ansible-galaxy", "collection", "build", ROOT, "--output-path", work)
    tarball = os.path.basename(glob.glob(str(work / "huaweicloud-cdm-*.tar.gz"))[0])
    definition = {
        "version": 3,
        "images": {"base_image": {"name": BASE_IMAGE}},
        "additional_build_files": [{"src": tarball, "dest": "collections"}],
        "dependencies": {"galaxy": {"collections": [{"name": "collections/" + tarball, "type": "file"}]}},
    }
    (work / "execution-environment.yml").write_text(yaml.safe_dump(definition))
    run("ansible-builder", "create", "--file", "execution-environment.yml", "--context", "context",
        "--output-filename", "Containerfile", cwd=work)
    return work / "context", tarball


@pytest.fixture(scope="module")
def containerfile(build):
    return (build[0] / "Containerfile").read_text()


def test_the_context_installs_the_collection_from_the_tarball(build, containerfile):
    context, tarball = build
    assert (context / "_build" / "collections" / tarball).is_file()
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert requirements == {"collections": [{"name": "collections/" + tarball, "type": "file"}]}
    assert re.search(r"^COPY _build /build\nWORKDIR /build$", containerfile, re.M), containerfile
    assert re.search(r"^RUN .*ansible-galaxy collection install .*-r requirements\.yml", containerfile, re.M), containerfile


def test_the_context_adds_no_python_or_system_packages_of_its_own(build):
    context = build[0]
    # Only what the collections declare is installed: no user requirements files, no bindep.
    assert not (context / "_build" / "requirements.txt").exists()
    assert not (context / "_build" / "bindep.txt").exists()


def test_the_image_build_would_install_requests_and_jmespath_for_the_collection(build, containerfile, tmp_path):
    context, tarball = build
    installed = tmp_path / "usr-share-ansible"
    # The galaxy stage (--offline: the tarball is all it needs, and no index is reachable here). Only the
    # image's empty collections path is searched, or this working tree would count as installed already.
    image = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(installed), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="0")
    run("ansible-galaxy", "collection", "install", "--offline", "-r", "requirements.yml", "--collections-path", installed,
        cwd=context / "_build", env=image)
    manifest = json.loads((installed / "ansible_collections" / "huaweicloud" / "cdm" / "MANIFEST.json").read_text())
    assert tarball == "huaweicloud-cdm-%s.tar.gz" % manifest["collection_info"]["version"]

    # The builder stage: introspect.py with the Containerfile's own arguments, /tmp/src moved here.
    step = re.search(r"^RUN \$PYCMD /output/scripts/introspect\.py introspect (.*)$", containerfile, re.M)
    assert step, containerfile
    arguments = step.group(1).replace("/tmp/src/", "%s/src/" % tmp_path).split()
    run(sys.executable, context / "_build" / "scripts" / "introspect.py", "introspect", *arguments, installed)

    # Exactly requirements.txt's libraries, each marked as this collection's; no system package.
    collected = (tmp_path / "src" / "requirements.txt").read_text().splitlines()
    assert [line.split("#")[0].strip() for line in collected] == requirement_lines(os.path.join(ROOT, "requirements.txt"))
    assert all(line.endswith("# from collection huaweicloud.cdm") for line in collected), collected
    assert [re.match(r"[\w.-]+", line).group(0) for line in collected] == ["requests", "jmespath"]
    bindep = tmp_path / "src" / "bindep.txt"
    assert not bindep.exists(), bindep.read_text()
