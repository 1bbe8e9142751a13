#!/usr/bin/env python3
"""Sends the same requests over HTTP/2 or HTTP/1.1 with httpx, for HTTP2Tests.

    http2_checks.py BASE_URL CA_FILE|- http2|http1

Routes of the quick start app: plain, JSON, path and query validation (422), a JSON body
(201, 422), a form, an upload (multipart), a streamed body, server-sent events (their
`event:`/`id:` lines: the data are times), the docs page, 404 and 405; then 20 requests at once (multiplexed on one connection over HTTP/2). Prints
JSON: each answer's status, content type, HTTP version and body, and the versions seen.
"""
import asyncio
import json
import sys

import httpx

base, ca, mode = sys.argv[1], sys.argv[2], sys.argv[3]
verify = True if ca == "-" else ca
http2 = mode == "http2"
CASES = [
    ("GET", "/", {}),
    ("GET", "/items/42?q=hello", {}),
    ("GET", "/items/0?q=" + "x" * 60, {}),
    ("POST", "/items", {"json": {"name": "Widget", "price": 9.99, "tags": ["a"]}}),
    ("POST", "/items", {"content": b'{"name": 1', "headers": {"content-type": "application/json"}}),
    ("GET", "/models/resnet", {}),
    ("POST", "/contact", {"data": {"name": "Ada", "message": "hello"}}),
    ("POST", "/files", {"files": {"file": ("notes.txt", b"x" * 100_000, "text/plain")}}),
    ("GET", "/count?to=5", {}),
    ("GET", "/clock?ticks=2", {}),
    ("GET", "/docs", {}),
    ("GET", "/nowhere", {}),
    ("DELETE", "/models/resnet", {}),
]


def body_of(path, response):
    if path.startswith("/clock"):
        return [line for line in response.text.splitlines() if line.startswith(("event:", "id:"))]
    return response.text


async def main():
    results = []
    versions = set()
    async with httpx.AsyncClient(base_url=base, http2=http2, http1=not http2, verify=verify, timeout=30) as client:
        for method, path, extra in CASES:
            response = await client.request(method, path, **extra)
            versions.add(response.http_version)
            results.append({
                "request": f"{method} {path}",
                "status": response.status_code,
                "content_type": response.headers.get("content-type"),
                "body": body_of(path, response),
            })
        together = await asyncio.gather(*(client.get(f"/items/{n}?q=at-once") for n in range(1, 21)))
        versions.update(r.http_version for r in together)
        results.append({
            "request": "20 x GET /items/{n}?q=at-once",
            "status": sorted({r.status_code for r in together}),
            "content_type": None,
            "body": [r.json()["item_id"] for r in together],
        })
    print(json.dumps({"versions": sorted(versions), "results": results}))


asyncio.run(main())
