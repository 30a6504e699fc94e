# -*- coding: utf-8 -*-
# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTTP server: one request's way through the gateway (faults, authentication) to CDM or IAM."""

import datetime
import json
import secrets
import socket
import ssl
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote

from . import faults, routing
from .routing import JSON_CONTENT_TYPE, json_bytes
from .validate import ScenarioError

MAX_BODY = 1024 * 1024


class Exchange:
    """One request as received, and the status and headers of its answer (in-process tests only)."""

    def __init__(self, method, path, headers, body, request_id):
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.request_id = request_id
        self.status = None
        self.response_headers = {}

    def header(self, name):
        """A request header, whatever its case; None when absent."""
        return next((value for key, value in self.headers.items() if key.lower() == name.lower()), None)


class _BadBody(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"       # keep-alive; every answer has a Content-Length
    server_version = "CDM-Simulator/1.0"
    sys_version = ""
    timeout = 60                        # idle keep-alive connections close after a minute
    disable_nagle_algorithm = True      # headers and body are two writes: no 40 ms delayed-ACK stalls

    request_id = ""
    prefix = None                       # the gateway prefix of the fault being applied, if it names one
    sent_status = None
    counted = False
    exchange = None

    # -- connection plumbing ---------------------------------------------

    def setup(self):
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            # Handshake here, in the worker thread, not in the accept loop.
            self.connection.do_handshake()
        self.server.track(self.connection, True)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.track(self.connection, False)

    def log_request(self, code="-", size="-"):
        pass  # the simulator writes its own log line (see send_head), never headers or bodies

    def log_message(self, format, *args):
        self.server.log("%s %s" % (self.address_string(), format % args))

    def send_error(self, code, message=None, explain=None):
        # Malformed request lines and the like: answer in the gateway's shape.
        self.request_id = secrets.token_hex(16)
        self.prefix = None
        self.counted = False
        self.exchange = None
        self.close_connection = True
        self.send_apig(code, "APIG.0201", "API request error." if message is None else str(message))

    # -- responses (faults.py uses these too) ---------------------------------

    def send_response(self, code, message=None):
        # The base class would add a Date on the real clock; send_head sends the simulated one.
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Server", self.version_string())

    def send_head(self, status, length, content_type=JSON_CONTENT_TYPE, headers=None, note=""):
        """Status line and headers for a body of ``length`` bytes; counts and logs the answer.

        The Date is on the simulated clock (a scenario's ``clock_offset`` included), as the job
        dates are; a ``Date`` in ``headers`` replaces it, and an empty one leaves it out.
        """
        headers = dict(headers or {})
        date = headers.pop("Date", None)
        self.send_response(status)
        if date is None:
            date = self.date_time_string(self.server.state.clock())
        if date:
            self.send_header("Date", date)
        self.send_header("X-Request-Id", self.request_id)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        for name, value in headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.sent_status = status
        if self.exchange is not None:
            self.exchange.status = status
            self.exchange.response_headers = dict(headers, **{"X-Request-Id": self.request_id})
        if self.counted:
            self.server.state.count("by_status", str(status))
        self._log_line(status, note)

    def send_body(self, status, body=b"", content_type=JSON_CONTENT_TYPE, headers=None, note=""):
        self.send_head(status, len(body), content_type, headers, note)
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def send_json(self, status, payload, headers=None, note=""):
        self.send_body(status, json_bytes(payload), headers=headers, note=note)

    def send_apig(self, status, code, message, headers=None, note=""):
        # Every gateway error passes here, so the scenario's prefix (APIG. or APIGW.),
        # or the applied fault's, reaches them all.
        code = self.server.state.gateway_code(code, self.prefix)
        self.send_json(status, {"error_code": code, "error_msg": message, "request_id": self.request_id},
                       headers=headers, note=note)

    def drop(self, reset=False, note=""):
        """Close the connection without any answer (a TCP RST when ``reset``)."""
        self.close_connection = True
        if reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.server.state.count("by_status", "dropped")
        self._log_line("dropped", note)

    def _log_line(self, status, note):
        path = routing.split_target(self.path or "")[0] if getattr(self, "path", None) else "-"
        self.server.log("%s %s %s%s" % (getattr(self, "command", "-"), path, status, (" " + note) if note else ""))

    # -- request -------------------------------------------------------------

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise _BadBody(400)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += size
                if total > MAX_BODY:
                    raise _BadBody(413)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(65537)
            return b"".join(chunks)
        raw = self.headers.get("Content-Length")
        if not raw:
            return b""
        try:
            length = int(raw)
        except ValueError:
            raise _BadBody(400)
        if length < 0:
            raise _BadBody(400)
        if length > MAX_BODY:
            raise _BadBody(413)
        return self.rfile.read(length)

    def do_GET(self):
        self.request_id = secrets.token_hex(16)
        self.prefix = None
        self.sent_status = None
        self.counted = False
        self.exchange = None
        state = self.server.state
        state.enter()
        try:
            self._handle(state)
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True
        except Exception:
            self.close_connection = True
            traceback.print_exc(file=sys.stderr)
            if self.sent_status is None:
                self.send_apig(500, "SIM.0500", "Simulator internal error.")
        finally:
            state.leave()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_GET

    def _handle(self, state):
        try:
            body = self._read_body()
        except _BadBody as exc:
            self.close_connection = True
            status = exc.args[0]
            message = "Request entity too large." if status == 413 else "API request error."
            self.send_apig(status, "APIG.0201", message)
            return
        raw_path, raw_query = routing.split_target(self.path)
        segments = [unquote(segment) for segment in raw_path.split("/")[1:]]
        query = dict(parse_qsl(raw_query, keep_blank_values=True))
        if segments and segments[0] == "_sim":
            self._control(state, segments[1:], body)
            return
        if self.server.recorded is not None:
            self.exchange = Exchange(self.command, self.path, dict(self.headers.items()), body, self.request_id)
            self.server.recorded.append(self.exchange)
        route, params = routing.match_route(self.command, segments)
        job = params.get("job")
        if route == "submissions":
            job = query.get("jname") or None
        state.count_request(route or "unknown", job)
        self.counted = True
        if route is None:
            self.send_apig(404, "APIG.0101", "The API does not exist or has not been published in the environment.")
            return
        token = (self.headers.get("X-Auth-Token") or "").strip()
        delay, fault = state.faults.take(route, job, (raw_path, unquote(raw_path)), bool(token))
        if delay:
            time.sleep(delay)
        if fault is not None and fault["kind"] in faults.SHORT_CIRCUIT_FAULTS:
            self.prefix = fault["prefix"]
            faults.short_circuit(self, fault)
            return
        if route == "token":
            status, payload, headers = state.auth.issue_token(body)
            headers["X-IAM-Trace-Id"] = self.request_id
        else:
            failure = state.auth.authenticate(self.command, self.headers, token, params["project_id"], raw_path,
                                              raw_query, body)
            if failure is not None:
                state.count_auth_failure()
                self.send_apig(*failure)
                return
            if fault is not None and fault["kind"] in faults.BEFORE_FAULTS:
                faults.before(state, params)
                fault = None
            status, payload = routing.dispatch(state, route, params, query, body)
            headers = {}
        if fault is not None:
            faults.rewrite(self, fault, status, payload, headers)
            return
        self.send_json(status, payload, headers=headers)

    def _control(self, state, segments, body):
        try:
            doc = json.loads(body.decode("utf-8")) if body.strip() else None
        except (ValueError, UnicodeDecodeError):
            self.send_json(400, {"ok": False, "error": "the body is not valid JSON"})
            return
        try:
            status, payload = routing.control(state, self.command, segments, doc)
        except ScenarioError as exc:
            status, payload = 400, {"ok": False, "error": str(exc)}
        self.send_json(status, payload)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address, state, log_file=None, record=False):
        self.state = state
        self.recorded = [] if record else None
        self._log_file = log_file
        self._log_lock = threading.Lock()
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def track(self, connection, alive):
        with self._connections_lock:
            if alive:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def close_connections(self):
        with self._connections_lock:
            connections = list(self._connections)
            self._connections.clear()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def log(self, line):
        if self._log_file is None:
            return
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        with self._log_lock:
            self._log_file.write("%s %s\n" % (stamp, line))
            self._log_file.flush()

    def handle_error(self, request, client_address):
        # Disconnects and failed TLS handshakes are routine here; stay quiet.
        exc = sys.exc_info()[1]
        if not isinstance(exc, (OSError, ssl.SSLError)):
            traceback.print_exc(file=sys.stderr)
        self.log("connection error from %s: %s" % (client_address[0], type(exc).__name__))


class Server6(Server):
    address_family = socket.AF_INET6
