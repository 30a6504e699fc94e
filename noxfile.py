# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The test sessions of huaweicloud.cdm: `nox -l` lists them, `make test` runs them all.

The docs, lint and build sessions come from antsibull-nox.toml; the ansible-test
sessions are written here because they run with `--venv` on pinned ansible-core
releases (the stock ones run in containers, which this machine has not). How
a session does its work is in tests/utils/ (nox_helpers.py, host_setup.py).
"""

import os
import shutil
import sys
import tempfile

import nox

try:
    import antsibull_nox
except ImportError:
    print("nox needs antsibull-nox in its environment: `make test` installs both under .cache/.")
    sys.exit(1)

ROOT = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(ROOT, ".cache")
sys.path.insert(0, os.path.join(ROOT, "tests", "utils"))
import host_setup  # noqa: E402  pylint: disable=wrong-import-position
from nox_helpers import (  # noqa: E402  pylint: disable=wrong-import-position
    ansible_test, build_tarball, demo_env, galaxy_import, java_home, start_simulator, tool_env)

# The supported ansible-core releases, each tested on its own Python. The one
# place these versions live: meta/runtime.yml states the floor for users.
# oldest: the floor (what Automation Platform's execution environments run), on
# its oldest controller Python, templating as before 2.19 (no data tagging);
# newest: the latest release, templating as 2.19 and later do. No middle core:
# the two ends cover both behaviours (CONTRIBUTING.md says why).
CORES = {
    "oldest": ("2.16.19", "3.10"),
    "newest": ("2.21.5", "3.12"),
}
# Modules run on managed hosts with this Python (tests/config.yml: >=3.9).
TARGET_PYTHON = "3.9"
NEWEST_CORE, NEWEST_PYTHON = CORES["newest"]

nox.options.envdir = os.path.join(CACHE, "nox")
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

# ansible-test and nox find interpreters as pythonX.Y on PATH.
os.environ["PATH"] = host_setup.python_links(os.path.join(CACHE, "pybin")) + os.pathsep + os.environ["PATH"]
# Tools outside ansible-test see this working tree as huaweicloud.cdm through this path.
COLLECTIONS = host_setup.collections_path(CACHE, ROOT)
# No collection comes from outside this tree (it depends on none).
os.environ.setdefault("ANTSIBULL_NOX_IGNORE_INSTALLED_COLLECTIONS", "true")
os.environ.setdefault("ANTSIBULL_NOX_INSTALL_COLLECTIONS", "never")

# The sessions of antsibull-nox.toml install ansible-core with these constraints:
# the newest supported release, stated once above.
os.makedirs(CACHE, exist_ok=True)
with open(os.path.join(CACHE, "constraints-newest.txt"), "w") as _constraints:
    _constraints.write("ansible-core==%s\n" % NEWEST_CORE)


def _session(name, python, tags, doc, default=True):
    """Register the decorated function as session NAME, described by DOC in `nox -l`."""
    def register(func):
        func.__doc__ = doc
        func.__name__ = name.replace("-", "_").replace(".", "_")
        return nox.session(name=name, python=python, tags=tags, default=default)(func)
    return register


for _label, (_core, _python) in CORES.items():
    @_session("units-%s" % _label, _python, ["units"],
              "Unit tests (ansible-test units) on ansible-core %s, Python %s" % (_core, _python))
    def _units(session, core=_core, python=_python):
        ansible_test(session, core, "units", python)


for _label, (_core, _python) in CORES.items():
    @_session("units-%s-py%s" % (_label, TARGET_PYTHON), _python, ["units"],
              "Unit tests of modules and module_utils on the Python %s target (ansible-core %s)" % (TARGET_PYTHON, _core))
    def _units_target(session, core=_core):
        ansible_test(session, core, "units", TARGET_PYTHON)


for _label, (_core, _python) in CORES.items():
    @_session("sanity-%s" % _label, _python, ["sanity"],
              "ansible-test sanity on ansible-core %s, Python %s (no ignore file)" % (_core, _python))
    def _sanity(session, core=_core, python=_python):
        if not host_setup.shellcheck():
            session.warn("no shellcheck: ansible-test skips its shellcheck test")
        ansible_test(session, core, "sanity", python)


@_session("simulator", NEWEST_PYTHON, ["simulator"],
          "pytest tests/simulator: the CDM simulator against plain HTTP, the collection's signer and the vendor SDK")
def simulator(session):
    session.install("-r", "tests/utils/requirements-tools.txt")
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/simulator", *session.posargs)


for _label, (_core, _python) in CORES.items():
    @_session("integration-%s" % _label, _python, ["integration"],
              "ansible-test integration (targets on the CDM simulator) on ansible-core %s, Python %s" % (_core, _python))
    def _integration(session, core=_core, python=_python):
        ansible_test(session, core, "integration", python, "--continue-on-error")


@_session("changelog", NEWEST_PYTHON, ["ecosystem"],
          "antsibull-changelog lint; CHANGELOG.md is what antsibull-changelog generates from changelogs/")
def changelog(session):
    session.install("-r", "tests/utils/requirements-lint.txt", "-c", os.path.join(CACHE, "constraints-newest.txt"))
    session.run("antsibull-changelog", "lint")
    session.run("antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml")
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copy("galaxy.yml", scratch)
        shutil.copytree("changelogs", os.path.join(scratch, "changelogs"))
        with session.chdir(scratch):
            session.run("antsibull-changelog", "generate")
        with open(os.path.join(scratch, "CHANGELOG.md")) as generated, open("CHANGELOG.md") as committed:
            if generated.read() != committed.read():
                session.error("CHANGELOG.md is not generated from changelogs/changelog.yaml: run antsibull-changelog generate")


@_session("ecosystem", NEWEST_PYTHON, ["ecosystem"],
          "pytest tests/ecosystem: ansible-doc renders all, env vars documented, README examples tested, doc refs, EE metadata")
def ecosystem(session):
    session.install("-r", "tests/utils/requirements-lint.txt", "pytest", "-c", os.path.join(CACHE, "constraints-newest.txt"))
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/ecosystem", *session.posargs,
                env=tool_env(COLLECTIONS))


@_session("docs-build", NEWEST_PYTHON, ["ecosystem"],
          "make docs: the docsite as HTML (antsibull-docs and Sphinx, offline) in .cache/docsite/build/html, "
          "a page for every plugin, role and guide, no warning")
def docs_build(session):
    session.install("ansible-core", "-r", "tests/utils/requirements-docs.txt", "-c", os.path.join(CACHE, "constraints-newest.txt"))
    site = os.path.join(CACHE, "docsite")
    session.run("python", "tests/utils/docsite.py", site, env=tool_env(COLLECTIONS))
    session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/docsite", *session.posargs,
                env=dict(tool_env(COLLECTIONS), CDM_DOCSITE=site))
    session.log("the docsite: %s" % os.path.join(site, "build", "html", "index.html"))


@_session("galaxy-importer", NEWEST_PYTHON, ["ecosystem"],
          "galaxy-importer on the built tarball as Galaxy/Automation Hub run it (flake8, ansible-lint online); "
          "then ansible-lint --profile production online on a clean copy, the collection not preinstalled")
def galaxy_importer(session):
    session.install("-r", "tests/utils/requirements-importer.txt", "-c", os.path.join(CACHE, "constraints-newest.txt"))
    with tempfile.TemporaryDirectory(prefix="cdm-import.") as scratch:
        source, tarball = build_tarball(session, scratch)
        galaxy_import(session, scratch, tarball)
        # The certification lint: online mode, in a clone with nothing installed, so ansible-lint installs the
        # collection from galaxy.yml itself (a shipped `offline: true` would stop it).
        env = {"ANSIBLE_COLLECTIONS_PATH": None, "ANSIBLE_LINT_NODEPS": None, "NO_COLOR": "1"}
        with session.chdir(source):
            session.run("ansible-lint", "--profile", "production", env=env)


@_session("eda", NEWEST_PYTHON, ["integration"],
          "ansible-rulebook runs a rulebook with the event source huaweicloud.cdm.job_events (the built collection) "
          "against the simulator; skipped, saying so, without Java 17")
def eda(session):
    home, detail = java_home()
    if home is None:
        session.skip("NOT RUN: ansible-rulebook needs a Java 17 runtime and this machine has none (%s)" % detail)
    session.install("-r", "tests/utils/requirements-eda.txt", "ansible-core==%s" % NEWEST_CORE, "-r", "requirements.txt")
    with tempfile.TemporaryDirectory(prefix="cdm-eda.") as scratch:
        # As users get it: the tarball galaxy.yml builds (extensions/ must ship), installed by ansible-galaxy.
        _source, tarball = build_tarball(session, scratch)
        collections = os.path.join(scratch, "collections")
        session.run("ansible-galaxy", "collection", "install", "-p", collections, tarball, silent=True)
        session.run("python", "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests/eda", *session.posargs,
                    env={"CDM_EDA_COLLECTIONS": collections, "JAVA_HOME": home})


antsibull_nox.load_antsibull_nox_toml()

# antsibull-nox's sessions belong to the "ecosystem" stage of `make test STAGES=...`,
# and run on the newest Python (they would take nox's own, which may be too old
# for the newest ansible-core).
for _name in ("docs-check", "ansible-lint", "build-import-check"):
    if _name in nox.registry.get():
        nox.registry.get()[_name].tags.append("ecosystem")
        nox.registry.get()[_name].python = NEWEST_PYTHON


@_session("demo", NEWEST_PYTHON, ["demo"],
          "make demo: playbooks/demo.yml against a simulator with the demo scenario (extra args: -- -vv)", default=False)
def demo(session):
    session.install("ansible-core==%s" % NEWEST_CORE, "-r", "requirements.txt")
    python = os.path.join(session.bin, "python")
    with tempfile.TemporaryDirectory(prefix="cdm-demo.") as workdir:
        session.log("starting the CDM simulator (tests/simulator/scenarios/demo.yml)")
        process, url = start_simulator(python, os.path.join(ROOT, "tests", "simulator", "scenarios", "demo.yml"), workdir)
        try:
            # CDM_DEMO_ARGS: extra ansible-playbook arguments, as `make demo CDM_DEMO_ARGS=-vv` passes them.
            extra = os.environ.get("CDM_DEMO_ARGS", "").split() + list(session.posargs)
            session.log("running playbooks/demo.yml against %s" % url)
            session.run("ansible-playbook", "-i", "localhost,", "playbooks/demo.yml", *extra,
                        env=demo_env(COLLECTIONS, url, python))
        finally:
            process.terminate()
            process.wait()


@_session("bench", NEWEST_PYTHON, ["bench"],
          "make bench: the job_wait role against the bare module, measured (arguments: -- --help)", default=False)
def bench(session):
    session.install("ansible-core==%s" % NEWEST_CORE, "-r", "requirements.txt")
    session.run("python", "bench/run.py", "--python", os.path.join(session.bin, "python"), *session.posargs)


# Allow `python noxfile.py -l` as well as `nox -l`.
if __name__ == "__main__":
    nox.main()
