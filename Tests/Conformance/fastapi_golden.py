#!/usr/bin/env python3
"""Records what FastAPI answers to a set of requests, as the golden file the Swift test
`FastAPIConformanceTests` compares Apus with, byte for byte.

The FastAPI app here and the Apus app in Tests/ApusTests/FastAPIConformanceTests.swift
declare the same routes. Regenerate after changing either (needs fastapi and httpx):

    python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi httpx
    /tmp/fa/bin/python Tests/Conformance/fastapi_golden.py > Tests/ApusTests/Golden/fastapi.json
"""
import json
import sys
from datetime import datetime
from enum import Enum
from typing import Annotated
from uuid import UUID

import fastapi
from fastapi import Body, Cookie, FastAPI, Header, HTTPException, Path, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel


class Line(BaseModel):
    sku: str
    qty: int


class Order(BaseModel):
    name: str
    price: float
    lines: list[Line]
    rush: bool


class Color(str, Enum):
    red = "red"
    green = "green"
    blue = "blue"


class Item(BaseModel):
    name: str
    price: float
    tags: list[str]


app = FastAPI()


@app.get("/items/{item_id}")
async def read_item(item_id: Annotated[int, Path(gt=0)], q: Annotated[str | None, Query(max_length=5)] = None):
    return {"item_id": item_id, "q": q}


@app.post("/items")
async def create_item(item: Item):
    return {"name": item.name, "price": item.price, "tags": item.tags, "id": 1}


@app.get("/types")
async def types(
    n: int,
    f: float,
    b: bool,
    u: UUID,
    c: Color,
    s: Annotated[str, Query(min_length=2, pattern="^[a-z]+$")],
    tags: Annotated[list[int], Query()] = [],
    when: datetime | None = None,
):
    return {"n": n, "f": f, "b": b, "u": str(u), "c": c.value, "s": s, "tags": tags}


@app.get("/numbers")
async def numbers(
    a: Annotated[int, Query(ge=1, le=10)] = 5,
    b: Annotated[float, Query(gt=0.5, lt=2.5)] = 1.0,
    m: Annotated[int, Query(multiple_of=3)] = 3,
):
    return {"a": a, "b": b, "m": m}


@app.post("/orders/{order_id}")
async def order(
    order_id: int,
    verbose: bool,
    order: Order,
    x_token: Annotated[str, Header()],
    session: Annotated[int, Cookie()],
):
    return {"order_id": order_id}


@app.post("/embedded")
async def embedded(line: Line, color: Annotated[Color, Body()]):
    return {"sku": line.sku, "color": color.value}


@app.post("/single-embedded")
async def single_embedded(line: Annotated[Line, Body(embed=True)]):
    return {"sku": line.sku}


@app.get("/headers")
async def headers(
    user_agent: Annotated[str | None, Header()] = None,
    x_tag: Annotated[list[str], Header()] = [],
    strange: Annotated[str | None, Header(alias="X-Strange_Name")] = None,
):
    return {"user_agent": user_agent, "x_tag": x_tag, "strange": strange}


@app.get("/cookies")
async def cookies(session: Annotated[str | None, Cookie()] = None, theme: Annotated[str, Cookie()] = "light"):
    return {"session": session, "theme": theme}


@app.get("/error")
async def error():
    raise HTTPException(status_code=404, detail="Item not found", headers={"x-error": "yes"})


@app.get("/crash")
async def crash():
    raise RuntimeError("boom")


@app.get("/slash/")
async def slash():
    return "slash"


ITEM = {"name": "Widget", "price": 9.99, "tags": ["a", "b", "c"]}
ORDER_BAD = {"name": 5, "price": "x", "lines": [{"sku": "a", "qty": 1}, {"sku": "b"}, {"qty": "z"}], "rush": "maybe"}

CASES = [
    ("GET", "/items/42?q=hello", {}, None),
    ("GET", "/items/7", {}, None),
    ("GET", "/items/0?q=toolong", {}, None),
    ("GET", "/items/abc", {}, None),
    ("GET", "/nowhere", {}, None),
    ("DELETE", "/items/1", {}, None),
    ("GET", "/slash?x=1", {}, None),
    ("POST", "/items", {"content-type": "application/json"}, json.dumps(ITEM)),
    ("POST", "/items", {"content-type": "application/json"}, '{"name": "x", "price": "oops"}'),
    ("POST", "/items", {"content-type": "application/json"}, '{"name": "x",'),
    ("POST", "/items", {"content-type": "application/json"}, '[1, 2'),
    ("POST", "/items", {"content-type": "application/json"}, '{"name": "x"} extra'),
    ("POST", "/items", {"content-type": "application/json"}, '{"a": "\\q"}'),
    ("POST", "/items", {"content-type": "application/json"}, "{\"nämé\": 1, \"x\": }"),
    ("POST", "/items", {"content-type": "application/json"}, ""),
    ("POST", "/items", {"content-type": "application/json"}, "   "),
    ("POST", "/items", {"content-type": "application/json"}, "[]"),
    ("POST", "/items", {"content-type": "text/plain"}, "hello"),
    ("POST", "/items", {"content-type": "application/vnd.api+json"}, json.dumps(ITEM)),
    ("GET", "/types?n=%201_000%20&f=1e3&b=YES&u=A0EEBC999C0B4EF8BB6D6BB9BD380A11&c=green&s=abc&tags=1&tags=2", {}, None),
    ("GET", "/types?n=4.0&f=inf&b=0&u=a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11&c=red&s=zz", {}, None),
    ("GET", "/types?n=4.5&f=x&b=2&u=abcd&c=purple&s=A&tags=1&tags=x&when=2024-13-01", {}, None),
    ("GET", "/types?n=&f=&b=&u=12345678-1234-1234-1234-12345678901g&c=&s=a1", {}, None),
    ("GET", "/types", {}, None),
    ("GET", "/numbers?a=0&b=0.5&m=4", {}, None),
    ("GET", "/numbers?a=11&b=2.5&m=9", {}, None),
    ("POST", "/orders/abc?verbose=perhaps", {"content-type": "application/json", "cookie": "session=x"}, json.dumps(ORDER_BAD)),
    ("POST", "/orders/1?verbose=on", {"content-type": "application/json", "x-token": "t", "cookie": "session=3"},
     json.dumps({"name": "n", "price": 1, "lines": [], "rush": 1})),
    ("POST", "/orders/1?verbose=on", {"content-type": "application/json", "x-token": "t", "cookie": "session=3"}, "null"),
    ("POST", "/embedded", {"content-type": "application/json"}, '{"line": {"sku": "a", "qty": 2}, "color": "blue"}'),
    ("POST", "/embedded", {"content-type": "application/json"}, '{"line": {"sku": 1}, "color": "pink"}'),
    ("POST", "/embedded", {"content-type": "application/json"}, "[1]"),
    ("POST", "/single-embedded", {"content-type": "application/json"}, '{"line": {"sku": "a", "qty": 2}}'),
    ("POST", "/single-embedded", {"content-type": "application/json"}, '{"sku": "a", "qty": 2}'),
    ("GET", "/headers", {"user-agent": "tester", "x-tag": "a, b", "X-Strange_Name": "s"}, None),
    ("GET", "/cookies", {"cookie": 'session="abc"; theme=dark; theme=blue'}, None),
    ("GET", "/cookies", {}, None),
    ("GET", "/error", {}, None),
    ("GET", "/crash", {}, None),
]


def main():
    client = TestClient(app, raise_server_exceptions=False, base_url="http://testserver")
    out = []
    for method, url, headers, body in CASES:
        if headers.get("x-tag"):
            headers = list(headers.items()) + [("x-tag", "c")]
        r = client.request(method, url, headers=headers, content=body.encode() if body is not None else None,
                           follow_redirects=False)
        out.append({
            "method": method, "url": url,
            "headers": headers if isinstance(headers, list) else list(headers.items()),
            "body": body,
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
