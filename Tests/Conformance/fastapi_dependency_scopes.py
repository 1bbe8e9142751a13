# The FastAPI twin of DependencyScopeTests (Tests/ApusTests/TeardownTests.swift): FastAPI 0.165 prints the order and the 409.
from typing import Annotated
from fastapi import FastAPI, Depends, HTTPException
from fastapi.testclient import TestClient
log = []
def fn_dep():
    log.append("fn setup"); yield "fn"; log.append("fn teardown")
def req_dep():
    log.append("req setup"); yield "req"; log.append("req teardown")
def failing():
    yield "x"
    raise HTTPException(status_code=409, detail="Conflict in teardown")
app = FastAPI()
@app.get("/order")
def order(a: Annotated[str, Depends(fn_dep, scope="function")], b: Annotated[str, Depends(req_dep, scope="request")]):
    log.append("handler"); return {"a": a, "b": b}
@app.get("/fail")
def fail(x: Annotated[str, Depends(failing, scope="function")]):
    return {"x": x}
c = TestClient(app, raise_server_exceptions=False)
r = c.get("/order"); print(r.status_code, r.text, log)
r = c.get("/fail"); print(r.status_code, r.text)

# A request-scoped dependency with a teardown that depends on a function-scoped one: refused
# when the route is declared. FastAPI 0.165 prints:
#   DependencyScopeError The dependency "session" has a scope of "request", it cannot depend on dependencies with scope "function".
def session(tx: Annotated[str, Depends(fn_dep, scope="function")]):
    yield tx
app2 = FastAPI()
try:
    @app2.get("/mixed")
    def mixed(s: Annotated[str, Depends(session)]): return {}
except Exception as error:
    print(type(error).__name__, error)
