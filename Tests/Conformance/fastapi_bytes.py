# The FastAPI twin of Tests/ApusTests/BinaryDataTests.swift (pydantic bytes in JSON): FastAPI 0.165 prints its answers and schema.
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
import json
class Blob(BaseModel):
    data: bytes
app = FastAPI()
@app.post("/blobs")
def p(blob: Blob) -> Blob: return blob
@app.get("/raw")
def raw(): return {"data": b"hi"}
c = TestClient(app)
for body in [{"data": "héllo"}, {"data": 5}, {"data": None}]:
    r = c.post("/blobs", json=body); print(json.dumps(body), r.status_code, r.text)
print(c.get("/raw").text)
s = app.openapi()["components"]["schemas"]
print(json.dumps({k: v for k, v in s.items() if k.startswith("Blob")}))
