#!/usr/bin/env python3
"""An OTLP/HTTP sink for the telemetry load runs: answers every export 200 and keeps only counts.

Usage: otlp_sink.py [--port 4318] [--seconds 3600]
Listens on 127.0.0.1; stops by itself after --seconds, printing how many exports and bytes it
took per path (GET / answers the same so far) (the exporters of the `*-tracing` contestants of telemetry.json send here).
"""
import argparse
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

exports, volume = Counter(), Counter()
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        size = int(self.headers.get("content-length", "0"))
        self.rfile.read(size)
        with lock:
            exports[self.path] += 1
            volume[self.path] += size
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            text = "".join(f"{path}: {exports[path]} exports, {volume[path]} bytes\n" for path in sorted(exports)).encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain")
        self.send_header("content-length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)


parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=4318)
parser.add_argument("--seconds", type=int, default=3600)
args = parser.parse_args()
server = ThreadingHTTPServer(("127.0.0.1", args.port), Sink)
stopper = threading.Timer(args.seconds, server.shutdown)
stopper.daemon = True
stopper.start()
try:
    server.serve_forever()
finally:
    for path in sorted(exports):
        print(f"{path}: {exports[path]} exports, {volume[path]} bytes")
