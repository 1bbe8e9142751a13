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
