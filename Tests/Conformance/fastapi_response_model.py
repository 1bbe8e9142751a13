# The FastAPI twin of ResponseModelTests (Tests/ApusTests/ResponseShapingTests.swift): FastAPI 0.165 prints its answers.
from typing import Optional
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
import json
class UserOut(BaseModel):
    username: str
    full_name: Optional[str] = None
app = FastAPI()
@app.get("/users/me", response_model=UserOut)
def me(): return {"username": "ann", "full_name": "Ann", "password_hash": "secret"}
@app.get("/users/broken", response_model=UserOut)
def broken(): return {"full_name": "No Name"}
c = TestClient(app, raise_server_exceptions=False)
r = c.get("/users/me"); print(r.status_code, r.text)
r = c.get("/users/broken"); print(r.status_code, r.text)
print(json.dumps(app.openapi()["paths"]["/users/me"]["get"]["responses"]["200"]))
