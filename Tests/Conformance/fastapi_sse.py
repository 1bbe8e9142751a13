#!/usr/bin/env python3
"""Records what FastAPI does with server-sent event routes (FastAPI 0.135's
`EventSourceResponse`): the OpenAPI document of a stream of models and of a stream of
`ServerSentEvent`s that reads `Last-Event-ID`, and the stream of models' answer, as the golden
file the Swift test `EventStreamDocumentTests` compares Apus's `EventStream` with.

    python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi httpx
    /tmp/fa/bin/python Tests/Conformance/fastapi_sse.py > Tests/ApusTests/Golden/sse.json
"""
import json
import sys
from collections.abc import AsyncIterable

import fastapi
from fastapi import FastAPI, Header
from fastapi.sse import EventSourceResponse, ServerSentEvent
from fastapi.testclient import TestClient
from pydantic import BaseModel


class Tick(BaseModel):
    count: int
    label: str


app = FastAPI()


@app.get("/ticks", response_class=EventSourceResponse)
async def ticks() -> AsyncIterable[Tick]:
    for count in (1, 2):
        yield Tick(count=count, label=f"t{count}")


@app.get("/events", response_class=EventSourceResponse)
async def events(last_event_id: str | None = Header(default=None)) -> AsyncIterable[ServerSentEvent]:
    yield ServerSentEvent(data=last_event_id or "start", id="1")


def main():
    response = TestClient(app).get("/ticks")
    json.dump({
        "fastapi": fastapi.__version__,
        "openapi": app.openapi(),
        "response": {"status": response.status_code, "content_type": response.headers.get("content-type"), "body": response.text},
    }, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
