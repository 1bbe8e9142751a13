# The FastAPI twin of Tests/ApusTests/ErrorHandlerTests.swift: exception handlers for RequestValidationError and
# Starlette's HTTPException; FastAPI 0.165 prints the answers.
from fastapi import FastAPI, Request, HTTPException
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from fastapi.security import HTTPBearer
from fastapi import Depends
from starlette.exceptions import HTTPException as StarletteHTTPException
from fastapi.testclient import TestClient
app = FastAPI()
@app.exception_handler(RequestValidationError)
async def v(request: Request, exc: RequestValidationError):
    return JSONResponse(status_code=400, content={"problems": len(exc.errors()), "first": exc.errors()[0]["loc"]})
@app.exception_handler(StarletteHTTPException)
async def h(request: Request, exc: StarletteHTTPException):
    return PlainTextResponse(f"{exc.status_code}: {exc.detail}", status_code=exc.status_code)
bearer = HTTPBearer()
@app.get("/items/{item_id}")
def read(item_id: int): return {"item_id": item_id}
@app.get("/secure")
def secure(token=Depends(bearer)): return {}
@app.get("/teapot")
def teapot(): raise HTTPException(status_code=418, detail="I'm a teapot")
c = TestClient(app)
for method, path in [("GET", "/items/x"), ("GET", "/nowhere"), ("POST", "/items/1"), ("GET", "/secure"), ("GET", "/teapot")]:
    r = c.request(method, path); print(method, path, r.status_code, repr(r.text), r.headers.get("content-type"), r.headers.get("allow"), r.headers.get("www-authenticate"))

# Part 2, the twin of ErrorHandlerScopeTests: an async handler for an app error, the most specific
# class first (a handler for the error's own class beats one for its base, whatever the order),
# and a sync handler that raises HTTPException (answered with it). FastAPI 0.165 prints:
#   GET /apples 409 'app: apples is out of stock' text/plain; charset=utf-8 27
#   GET /base 502 'base caught Base' text/plain; charset=utf-8 16
#   GET /broken 503 '{"detail":"try later"}' application/json 22
class Base(Exception): pass
class OutOfStock(Base):
    def __init__(self, item): self.item = item
class Broken(Exception): pass
app2 = FastAPI()
@app2.exception_handler(Base)
async def base(request: Request, exc: Base):
    return PlainTextResponse(f"base caught {type(exc).__name__}", status_code=502)
@app2.exception_handler(OutOfStock)
async def out(request: Request, exc: OutOfStock):
    return PlainTextResponse(f"app: {exc.item} is out of stock", status_code=409)
@app2.exception_handler(Broken)
def broken(request: Request, exc: Broken):
    raise HTTPException(status_code=503, detail="try later")
@app2.get("/apples")
async def apples(): raise OutOfStock("apples")
@app2.get("/base")
async def base_route(): raise Base()
@app2.get("/broken")
async def broken_route(): raise Broken()
c2 = TestClient(app2, raise_server_exceptions=False)
for path in ["/apples", "/base", "/broken"]:
    r = c2.get(path); print("GET", path, r.status_code, repr(r.text), r.headers.get("content-type"), r.headers.get("content-length"))
