# The FastAPI twin of Tests/ApusTests/CookieTests.swift: FastAPI 0.165 (Starlette) prints its Set-Cookie headers.
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient
from datetime import datetime, timezone
app = FastAPI()
@app.get("/set")
def s(response: Response):
    response.set_cookie("plain", "v")
    response.set_cookie("full", "a b", max_age=3600, path="/api", domain="example.com", secure=True, httponly=True, samesite="strict")
    response.set_cookie("exp", "x", expires=datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc), samesite=None)
    response.set_cookie("quoted", 'a;b,"c"')
    response.status_code = 201
    response.headers["x-extra"] = "1"
    return {"ok": True}
@app.get("/del")
def d(response: Response):
    response.delete_cookie("plain")
    response.delete_cookie("full", path="/api", domain="example.com", secure=True, httponly=True, samesite="none")
    return {"ok": True}
c = TestClient(app)
r = c.get("/set"); print(r.status_code, r.text, r.headers.raw if hasattr(r.headers,'raw') else None)
for k, v in r.headers.multi_items(): print(repr(k), repr(v))
r = c.get("/del")
for k, v in r.headers.multi_items(): print(repr(k), repr(v))
print(app.openapi()["paths"]["/set"]["get"]["responses"])
