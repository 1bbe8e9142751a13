# The FastAPI twin of BodyConstraintTests (Tests/ApusTests/ParameterTests.swift): FastAPI 0.165 prints its answers and schema.
from typing import Annotated
from fastapi import FastAPI, Body
from fastapi.testclient import TestClient
from pydantic import BaseModel
import json
class Item(BaseModel):
    name: str
app = FastAPI()
@app.post("/items")
def create(item: Item, importance: Annotated[int, Body(gt=0)], tags: Annotated[list[str], Body(max_length=2)] = []):
    return {"item": item, "importance": importance, "tags": tags}
c = TestClient(app)
for body in [{"item": {"name": "a"}, "importance": 5}, {"item": {"name": "a"}, "importance": 0, "tags": ["a", "b", "c"]}]:
    r = c.post("/items", json=body); print(r.status_code, r.text)
print(json.dumps(app.openapi()["components"]["schemas"]["Body_create_items_post"]))
