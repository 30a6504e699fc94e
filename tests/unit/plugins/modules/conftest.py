# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A tiny stand-in of the CDM and IAM APIs on 127.0.0.1, and a way to run a module's main()."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from socketserver import ThreadingMixIn
from urllib.parse import unquote

import pytest

from ansible.module_utils.common.parameters import PASS_VARS
from ansible.module_utils.testing import patch_module_args

from ansible_collections.huaweicloud.cdm.plugins.module_utils import _options

STATUS_PATH = re.compile(r"^/v1\.1/(?P<project>[^/?#]+)/clusters/(?P<cluster>[^/?#]+)/cdm/job/(?P<job>[^/?#]+)/status$")


class RecordedRequest(object):
    def __init__(self, method, path, headers, body):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body

    def header(self, name):
        return next((value for key, value in self.headers.items() if key.lower() == name.lower()), None)


class ApiState(object):
    """What the stand-in answers, and every request it received."""

    issued_token = "ISSUED-IAM-TOKEN-7f3a9c"

    def __init__(self):
        self.requests = []
        self.jobs = {}
        self.iam = None
        self.reset()

    def reset(self):
        self.requests = []
        self.jobs = {}
        self.iam = (201, json.dumps({"token": {"expires_at": "2030-01-01T00:00:00Z"}}), {"X-Subject-Token": self.issued_token})

    def job(self, name, *answers):
        """Answers for one job, in turn; the last one repeats. An answer is (status, text[, headers])."""
        self.jobs[name] = [answer if len(answer) == 3 else (answer[0], answer[1], {}) for answer in answers]

    def answer(self, method, path):
        if method == "POST" and path == "/v3/auth/tokens":
            return self.iam
        match = STATUS_PATH.match(path)
        if method == "GET" and match:
            name = unquote(match.group("job"))
            answers = self.jobs.get(name)
            if answers:
                return answers.pop(0) if len(answers) > 1 else answers[0]
            return 400, json.dumps({"errCode": "Cdm.0100", "externalMessage": "Job[%s] doesn't exist." % name}), {}
        return 404, json.dumps({"error_code": "APIG.0101", "error_msg": "The API does not exist or has not been published."}), {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _handle(self):
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        state.requests.append(RecordedRequest(self.command, self.path, dict(self.headers.items()), body))
        status, text, headers = state.answer(self.command, self.path)
        payload = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("X-Request-Id", "req-%04d" % len(state.requests))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class _Server(ThreadingMixIn, HTTPServer):
    daemon_threads = True


@pytest.fixture(scope="module")
def api_server():
    server = _Server(("127.0.0.1", 0), _Handler)
    server.state = ApiState()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.netloc = "127.0.0.1:%d" % server.server_address[1]
    server.url = "http://" + server.netloc
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def api(api_server):
    """The stand-in's state, emptied for this test; ``api.url`` is its base URL."""
    api_server.state.reset()
    api_server.state.url = api_server.url
    api_server.state.netloc = api_server.netloc
    return api_server.state


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
            # ansible-core 2.21 only adds ``invocation`` when the controller asks; 2.19 always does.
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
