# The FastAPI twin of Tests/ApusTests/ModelTests.swift (the @Model SaleItem): run with a venv that has
# fastapi and httpx (python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi httpx); it prints the answers
# and the schema the Swift test compares with (FastAPI 0.165.0 recorded them).
from typing import Optional
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field
import json

class Item(BaseModel):
    """An item for sale."""
    name: str = Field(description="Shown to customers", min_length=1, max_length=80)
    price: float = Field(gt=0, examples=[9.99])
    tags: list[str] = []
    description: Optional[str] = None
    item_id: int = Field(alias="item-id")

app = FastAPI()

@app.post("/items")
def create(item: Item) -> Item:
    return item

c = TestClient(app)
for body in [
    {"name": "Lamp", "price": 9.5, "item-id": 7},
    {"name": "", "price": 0, "item-id": "x", "tags": "no"},
    {"price": "cheap"},
]:
    r = c.post("/items", json=body)
    print(r.status_code, r.text)
schema = app.openapi()["components"]["schemas"]["Item"]
print(json.dumps(schema))
