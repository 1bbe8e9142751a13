#!/usr/bin/env python3
"""Records the OpenAPI document FastAPI generates with an app-level unique-id function
(`generate_unique_id_function`, which client generators use for clean method names): it names
operations, embedded-body components and response titles; an explicit `operation_id` still wins
for the operation. The Swift test `OpenAPIMetadataTests` compares Apus's `app.generateUniqueID`.

    python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi
    /tmp/fa/bin/python Tests/Conformance/fastapi_unique_id.py > Tests/ApusTests/Golden/openapi_unique_id.json
"""
import json
import sys

from fastapi import Body, FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel


class Item(BaseModel):
    name: str


def unique_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}"


app = FastAPI(title="Inventory", generate_unique_id_function=unique_id)


@app.get("/items", tags=["items"])
def list_items() -> list[str]:
    return ["hammer"]


@app.post("/items", tags=["items"])
def create_item(item: Item, note: str = Body()) -> Item:
    return item


@app.get("/users/{user_id}", tags=["users"], operation_id="fetchUser")
def read_user(user_id: int) -> dict[str, int]:
    return {"user_id": user_id}


if __name__ == "__main__":
    json.dump(app.openapi(), sys.stdout, indent=1)
    print()
