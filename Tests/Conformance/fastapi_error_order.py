# The FastAPI twin of DependencyErrorOrderTests (Tests/ApusTests/DependencyTests.swift): FastAPI 0.165 prints the 422
# the Swift test compares with (run with /tmp/fa/bin/python, a venv with fastapi and httpx).
from typing import Annotated
from fastapi import FastAPI, Depends, Query, Header, Path, Body
from fastapi.testclient import TestClient

def token(x_token: Annotated[int, Header()]): return x_token
def pager(t: Annotated[int, Depends(token)], page: Annotated[int, Query()]): return page
def audit(tag: Annotated[int, Query()]): return tag

app = FastAPI()
@app.post("/items/{item_id}", dependencies=[Depends(audit)])
def create(item_id: Annotated[int, Path()], limit: Annotated[int, Query()], p: Annotated[int, Depends(pager)], size: Annotated[int, Body(embed=True)]):
    return {}
c = TestClient(app)
r = c.post("/items/x?limit=a&page=b&tag=c", headers={"x-token": "y"}, json={"size": "z"})
print(r.status_code, r.text)
