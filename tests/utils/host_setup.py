# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a fresh machine needs before the sessions run (noxfile.py calls these).

Only the package registries are reachable here, so anything ansible-test would
download from elsewhere is replaced by an equivalent that uses them.
"""

import glob
import os
import shutil
import subprocess

PYTHONS = ("3.9", "3.10", "3.11", "3.12", "3.13")

# ansible-test downloads a pip bootstrap script from a CI file host this machine
# cannot reach; this equivalent (ensurepip, then pip from the package registry)
# is placed where ansible-test looks first. It runs it as __main__ with pip's
# install arguments.
PIP_STANDIN = """\
import subprocess
import sys

args = [a for a in sys.argv[1:] if a not in ('--no-setuptools', '--no-wheel')]
subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args))
"""
# One file per pip version ansible-test pins: 23.1.2 (ansible-core 2.16), 24.2 (2.19), 25.2 (2.20+).
PIP_STANDIN_NAMES = ("get_pip_23_1_2.py", "get_pip_24_2.py", "get_pip_25_2.py")


def python_links(folder):
    """Make FOLDER/pythonX.Y links to real interpreters; return FOLDER.

    ansible-test and nox look for pythonX.Y on PATH, and pyenv's shims answer
    only for the active versions.
    """
    os.makedirs(folder, exist_ok=True)
    for version in PYTHONS:
        link = os.path.join(folder, "python" + version)
        if os.path.exists(link):
            continue
        found = shutil.which("python" + version, path=os.environ.get("PATH", "").replace(folder, ""))
        if found and subprocess.call([found, "-c", ""], stderr=subprocess.DEVNULL) != 0:
            found = None
        if not found:
            pyenv = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
            candidates = sorted(glob.glob(os.path.join(pyenv, "versions", version + ".*", "bin", "python" + version)))
            found = candidates[-1] if candidates else None
        if found:
            if os.path.lexists(link):
                os.unlink(link)
            os.symlink(found, link)
    return folder


def pip_standin():
    """Write the pip bootstrap stand-in where ansible-test looks for it."""
    cache = os.path.expanduser("~/.ansible/test/cache")
    os.makedirs(cache, exist_ok=True)
    for name in PIP_STANDIN_NAMES:
        with open(os.path.join(cache, name), "w") as handle:
            handle.write(PIP_STANDIN)


def shellcheck():
    """Install shellcheck where we may (CI runs as root on Debian).

    Without the program ansible-test skips its shellcheck sanity test; with it
    the test really runs. Returns whether shellcheck is there.
    """
    if shutil.which("shellcheck"):
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if subprocess.call(["apt-get", "install", "-y", "-qq", "shellcheck"], **quiet) != 0:
        subprocess.call(["apt-get", "update", "-qq"], **quiet)
        subprocess.call(["apt-get", "install", "-y", "-qq", "shellcheck"], **quiet)
    return bool(shutil.which("shellcheck"))


def collections_path(cache, root):
    """A collections path whose huaweicloud.cdm is the working tree ROOT."""
    path = os.path.join(cache, "collections")
    namespace = os.path.join(path, "ansible_collections", "huaweicloud")
    os.makedirs(namespace, exist_ok=True)
    link = os.path.join(namespace, "cdm")
    if os.path.realpath(link) != os.path.realpath(root):
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink(root, link)
    return path
