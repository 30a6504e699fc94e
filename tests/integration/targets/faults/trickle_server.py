# Copyright (c) huaweicloud.cdm contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A server that answers every request with headers, then a body one byte at a
# time, each byte well inside any read timeout: a client that only sets a
# per-read timeout never gives up. The CDM simulator has no such fault.
# It gives up on its own after --seconds (default 10), so a client that waits
# for the whole body ends instead of hanging the test.
#
#   trickle_server.py --port-file F --log F [--seconds N]
# writes its port to the port file, and one line per request to the log.
import argparse
import os
import socket
import threading
import time


def serve(connection, log, seconds):
    try:
        connection.settimeout(5)
        request = connection.recv(65536)
        with open(log, "a") as handle:
            handle.write(request.split(b"\r\n", 1)[0].decode("latin-1") + "\n")
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=UTF-8\r\n"
                           b"X-Request-Id: 0123456789abcdef0123456789abcdef\r\n"
                           b"Content-Length: 1000000\r\n\r\n{\"submissions\": [")
        ends = time.monotonic() + seconds
        while time.monotonic() < ends:
            connection.sendall(b" ")
            time.sleep(0.2)
    except OSError:
        pass
    finally:
        connection.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    with open(args.port_file + ".tmp", "w") as handle:
        handle.write("%d\n" % listener.getsockname()[1])
    os.rename(args.port_file + ".tmp", args.port_file)
    while True:
        connection, _address = listener.accept()
        threading.Thread(target=serve, args=(connection, args.log, args.seconds), daemon=True).start()


if __name__ == "__main__":
    main()
