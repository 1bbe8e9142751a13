#!/usr/bin/env python3
"""A TLS client that holds one connection across a certificate reload, for TLSTests.

    tls_keepalive.py PORT CA_FILE READY_FILE GO_FILE

Opens a keep-alive HTTPS connection to 127.0.0.1:PORT trusting CA_FILE, sends GET /hello,
writes READY_FILE, waits (at most 20 s) for GO_FILE, then sends GET /hello again on the same
connection and on a new one. Prints JSON: each answer's status and body and each
connection's certificate common name.
"""
import http.client
import json
import os
import ssl
import sys
import time

port, ca, ready, go = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
context = ssl.create_default_context(cafile=ca)


def common_name(connection):
    subject = dict(item[0] for item in connection.sock.getpeercert()["subject"])
    return subject.get("commonName")


def get(connection):
    connection.request("GET", "/hello")
    response = connection.getresponse()
    return {"status": response.status, "body": response.read().decode()}


held = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
result = {"first": get(held), "first_cn": common_name(held)}
open(ready, "w").close()
deadline = time.monotonic() + 20
while not os.path.exists(go) and time.monotonic() < deadline:
    time.sleep(0.02)
result["held_again"] = get(held)
result["held_cn"] = common_name(held)
fresh = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
result["fresh"] = get(fresh)
result["fresh_cn"] = common_name(fresh)
print(json.dumps(result))
