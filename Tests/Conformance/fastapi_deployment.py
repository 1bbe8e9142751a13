#!/usr/bin/env python3
"""Records what FastAPI answers behind a proxy, for `DeploymentConformanceTests`
(Tests/ApusTests/DeploymentConformanceTests.swift), whose Apus app declares the same routes:
served by uvicorn over a socket as FastAPI 0.165 recommends (`--root-path /api/v1`, the
app-level `root_path` being deprecated; `--proxy-headers --forwarded-allow-ips '*'`): the
document's `servers` (app-level ones after the root path), the docs pages' URLs, the
trailing-slash redirect under the root path and from X-Forwarded-Proto, the client from
X-Forwarded-For. The Host header is `apus.test` in every case.

    python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi==0.165.0 httpx uvicorn
    /tmp/fa/bin/python Tests/Conformance/fastapi_deployment.py > Tests/ApusTests/Golden/deployment.json
"""
import json
import socket
import subprocess
import sys
import time

import httpx

import fastapi
from fastapi import FastAPI, Request

app = FastAPI(
    title="Deployment",
    version="1.0.0",
    servers=[{"url": "https://stag.example.com", "description": "Staging"}],
)


@app.get("/items/")
def items(request: Request):
    return {
        "root_path": request.scope.get("root_path", ""),
        "base_url": str(request.base_url),
        "scheme": request.url.scheme,
        "client": request.client.host if request.client else None,
    }


CASES = [
    ("GET", "/openapi.json", {}),
    ("GET", "/docs", {}),
    ("GET", "/redoc", {}),
    ("GET", "/items/", {}),
    ("GET", "/items", {}),
    ("GET", "/items?q=1", {"x-forwarded-proto": "https"}),
    ("GET", "/items/", {"x-forwarded-for": "203.0.113.7, 10.0.0.2", "x-forwarded-proto": "https"}),
]

if __name__ == "__main__":
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "fastapi_deployment:app", "--port", str(port), "--root-path", "/api/v1",
         "--proxy-headers", "--forwarded-allow-ips", "*", "--log-level", "warning"],
        cwd=sys.path[0])
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(base + "/openapi.json")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        cases = []
        for method, url, headers in CASES:
            sent = {"host": "apus.test", **headers}
            response = httpx.request(method, base + url, headers=sent, follow_redirects=False)
            cases.append({
                "method": method,
                "url": url,
                "headers": [[name, value] for name, value in sent.items()],
                "body": None,
                "status": response.status_code,
                "content_type": response.headers.get("content-type"),
                "location": response.headers.get("location"),
                "response": response.text,
            })
    finally:
        server.kill()
    json.dump({"fastapi": fastapi.__version__, "cases": cases}, sys.stdout, indent=1, ensure_ascii=False)
    print()
