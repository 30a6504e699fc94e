# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The simulator as an object (in-process tests) and as a program (the command line)."""

import argparse
import os
import signal
import ssl
import sys
import threading

from .app import Server, Server6
from .scenario import DEFAULT_SCENARIO, apply_overrides, load_scenario, normalize_scenario
from .state import SimState
from .validate import ScenarioError


class Simulator:
    """The simulator, usable in-process: ``Simulator(...).start()``, ``.port``, ``.url``, ``.stop()``.

    ``scenario`` is a mapping (a scenario document), a file path, or None for
    the built-in default. ``clock`` (tests only) replaces ``time.time`` for the
    simulated jobs and token expiry; signature dates are checked against the
    real clock. ``record`` keeps every request (headers and body included) in
    memory for :attr:`requests`: for in-process tests, never for a long run.
    """

    def __init__(self, scenario=None, host="127.0.0.1", port=0, speed=None, token=None, access_key=None,
                 secret_key=None, user=None, password=None, domain=None, tls_cert=None, tls_key=None,
                 log_file=None, clock=None, record=False):
        if scenario is None:
            scenario = DEFAULT_SCENARIO
        elif isinstance(scenario, str):
            scenario = load_scenario(scenario)
        scenario = apply_overrides(scenario, speed, token, access_key, secret_key, user, password, domain)
        self.state = SimState(normalize_scenario(scenario), clock)
        self._log = open(log_file, "a", encoding="utf-8") if log_file else None
        server_class = Server6 if ":" in host else Server
        self._server = server_class((host, port), self.state, self._log, record)
        self.scheme = "http"
        if tls_cert:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(tls_cert, tls_key)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True,
                                                      do_handshake_on_connect=False)
            self.scheme = "https"
        self.host = host
        self._thread = None

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def url(self):
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = "[%s]" % host
        return "%s://%s:%d" % (self.scheme, host, self.port)

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="cdm-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5)
            self._thread = None
        self._server.server_close()
        self._server.close_connections()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # Conveniences for in-process tests (the same as the /_sim/ endpoints).
    def add_faults(self, faults):
        return self.state.faults.add(faults)

    def finish_job(self, name, outcome=None):
        return self.state.finish_job(name, outcome)

    def stats(self):
        return self.state.snapshot_stats()

    def reset(self):
        """Jobs, faults and lockouts back to the scenario, statistics and recorded requests emptied."""
        self.state.reset()
        self.state.reset_stats()
        if self._server.recorded is not None:
            del self._server.recorded[:]

    @property
    def requests(self):
        """The requests received so far, oldest first (:class:`Exchange`); needs ``record=True``."""
        if self._server.recorded is None:
            raise RuntimeError("start the simulator with record=True to keep its requests")
        return list(self._server.recorded)


def write_port_file(path, port):
    """Write the port atomically: a temporary file in the same folder, then a rename."""
    folder = os.path.dirname(os.path.abspath(path))
    temp = os.path.join(folder, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write("%d\n" % port)
    os.replace(temp, path)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="Local simulator of the Huawei Cloud CDM and IAM token APIs.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port (0: any free port; see --port-file)")
    parser.add_argument("--port-file", help="write the port here once listening (atomic)")
    parser.add_argument("--scenario", help="scenario file (.json always; .yml/.yaml need PyYAML)")
    parser.add_argument("--speed", type=float, help="simulated seconds per real second (overrides the scenario)")
    parser.add_argument("--token", help="the one accepted static X-Auth-Token (overrides the scenario)")
    parser.add_argument("--access-key", help="the accepted AK (with --secret-key; overrides the scenario)")
    parser.add_argument("--secret-key", help="the accepted SK (with --access-key)")
    parser.add_argument("--user", help="IAM user name accepted by POST /v3/auth/tokens")
    parser.add_argument("--password", help="IAM password accepted by POST /v3/auth/tokens")
    parser.add_argument("--domain", help="IAM domain (account) name accepted by POST /v3/auth/tokens")
    parser.add_argument("--tls-cert", help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key for --tls-cert")
    parser.add_argument("--log", help="append one line per request (time, method, path, status) to this file")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    if (args.access_key is None) != (args.secret_key is None):
        parser.error("--access-key and --secret-key go together")
    return args


def main(argv=None):
    args = parse_args(argv)
    try:
        sim = Simulator(scenario=args.scenario, host=args.host, port=args.port, speed=args.speed, token=args.token,
                        access_key=args.access_key, secret_key=args.secret_key, user=args.user,
                        password=args.password, domain=args.domain, tls_cert=args.tls_cert, tls_key=args.tls_key,
                        log_file=args.log)
    except (ScenarioError, OSError) as exc:
        sys.stderr.write("cdm_simulator: %s\n" % exc)
        return 2
    stop = threading.Event()

    def _on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    sim.start()
    if args.port_file:
        write_port_file(args.port_file, sim.port)
    sys.stderr.write("cdm_simulator: listening on %s\n" % sim.url)
    sys.stderr.flush()
    while not stop.wait(0.2):
        pass
    sim.stop()
    return 0
