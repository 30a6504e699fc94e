# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How the sessions of noxfile.py do their work; the sessions and what each is for stay there.

Every function takes the nox session it works for, or nothing nox-specific at all.
"""

import os
import shutil
import subprocess
import time

import antsibull_nox.sessions

import host_setup

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def ansible_test(session, core, command, python, *args):
    """Run `ansible-test COMMAND` on ansible-core CORE with --venv on PYTHON.

    ansible-test runs from a copy of the collection in an ansible_collections
    tree (antsibull-nox makes it from the files git knows); the session's
    arguments go to ansible-test (`nox -s units-newest -- tests/unit/...`).
    """
    session.install("ansible-core==%s" % core)
    host_setup.pip_standin()
    tree = antsibull_nox.sessions.prepare_collections(session, install_in_site_packages=False, install_out_of_tree=True)
    if tree is None:
        session.error("could not lay out the collection for ansible-test")
    try:
        with session.chdir(tree.current_path):
            session.run("ansible-test", command, "--venv", "--requirements", "--python", python,
                        "--color", "no", *args, *session.posargs)
    finally:
        _copy_output(tree.current_path)


def _copy_output(tree):
    """Keep ansible-test's results (tests/output/) in the working tree, for reading."""
    source = os.path.join(tree, "tests", "output")
    if os.path.isdir(source):
        shutil.copytree(source, os.path.join(ROOT, "tests", "output"), dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".tmp"))


def tool_env(collections):
    """Environment in which ansible-doc and friends see this tree (through COLLECTIONS) as huaweicloud.cdm."""
    return {
        "ANSIBLE_COLLECTIONS_PATH": collections,
        "ANSIBLE_NOCOLOR": "1",
        "NO_COLOR": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def git_tree(destination):
    """Copy the files git knows (tracked, or new and not ignored) to DESTINATION, as a fresh clone has them."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, files):
        source = os.path.join(ROOT, name)
        if os.path.isfile(source):
            os.makedirs(os.path.dirname(os.path.join(destination, name)), exist_ok=True)
            shutil.copy2(source, os.path.join(destination, name))


def build_tarball(session, scratch):
    """(the clean copy, the tarball) that `ansible-galaxy collection build` makes from the files git knows, in SCRATCH."""
    source = os.path.join(scratch, "source")
    git_tree(source)
    with session.chdir(source):
        session.run("ansible-galaxy", "collection", "build", "--output-path", scratch, silent=True)
    return source, os.path.join(scratch, [name for name in os.listdir(scratch) if name.endswith(".tar.gz")][0])


def galaxy_import(session, scratch, tarball):
    """Run galaxy-importer on TARBALL as Automation Hub's certification import does; fail on any finding."""
    config = os.path.join(scratch, "galaxy-importer.cfg")
    with open(config, "w") as handle:
        # ansible-test needs containers here, so it runs as the sanity sessions instead.
        handle.write("[galaxy-importer]\nRUN_FLAKE8 = True\nRUN_ANSIBLE_LINT = True\nOFFLINE_ANSIBLE_LINT = False\n"
                     "RUN_ANSIBLE_TEST = False\n")
    with session.chdir(scratch):
        log = session.run("python", "-m", "galaxy_importer.main", tarball, env={"GALAXY_IMPORTER_CONFIG": config},
                          silent=True)
    print(log)
    findings = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    if findings or "Importer processing completed successfully" not in log:
        session.error("galaxy-importer reported %d warning(s) or error(s):\n%s" % (len(findings), "\n".join(findings)))


def java_home():
    """(JAVA_HOME, major version) of the Java runtime on PATH, or (None, reason) when there is none."""
    java = shutil.which("java")
    if java is None:
        return None, "no java on PATH"
    found = subprocess.run([java, "-version"], capture_output=True, text=True, check=False)
    words = (found.stderr or found.stdout).split('"')
    major = words[1].split(".")[0] if len(words) > 1 else ""
    if not major.isdigit() or int(major) < 17:
        return None, "%s is not Java 17 or later (%s)" % (java, (found.stderr or found.stdout).strip()[:80])
    return os.environ.get("JAVA_HOME") or os.path.dirname(os.path.dirname(os.path.realpath(java))), int(major)


def start_simulator(python, scenario, workdir):
    """Start tests/simulator/cdm_simulator.py on a free port; return (process, URL)."""
    port_file = os.path.join(workdir, "port")
    with open(os.path.join(workdir, "stderr"), "w") as stderr:
        process = subprocess.Popen([python, os.path.join(ROOT, "tests", "simulator", "cdm_simulator.py"),
                                    "--scenario", scenario, "--port", "0", "--port-file", port_file], stderr=stderr)
    for _attempt in range(100):
        if os.path.exists(port_file) or process.poll() is not None:
            break
        time.sleep(0.1)
    if not os.path.exists(port_file):
        process.terminate()
        with open(os.path.join(workdir, "stderr")) as stderr:
            raise RuntimeError("the simulator did not start:\n" + stderr.read())
    with open(port_file) as handle:
        return process, "http://127.0.0.1:%s" % handle.read().strip()


def demo_env(collections, url, python):
    """What a user sets to reach Huawei Cloud; here, the simulator at URL and its demo token, in colour."""
    env = dict(tool_env(collections), HUAWEICLOUD_CDM_ENDPOINT=url, HUAWEICLOUD_SDK_IAM_ENDPOINT=url,
               HUAWEICLOUD_SDK_PROJECT_ID="1551c7f6c808414d8e9f3c514a170f2e", HUAWEICLOUD_AUTH_TOKEN="sim-token",
               ANSIBLE_PYTHON_INTERPRETER=python, ANSIBLE_LOCALHOST_WARNING="0",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="0", ANSIBLE_RETRY_FILES_ENABLED="0")
    env.pop("ANSIBLE_NOCOLOR")
    env.pop("NO_COLOR")
    return env
