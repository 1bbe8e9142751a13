#!/usr/bin/env python3
"""Records what FastAPI does with a JSON Lines route (a generator endpoint, FastAPI 0.134+):
its OpenAPI document (`application/jsonl` with the item's `itemSchema`) and its answer, as the
golden file the Swift test `JSONLinesTests` compares Apus's `JSONLines` with.

    python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi httpx
    /tmp/fa/bin/python Tests/Conformance/fastapi_jsonlines.py > Tests/ApusTests/Golden/jsonlines.json
"""
import json
import sys
from collections.abc import AsyncIterable

import fastapi
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel


class Item(BaseModel):
    name: str
    price: float
    tags: list[str]


app = FastAPI()


@app.get("/items/stream", tags=["items"])
async def stream_items() -> AsyncIterable[Item]:
    for name, price in (("hammer", 9.5), ("saw", 12), ("drill", 80.25)):
        yield Item(name=name, price=price, tags=[name[0]])


def main():
    response = TestClient(app).get("/items/stream")
    json.dump({
        "fastapi": fastapi.__version__,
        "openapi": app.openapi(),
        "response": {"status": response.status_code, "content_type": response.headers.get("content-type"), "body": response.text},
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
