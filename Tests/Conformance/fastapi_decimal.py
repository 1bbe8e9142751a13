# The FastAPI twin of Tests/ApusTests/DecimalTests.swift: FastAPI 0.165 prints its answers. With a response model
# pydantic writes a Decimal as a string ("1.5"); jsonable_encoder (no model) as a number (1.5), which Apus does everywhere.
from decimal import Decimal
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
import json
class Price(BaseModel):
    amount: Decimal
app = FastAPI()
@app.post("/prices")
def p(price: Price) -> Price: return price
@app.get("/raw")
def raw(): return {"a": Decimal("10"), "b": Decimal("1.50"), "c": Decimal("0.1")}
c = TestClient(app)
for body in [{"amount": 1.5}, {"amount": "10"}, {"amount": "1.50"}, {"amount": 10}, {"amount": "x"}, {"amount": True}, {"amount": "1e3"}, {"amount": 0.1}]:
    r = c.post("/prices", json=body); print(json.dumps(body), r.status_code, r.text)
print(c.get("/raw").text)
