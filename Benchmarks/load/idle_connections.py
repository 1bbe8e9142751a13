#!/usr/bin/env python3
"""Holds N idle keep-alive connections to an Apus server on 127.0.0.1 and reports its RSS.

Bounded: opens at most N sockets, each sends one request and keeps the connection open, the
whole run stops after --hold seconds. Usage (from the package root):

    swift build -c release --product apus-bench-server
    python3 Benchmarks/load/idle_connections.py --connections 10000

It starts the server itself (one event loop, pinned to CPU 0) and prints idle RSS, RSS with
every connection open, RSS per connection, and whether every connection was still served.
"""
import argparse
import os
import resource
import socket
import subprocess
import time


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def read_reply(s: socket.socket) -> bool:
    """Reads until the plaintext body arrived; False when the server closed first."""
    data = b""
    while b"Hello, World!" not in data:
        chunk = s.recv(4096)
        if not chunk:
            return False
        data += chunk
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--port", type=int, default=8321)
    parser.add_argument("--hold", type=float, default=5.0, help="seconds to hold the connections")
    parser.add_argument("--server", default=".build/release/apus-bench-server")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.connections + 1024), hard))
    env = dict(os.environ, PORT=str(args.port), EVENT_LOOP_THREADS="1", HOST="127.0.0.1")
    server = subprocess.Popen(["taskset", "-c", "0", args.server], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, args.connections + 1024), hard)))
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", args.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        time.sleep(0.5)
        idle = rss_kib(server.pid)
        sockets = []
        request = b"GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n"
        started = time.time()
        for _ in range(args.connections):
            s = socket.create_connection(("127.0.0.1", args.port), timeout=10)
            s.sendall(request)
            sockets.append(s)
        answered = sum(read_reply(s) for s in sockets)
        opened = time.time() - started
        time.sleep(args.hold)
        held = rss_kib(server.pid)
        # Every connection must still be open and usable after the hold.
        for s in sockets:
            s.sendall(request)
        served = sum(read_reply(s) for s in sockets)
        for s in sockets:
            s.close()
        per = (held - idle) * 1024 / max(1, args.connections)
        print(f"connections={args.connections} opened_and_answered={answered} in {opened:.1f}s "
              f"idle_rss={idle / 1024:.1f}MiB held_rss={held / 1024:.1f}MiB "
              f"per_connection={per / 1024:.2f}KiB served_again={served}")
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
