#!/usr/bin/env python3
"""Records the OpenAPI document FastAPI generates for an app declaring the same routes as
`OpenAPIConformanceTests` (Tests/ApusTests/OpenAPIConformanceTests.swift) does in Apus.
The Swift test compares both documents, ignoring key order.

    python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi
    /tmp/fa/bin/python Tests/Conformance/fastapi_openapi.py > Tests/ApusTests/Golden/openapi.json
"""
import json
from datetime import datetime
from enum import Enum
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Body, Cookie, FastAPI, Header, Path, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from pydantic import BaseModel, Field


class ModelName(str, Enum):
    alexnet = "alexnet"
    resnet = "resnet"
    lenet = "lenet"


class Image(BaseModel):
    url: str
    name: str


class Item(BaseModel):
    name: str
    description: str | None = None
    price: float
    tax: float | None = None
    tags: list[str]
    image: Image | None = None
    images: list[Image]
    attributes: dict[str, int]
    id: UUID
    created: datetime
    kind: ModelName


class User(BaseModel):
    username: str
    full_name: str | None = None


class Message(BaseModel):
    detail: str


class Offer(BaseModel):
    """A discounted bundle of items."""

    title: str = Field(description="Shown to customers", max_length=80)
    discount: float = Field(gt=0, le=0.5)
    quantity: int = 1
    items: list[Item]


app = FastAPI(title="Conformance", version="1.2.3", summary="Every kind of route", description="The routes Apus documents as FastAPI does.")


@app.get("/")
def root() -> dict[str, str]:
    return {}


@app.get("/items/{item_id}", tags=["items"])
def read_item(
    item_id: Annotated[int, Path(gt=0)],
    q: Annotated[str | None, Query(max_length=50)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    tag: Annotated[list[str], Query()] = [],
    price: Annotated[float, Query(gt=0)] = 1.5,
    code: Annotated[str | None, Query(pattern="^[a-z]+$")] = None,
    since: Annotated[datetime | None, Query()] = None,
    active: Annotated[bool, Query()] = True,
    user_agent: Annotated[str | None, Header()] = None,
    x_token: Annotated[list[str] | None, Header()] = None,
    session: Annotated[str, Cookie()] = "",
) -> Item:
    raise NotImplementedError


@app.get("/search", tags=["items"])
def search(
    text: Annotated[str, Query(alias="search-text", description="Words to look for", min_length=2)],
    old: Annotated[int | None, Query(deprecated=True)] = None,
    page: Annotated[int | None, Query()] = 1,
) -> list[Item]:
    raise NotImplementedError


@app.post(
    "/items",
    status_code=201,
    tags=["items"],
    summary="Create an item",
    description="Stores an item and returns it.",
    response_description="The stored item",
    responses={409: {"description": "An item with this name exists", "model": Message}, 400: {}},
)
def create_item(item: Item) -> Item:
    raise NotImplementedError


@app.put("/items/{item_id}", tags=["items"])
def update_item(item_id: int, item: Item, user: User, importance: Annotated[int, Body()]) -> dict[str, int]:
    raise NotImplementedError


@app.post("/embedded")
def embedded(item: Annotated[Item, Body(embed=True)]) -> Item:
    raise NotImplementedError


@app.post("/scalar")
def scalar_body(n: Annotated[int, Body()]) -> int:
    raise NotImplementedError


@app.post("/maybe")
def maybe(item: Item | None = None) -> Message:
    raise NotImplementedError


@app.post("/bulk")
def bulk(items: list[Item]) -> list[Item]:
    raise NotImplementedError


@app.post("/offers", operation_id="make_offer")
def create_offer(offer: Offer) -> Offer:
    raise NotImplementedError


@app.get("/models/{model_name}")
def get_model(model_name: ModelName) -> dict[str, str]:
    raise NotImplementedError


@app.get("/files/{file_id}")
def get_file(file_id: UUID):
    raise NotImplementedError


@app.get("/hello", response_class=PlainTextResponse)
def hello() -> str:
    return "Hello"


@app.get("/page", response_class=HTMLResponse)
def page() -> str:
    return "<p>Hi</p>"


@app.get("/old", response_class=RedirectResponse)
def old():
    return "/"


@app.delete("/items/{item_id}", status_code=204, tags=["items"])
def delete_item(item_id: int) -> None:
    return None


@app.get("/legacy", deprecated=True)
def legacy() -> Message:
    raise NotImplementedError


@app.get("/hidden", include_in_schema=False)
def hidden() -> Message:
    raise NotImplementedError


users = APIRouter(prefix="/users", tags=["users"], responses={404: {"description": "Not found"}})


@users.get("/")
def list_users(limit: int = 10) -> list[User]:
    raise NotImplementedError


@users.get("/{user_id}")
def read_user(user_id: UUID) -> User:
    raise NotImplementedError


app.include_router(users)

if __name__ == "__main__":
    print(json.dumps(app.openapi(), indent=2, sort_keys=True))
