#!/usr/bin/env python3
"""Records what FastAPI's `app.frontend()` answers to a set of requests, as the golden file
the Swift test `FrontendTests` compares Apus with (status, content type, Location, Allow and
body bytes). The build folder is written here and by the test with the same files
(`BUILD`). Regenerate after changing either (needs fastapi and httpx):

    python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi httpx
    /tmp/fa/bin/python Tests/Conformance/fastapi_frontend.py > Tests/ApusTests/Golden/frontend.json

Apus differs on purpose in one place, kept out of these cases and tested on its own: a miss
under `/api` is always the JSON 404 (`apiPrefixes`), where FastAPI serves `index.html` to a
page request.
"""
import json
import os
import sys
import tempfile

import fastapi
from fastapi import FastAPI
from fastapi.testclient import TestClient

# The build: a single-page app's index, a hashed asset, a folder with its own index, and
# (second app) a statically generated site's 404 page.
BUILD = {
    "index.html": "<!doctype html><title>app</title>",
    "assets/app-3f2a9c1b.js": "console.log(1)",
    "about/index.html": "<p>about</p>",
}
NOT_FOUND_PAGE = {"404.html": "<h1>Nothing here</h1>"}

PAGE = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
CASES = [
    ("spa", "GET", "/", {}),
    ("spa", "GET", "/", PAGE),
    ("spa", "GET", "/index.html", {}),
    ("spa", "GET", "/assets/app-3f2a9c1b.js", {}),
    ("spa", "HEAD", "/assets/app-3f2a9c1b.js", {}),
    ("spa", "GET", "/dashboard/settings", PAGE),
    ("spa", "GET", "/dashboard/settings?tab=2", {"accept": "text/html"}),
    ("spa", "GET", "/dashboard", {"accept": "application/xhtml+xml;q=0.5"}),
    ("spa", "HEAD", "/dashboard", PAGE),
    ("spa", "GET", "/dashboard/settings", {}),
    ("spa", "GET", "/dashboard", {"accept": "application/json"}),
    ("spa", "GET", "/dashboard", {"accept": "*/*"}),
    ("spa", "GET", "/dashboard", {"accept": "text/html;q=0"}),
    ("spa", "GET", "/assets/missing.js", {"accept": "*/*"}),
    ("spa", "POST", "/dashboard", PAGE),
    ("spa", "POST", "/assets/app-3f2a9c1b.js", PAGE),
    ("spa", "DELETE", "/", PAGE),
    ("spa", "GET", "/about", PAGE),
    ("spa", "GET", "/about?x=1", PAGE),
    ("spa", "GET", "/about/", PAGE),
    ("spa", "GET", "/items", PAGE),
    ("spa", "GET", "/items", {}),
    ("spa", "GET", "/submit", PAGE),
    ("spa", "DELETE", "/items", PAGE),
    ("spa", "GET", "/users", PAGE),
    ("spa", "GET", "/users/", PAGE),
    ("site", "GET", "/", {}),
    ("site", "GET", "/nothing", PAGE),
    ("site", "GET", "/nothing", {}),
    ("site", "GET", "/about/", {}),
    ("prefixed", "GET", "/app", PAGE),
    ("prefixed", "GET", "/app/", PAGE),
    ("prefixed", "GET", "/app/assets/app-3f2a9c1b.js", {}),
    ("prefixed", "GET", "/app/dashboard", PAGE),
    ("prefixed", "GET", "/application", PAGE),
    ("prefixed", "GET", "/other", PAGE),
    ("none", "GET", "/dashboard", PAGE),
    ("none", "GET", "/about/", PAGE),
]


def write(root, files):
    for name, text in files.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def make_app(kind, spa, site):
    app = FastAPI()

    @app.get("/items")
    def items():
        return ["hammer", "saw"]

    @app.post("/submit")
    def submit():
        return {"ok": True}

    @app.get("/users/")
    def users():
        return []

    if kind == "spa":
        app.frontend("/", directory=spa)
    elif kind == "site":
        app.frontend("/", directory=site)
    elif kind == "prefixed":
        app.frontend("/app", directory=spa)
    else:
        app.frontend("/", directory=spa, fallback=None)
    return app


def main():
    root = tempfile.mkdtemp()
    spa, site = os.path.join(root, "spa"), os.path.join(root, "site")
    write(spa, BUILD)
    write(site, {**BUILD, **NOT_FOUND_PAGE})
    clients = {kind: TestClient(make_app(kind, spa, site), base_url="http://testserver") for kind in ("spa", "site", "prefixed", "none")}
    out = []
    for kind, method, url, headers in CASES:
        r = clients[kind].request(method, url, headers=headers, follow_redirects=False)
        out.append({
            "app": kind, "method": method, "url": url, "headers": list(headers.items()), "body": None,
            "status": r.status_code,
            "content_type": r.headers.get("content-type"),
            "location": r.headers.get("location"),
            "allow": r.headers.get("allow"),
            "response": r.content.decode(),
        })
    json.dump({"fastapi": fastapi.__version__, "cases": out}, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
