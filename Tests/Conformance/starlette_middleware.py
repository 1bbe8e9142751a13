#!/usr/bin/env python3
"""Records what Starlette's CORS, TrustedHost, HTTPS-redirect and GZip middleware answer, for
`MiddlewareConformanceTests` (Tests/ApusTests/MiddlewareConformanceTests.swift), whose Apus
apps are configured the same way.

    /tmp/fa/bin/python Tests/Conformance/starlette_middleware.py > Tests/ApusTests/Golden/middleware.json
"""
import json
import sys

import fastapi
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.middleware.httpsredirect import HTTPSRedirectMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient


def make(middleware, **options):
    app = FastAPI()

    @app.get("/items")
    def items():
        return {"items": ["a", "b"]}

    @app.post("/items")
    def create():
        return {"created": True}

    @app.get("/big", response_class=PlainTextResponse)
    def big():
        return "x" * 600

    @app.get("/small", response_class=PlainTextResponse)
    def small():
        return "tiny"

    app.add_middleware(middleware, **options)
    return app


APPS = {
    "cors_strict": make(CORSMiddleware, allow_origins=["https://app.example"], allow_methods=["GET", "POST"],
                        allow_headers=["X-Token"], expose_headers=["X-Total"], max_age=300),
    "cors_credentials": make(CORSMiddleware, allow_origins=["https://app.example"], allow_credentials=True,
                             allow_methods=["*"], allow_headers=["*"]),
    "cors_any": make(CORSMiddleware, allow_origins=["*"]),
    "trusted": make(TrustedHostMiddleware, allowed_hosts=["example.com", "*.example.org"]),
    "https": make(HTTPSRedirectMiddleware),
    "gzip": make(GZipMiddleware, minimum_size=500),
}

CASES = [
    ("cors_strict", "GET", "/items", {"origin": "https://app.example"}),
    ("cors_strict", "GET", "/items", {"origin": "https://evil.example"}),
    ("cors_strict", "GET", "/items", {}),
    ("cors_strict", "GET", "/nowhere", {"origin": "https://app.example"}),
    ("cors_strict", "OPTIONS", "/items", {"origin": "https://app.example", "access-control-request-method": "POST"}),
    ("cors_strict", "OPTIONS", "/items", {"origin": "https://app.example", "access-control-request-method": "POST",
                                          "access-control-request-headers": "x-token, content-type"}),
    ("cors_strict", "OPTIONS", "/items", {"origin": "https://app.example", "access-control-request-method": "DELETE"}),
    ("cors_strict", "OPTIONS", "/items", {"origin": "https://evil.example", "access-control-request-method": "GET",
                                          "access-control-request-headers": "x-other"}),
    ("cors_strict", "OPTIONS", "/items", {"origin": "https://app.example"}),
    ("cors_credentials", "GET", "/items", {"origin": "https://app.example", "cookie": "a=b"}),
    ("cors_credentials", "OPTIONS", "/items", {"origin": "https://app.example", "access-control-request-method": "PATCH",
                                               "access-control-request-headers": "x-anything"}),
    ("cors_any", "GET", "/items", {"origin": "https://anyone.example"}),
    ("cors_any", "GET", "/items", {"origin": "https://anyone.example", "cookie": "a=b"}),
    ("cors_any", "OPTIONS", "/items", {"origin": "https://anyone.example", "access-control-request-method": "GET"}),
    ("trusted", "GET", "/items", {"host": "example.com"}),
    ("trusted", "GET", "/items", {"host": "api.example.org:8080"}),
    ("trusted", "GET", "/items", {"host": "evil.com"}),
    ("trusted", "GET", "/items", {"host": "example.org"}),
    ("https", "GET", "/items?page=2", {"host": "example.com"}),
    ("https", "GET", "/items", {"host": "example.com:80"}),
    ("https", "GET", "/items", {"host": "example.com:8080"}),
    ("gzip", "GET", "/big", {"accept-encoding": "gzip, deflate"}),
    ("gzip", "GET", "/big", {"accept-encoding": "br"}),
    ("gzip", "GET", "/small", {"accept-encoding": "gzip"}),
]

HEADERS = ["content-type", "access-control-allow-origin", "access-control-allow-credentials", "access-control-allow-methods",
           "access-control-allow-headers", "access-control-expose-headers", "access-control-max-age", "vary", "location",
           "content-encoding"]


def main():
    clients = {name: TestClient(app, base_url="http://testserver") for name, app in APPS.items()}
    cases = []
    for app, method, url, headers in CASES:
        response = clients[app].request(method, url, headers=headers, follow_redirects=False)
        raw = response.content if response.headers.get("content-encoding") != "gzip" else None
        cases.append({
            "app": app, "method": method, "url": url, "headers": [[k, v] for k, v in headers.items()],
            "status": response.status_code, "response_headers": {h: response.headers.get(h) for h in HEADERS},
            "body": response.text if raw is not None else None, "decoded_body": response.text,
        })
    json.dump({"fastapi": fastapi.__version__, "cases": cases}, sys.stdout, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
