#!/usr/bin/env python3
"""Records what FastAPI answers for its security schemes and the OpenAPI document of the
app, for `SecurityConformanceTests` (Tests/ApusTests/SecurityConformanceTests.swift), whose
Apus app declares the same routes.

    python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi httpx python-multipart
    /tmp/fa/bin/python Tests/Conformance/fastapi_security.py > Tests/ApusTests/Golden/security.json
"""
import json
import sys
from typing import Annotated

import fastapi
from fastapi import Depends, FastAPI, Security
from fastapi.security import (
    APIKeyCookie,
    APIKeyHeader,
    APIKeyQuery,
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
    SecurityScopes,
)
from fastapi.testclient import TestClient

app = FastAPI(title="Security", version="1.0.0")

oauth2 = OAuth2PasswordBearer(tokenUrl="token", scopes={"items": "Read items", "me": "Read yourself"})
oauth2_optional = OAuth2PasswordBearer(tokenUrl="token", auto_error=False, scheme_name="OptionalOAuth2")
bearer = HTTPBearer()
bearer_optional = HTTPBearer(auto_error=False, scheme_name="OptionalBearer")
basic = HTTPBasic()
basic_realm = HTTPBasic(realm="shop", scheme_name="RealmBasic")
key_header = APIKeyHeader(name="X-API-Key")
key_query = APIKeyQuery(name="api_key")
key_cookie = APIKeyCookie(name="session")
key_optional = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="OptionalKey")


@app.post("/token")
def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]):
    return {"access_token": form.username, "token_type": "bearer", "scopes": form.scopes,
            "password": form.password, "client_id": form.client_id}


@app.get("/oauth2")
def read_oauth2(token: Annotated[str, Depends(oauth2)]):
    return {"token": token}


@app.get("/oauth2-optional")
def read_oauth2_optional(token: Annotated[str | None, Depends(oauth2_optional)]):
    return {"token": token}


@app.get("/oauth2-and-query")
def read_oauth2_and_query(n: int, token: Annotated[str, Depends(oauth2)]):
    return {"n": n, "token": token}


def current_user(security_scopes: SecurityScopes, token: Annotated[str, Depends(oauth2)]):
    return {"token": token, "scopes": security_scopes.scopes, "scope_str": security_scopes.scope_str}


@app.get("/scoped")
def read_scoped(user: Annotated[dict, Security(current_user, scopes=["items", "me"])]):
    return user


@app.get("/bearer")
def read_bearer(credentials: Annotated[HTTPAuthorizationCredentials, Depends(bearer)]):
    return {"scheme": credentials.scheme, "credentials": credentials.credentials}


@app.get("/bearer-optional")
def read_bearer_optional(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_optional)]):
    return {"present": credentials is not None}


@app.get("/basic")
def read_basic(credentials: Annotated[HTTPBasicCredentials, Depends(basic)]):
    return {"username": credentials.username, "password": credentials.password}


@app.get("/basic-realm")
def read_basic_realm(credentials: Annotated[HTTPBasicCredentials, Depends(basic_realm)]):
    return {"username": credentials.username}


@app.get("/key-header")
def read_key_header(key: Annotated[str, Depends(key_header)]):
    return {"key": key}


@app.get("/key-query")
def read_key_query(key: Annotated[str, Depends(key_query)]):
    return {"key": key}


@app.get("/key-cookie")
def read_key_cookie(key: Annotated[str, Depends(key_cookie)]):
    return {"key": key}


@app.get("/key-optional")
def read_key_optional(key: Annotated[str | None, Depends(key_optional)]):
    return {"key": key}


FORM = {"content-type": "application/x-www-form-urlencoded"}
CASES = [
    ("POST", "/token", FORM, "username=ann&password=secret"),
    ("POST", "/token", FORM, "username=ann&password=secret&scope=items%20me&grant_type=password&client_id=web"),
    ("POST", "/token", FORM, "username=ann"),
    ("POST", "/token", FORM, ""),
    ("POST", "/token", FORM, "username=ann&password=secret&grant_type=code"),
    ("GET", "/oauth2", {}, None),
    ("GET", "/oauth2", {"authorization": "Bearer abc"}, None),
    ("GET", "/oauth2", {"authorization": "bearer   abc "}, None),
    ("GET", "/oauth2", {"authorization": "Basic abc"}, None),
    ("GET", "/oauth2", {"authorization": "Bearer"}, None),
    ("GET", "/oauth2-optional", {}, None),
    ("GET", "/oauth2-optional", {"authorization": "Token x"}, None),
    ("GET", "/oauth2-optional", {"authorization": "Bearer t"}, None),
    ("GET", "/oauth2-and-query?n=x", {}, None),
    ("GET", "/oauth2-and-query?n=x", {"authorization": "Bearer t"}, None),
    ("GET", "/oauth2-and-query?n=4", {"authorization": "Bearer t"}, None),
    ("GET", "/scoped", {"authorization": "Bearer t"}, None),
    ("GET", "/scoped", {}, None),
    ("GET", "/bearer", {}, None),
    ("GET", "/bearer", {"authorization": "Bearer xyz"}, None),
    ("GET", "/bearer", {"authorization": "BEARER xyz"}, None),
    ("GET", "/bearer", {"authorization": "Bearer "}, None),
    ("GET", "/bearer", {"authorization": "Digest xyz"}, None),
    ("GET", "/bearer-optional", {}, None),
    ("GET", "/bearer-optional", {"authorization": "Digest xyz"}, None),
    ("GET", "/basic", {}, None),
    ("GET", "/basic", {"authorization": "Basic YW5uOnNlY3JldA=="}, None),
    ("GET", "/basic", {"authorization": "Basic YW5uOnNlOmNyZXQ="}, None),
    ("GET", "/basic", {"authorization": "Basic bm9jb2xvbg=="}, None),
    ("GET", "/basic", {"authorization": "Basic %%%"}, None),
    ("GET", "/basic", {"authorization": "Bearer abc"}, None),
    ("GET", "/basic-realm", {}, None),
    ("GET", "/basic-realm", {"authorization": "Basic YW5uOnNlY3JldA=="}, None),
    ("GET", "/key-header", {}, None),
    ("GET", "/key-header", {"x-api-key": "k1"}, None),
    ("GET", "/key-header", {"x-api-key": ""}, None),
    ("GET", "/key-query?api_key=k2", {}, None),
    ("GET", "/key-query?api_key=", {}, None),
    ("GET", "/key-query", {}, None),
    ("GET", "/key-cookie", {"cookie": "session=k3"}, None),
    ("GET", "/key-cookie", {}, None),
    ("GET", "/key-optional", {}, None),
    ("GET", "/key-optional", {"x-api-key": "k4"}, None),
]


def main():
    client = TestClient(app)
    cases = []
    for method, url, headers, body in CASES:
        response = client.request(method, url, headers=headers, content=body)
        cases.append({
            "method": method, "url": url, "headers": [[k, v] for k, v in headers.items()], "body": body,
            "status": response.status_code, "content_type": response.headers.get("content-type"),
            "www_authenticate": response.headers.get("www-authenticate"), "response": response.text,
        })
    json.dump({"fastapi": fastapi.__version__, "cases": cases, "openapi": app.openapi()}, sys.stdout, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
