# The FastAPI twin of Tests/ApusTests/ModelTests.swift (the @Model SaleItem), ModelOptionTests.swift and ResponseShapingTests.swift: run with a venv that has
# fastapi and httpx (python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi httpx); it prints the answers
# and the schema the Swift test compares with (FastAPI 0.165.0 recorded them).
from typing import Optional
from fastapi import FastAPI, Query, Header, Cookie
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, ConfigDict
from typing import Annotated
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

# Second part: the twin of Tests/ApusTests/ModelOptionTests.swift (extra="forbid", parameter models).

class OrderTag(BaseModel):
    model_config = ConfigDict(extra="forbid")
    label: str = Field(max_length=5)
    weight: int = 1

class Order(BaseModel):
    """An order."""
    model_config = ConfigDict(extra="forbid")
    item: str
    quantity: int = Field(default=1, ge=1)
    tags: list[OrderTag] = []

class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: int = Field(default=100, gt=0, le=100)
    offset: int = Field(default=0, ge=0)
    order_by: str = "created_at"
    tags: list[str] = []

class CommonHeaders(BaseModel):
    host: str
    x_tag: list[str] = []
    save_data: bool = False

class Tracking(BaseModel):
    model_config = ConfigDict(extra="forbid")
    session_id: str
    ads_id: Optional[str] = None

app2 = FastAPI()

@app2.post("/orders")
def create(order: Order) -> Order:
    return order

@app2.get("/items")
def items(filters: Annotated[Filters, Query()]):
    return filters

@app2.get("/headers")
def headers(h: Annotated[CommonHeaders, Header()]):
    return h

@app2.get("/cookies")
def cookies(c: Annotated[Tracking, Cookie()]):
    return c

c = TestClient(app2)
def show(r): print(r.status_code, r.text)
show(c.post("/orders", json={"item": "pen"}))
show(c.post("/orders", json={"item": "pen", "colour": "red", "quantity": 0, "tags": [{"label": "toolong", "x": 1}], "z": None}))
show(c.get("/items"))
show(c.get("/items?limit=5&tags=a&tags=b&order_by=name"))
show(c.get("/items?limit=0&offset=x&tool=plumbus"))
show(c.get("/headers", headers={"x-tag": "a", "save-data": "yes"}))
show(c.get("/headers", headers={"save-data": "maybe"}))
show(c.get("/cookies", cookies={"session_id": "s1"}))
show(c.get("/cookies", cookies={"ads_id": "a", "other": "o"}))
doc = app2.openapi()
print(json.dumps(doc["components"]["schemas"]["Order"]))
print(json.dumps(doc["components"]["schemas"]["OrderTag"]))
for p in ["/items", "/headers", "/cookies"]:
    print(json.dumps(doc["paths"][p]["get"]["parameters"]))

# Third part: the twin of Tests/ApusTests/ResponseShapingTests.swift (response_model_exclude_*, include, exclude).

class Dimensions(BaseModel):
    width: int = 1
    depth: Optional[int] = None

class Product(BaseModel):
    name: str
    price: float = 10.5
    note: Optional[str] = None
    tags: list[str] = []
    size: Dimensions = Dimensions()
    extras: dict[str, Optional[int]] = {}

app3 = FastAPI()
store = {}

@app3.post("/products/none", response_model=Product, response_model_exclude_none=True)
def none(p: Product): return p
@app3.post("/products/unset", response_model=Product, response_model_exclude_unset=True)
def unset(p: Product): return p
@app3.post("/products/defaults", response_model=Product, response_model_exclude_defaults=True)
def defaults(p: Product): return p
@app3.post("/products/include", response_model=Product, response_model_include={"name", "price"})
def include(p: Product): return p
@app3.post("/products/exclude", response_model=Product, response_model_exclude={"tags", "extras"}, response_model_exclude_none=True)
def exclude(p: Product): return p
@app3.get("/products/built", response_model=Product, response_model_exclude_unset=True)
def built(): return Product(name="Built", price=10.5)

c = TestClient(app3)
body = {"name": "Lamp", "note": None, "tags": ["a"], "size": {"width": 1, "depth": None}, "extras": {"a": None, "b": 2}}
for p in ["none", "unset", "defaults", "include", "exclude"]:
    r = c.post(f"/products/{p}", json=body); print(p, r.status_code, r.text)
r = c.post("/products/unset", json={"name": "Lamp", "size": {"depth": 3}}); print("unset2", r.text)
r = c.post("/products/defaults", json={"name": "Lamp", "price": 10.5, "size": {"width": 2}}); print("defaults2", r.text)
print("built", c.get("/products/built").text)
