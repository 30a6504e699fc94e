# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Module tests run a module's main() against the CDM simulator (tests/simulator), in this process.

The simulator is the tests' one HTTP double. A test module names its scenario
(credentials and jobs) in a ``sim_scenario`` fixture; a test adds the faults or
canned answers it needs; the simulator records every request it receives.
"""

from __future__ import annotations

import contextlib
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.parameters import PASS_VARS
from ansible.module_utils.common.text.converters import to_bytes

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:
    # ansible-core before 2.19 has no helper: AnsibleModule reads its arguments from
    # basic._ANSIBLE_ARGS when set, as community collections' set_module_args does.
    @contextlib.contextmanager
    def patch_module_args(args):
        saved = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = saved

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options
from ansible_collections.huaweicloud.cdm.tests.simulator.cdm_sim import Simulator

JSON_CONTENT_TYPE = "application/json;charset=UTF-8"


class Api(object):
    """The simulator as a test sees it: its address, the requests it received, and canned answers."""

    def __init__(self, simulator):
        self.simulator = simulator
        self.url = simulator.url
        self.netloc = simulator.url.split("://", 1)[1]

    @property
    def requests(self):
        """Every request since the test began, oldest first: ``method``, ``path``, ``header(name)``, ``body``, ``request_id``."""
        return self.simulator.requests

    @property
    def issued_tokens(self):
        """The tokens the simulator's IAM issued during this test."""
        return [request.response_headers["X-Subject-Token"] for request in self.requests
                if "X-Subject-Token" in request.response_headers]

    @property
    def issued_token(self):
        tokens = self.issued_tokens
        return tokens[-1] if tokens else None

    def faults(self, *faults):
        """Simulator faults (tests/simulator/README.md) for the next requests."""
        self.simulator.add_faults(list(faults))

    def job(self, name, *answers):
        """Canned answers to one job's status call, in turn; the last one repeats. An answer is (status, text[, headers])."""
        for index, answer in enumerate(answers):
            self.faults(_canned(answer, route="status", job=name, count=-1 if index == len(answers) - 1 else 1))

    def iam(self, *answer):
        """A canned answer, (status, text[, headers]), to every IAM token call."""
        self.faults(_canned(answer, route="token", count=-1))


def _canned(answer, **where):
    status, text = answer[0], answer[1]
    headers = answer[2] if len(answer) > 2 else {}
    return dict(where, kind="custom", status=status, body=text, content_type=JSON_CONTENT_TYPE, headers=headers)


@pytest.fixture(scope="module")
def simulator(sim_scenario):
    """One simulator per test module, on 127.0.0.1 and a free port."""
    with Simulator(scenario=sim_scenario, record=True) as sim:
        yield sim


@pytest.fixture
def api(simulator):
    """The simulator, back to its scenario for this test (no faults, no requests seen)."""
    simulator.reset()
    return Api(simulator)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No connection option may come from the environment the tests happen to run in."""
    for spec in _options.CONNECTION_ARGSPEC.values():
        for variable in (spec.get("fallback") or (None, []))[1]:
            monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def run_module(capsys):
    """``run_module(main, args)`` runs a module and returns (result, exit code) from the JSON it prints."""

    def run(main, args, check_mode=False):
        args = dict(args)
        if "inject_invocation" in PASS_VARS:
            # ansible-core 2.21 only adds ``invocation`` when the controller asks; 2.16 to 2.20 always do.
            args["_ansible_inject_invocation"] = True
        if check_mode:
            args["_ansible_check_mode"] = True
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exit_info:
                main()
        output = capsys.readouterr().out
        result = json.loads(output)
        result["_stdout"] = output
        return result, exit_info.value.code

    return run


@pytest.fixture
def warnings_of(monkeypatch):
    """The warnings the module gave. Recorded at the module's warn(): where they end up depends on
    whether controller code was imported into the test process (other tests do import it)."""
    from ansible_collections.huaweicloud.cdm.plugins.module_utils import _module

    given = []
    monkeypatch.setattr(_module.CdmModule, "warn", lambda self, warning, **kwargs: given.append(warning))
    return lambda _result: given


@pytest.fixture
def no_such_host(monkeypatch):
    """Every host name fails to resolve, so a test can name another machine and nothing leaves this one."""
    import socket

    def no_such_name(*_args, **_kwargs):
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
