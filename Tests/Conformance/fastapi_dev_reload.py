#!/usr/bin/env python3
"""FastAPI's side of the `apus dev` figure: `fastapi dev` serving a one-route app, a request
every 20 ms on a new connection each, the greeting edited, the time until the first answer
with the new text. Bounded; 127.0.0.1 only.

    /tmp/fa/bin/pip install "fastapi[standard]"
    /tmp/fa/bin/python Tests/Conformance/fastapi_dev_reload.py /tmp/fa/bin/fastapi
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Scripts"))
check = __import__("check-apus-dev")

APP = 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/")\ndef root():\n    return {"message": "%s"}\n'


def main():
    fastapi = sys.argv[1]
    folder = tempfile.mkdtemp(prefix="fastapi-dev-")
    source = os.path.join(folder, "main.py")
    open(source, "w").write(APP % "Hello from fastapi")
    port = check.free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(folder, "dev.log"), "w")
    dev = subprocess.Popen([fastapi, "dev", source, "--port", str(port)], stdout=log, stderr=log, cwd=folder)
    hammer = check.Hammer(base + "/")
    figures = {}
    try:
        check.wait_for(lambda: check.get(base + "/")[0] == 200, 60, "fastapi dev's start")
        hammer.start()
        time.sleep(1)
        marker = f"Edited {int(time.time())}"
        started = time.monotonic()
        open(source, "w").write(APP % marker)
        check.wait_for(lambda: marker in check.get(base + "/")[1], 60, "the edited answer")
        figures["edit_to_new_response_s"] = round(time.monotonic() - started, 2)
    finally:
        hammer.running = False
        dev.send_signal(signal.SIGINT)
        try:
            dev.wait(20)
        except subprocess.TimeoutExpired:
            dev.kill()
    hammer.join(70)
    figures.update(requests=hammer.requests, refused=hammer.refused, failures=hammer.failures[:3])
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
