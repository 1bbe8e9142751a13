#!/usr/bin/env python3
"""Records FastAPI's answers for form fields and file uploads, and its OpenAPI document, for
`FormTests` (Tests/ApusTests/FormTests.swift), whose Apus app declares the same routes.

    /tmp/fa/bin/pip install fastapi httpx python-multipart
    /tmp/fa/bin/python Tests/Conformance/fastapi_forms.py > Tests/ApusTests/Golden/forms.json
"""
import json
import sys
from typing import Annotated

import fastapi
from fastapi import FastAPI, File, Form, UploadFile
from fastapi.testclient import TestClient
from pydantic import BaseModel

app = FastAPI(title="Forms", version="1.0.0")


@app.post("/login")
def login(username: Annotated[str, Form()], password: Annotated[str, Form(min_length=4)],
          remember: Annotated[bool, Form()] = False):
    return {"username": username, "remember": remember}


@app.post("/upload")
async def upload(file: UploadFile, note: Annotated[str | None, Form()] = None):
    content = await file.read()
    return {"filename": file.filename, "content_type": file.content_type, "size": len(content), "note": note}


@app.post("/uploads")
async def uploads(files: Annotated[list[UploadFile], File()]):
    return {"names": [f.filename for f in files], "sizes": [len(await f.read()) for f in files]}


@app.post("/maybe-file")
async def maybe_file(file: UploadFile | None = None):
    return {"present": file is not None}


class Signup(BaseModel):
    email: str
    age: int
    tags: list[str] | None = None


@app.post("/signup")
def signup(data: Annotated[Signup, Form()]):
    return data


FORM = {"content-type": "application/x-www-form-urlencoded"}
B = "XyZboundary"
MP = {"content-type": f"multipart/form-data; boundary={B}"}


def part(name, value, filename=None, content_type=None):
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    head = f"Content-Disposition: {disposition}\r\n" + (f"Content-Type: {content_type}\r\n" if content_type else "")
    return f"--{B}\r\n{head}\r\n{value}\r\n"


def body(*parts):
    return "".join(parts) + f"--{B}--\r\n"


CASES = [
    ("POST", "/login", FORM, "username=ann&password=secret&remember=yes"),
    ("POST", "/login", FORM, "username=ann"),
    ("POST", "/login", FORM, "username=ann&password=abc&remember=perhaps"),
    ("POST", "/login", FORM, "username=&password=secret"),
    ("POST", "/login", MP, body(part("username", "bob"), part("password", "hunter22"))),
    ("POST", "/upload", MP, body(part("file", "hello world", "a.txt", "text/plain"), part("note", "first"))),
    ("POST", "/upload", MP, body(part("note", "no file"))),
    ("POST", "/upload", MP, body(part("file", "just text"))),
    ("POST", "/uploads", MP, body(part("files", "one", "1.txt", "text/plain"), part("files", "three", "3.bin", "application/octet-stream"))),
    ("POST", "/uploads", MP, body()),
    ("POST", "/maybe-file", MP, body(part("other", "x"))),
    ("POST", "/maybe-file", MP, body(part("file", "data", "d.txt"))),
    ("POST", "/signup", FORM, "email=a%40b.c&age=30&tags=x&tags=y"),
    ("POST", "/signup", FORM, "email=e&age=4&tags=one"),
    ("POST", "/signup", FORM, "email=a%40b.c&age=x"),
    ("POST", "/signup", FORM, "email=a%40x&email=b%40x&age=3&tags=t"),
    ("POST", "/signup", FORM, "age=3"),
    ("POST", "/signup", MP, body(part("email", "m@p.q"), part("age", "7"))),
]


def main():
    client = TestClient(app)
    cases = []
    for method, url, headers, content in CASES:
        response = client.request(method, url, headers=headers, content=content)
        cases.append({"method": method, "url": url, "headers": [[k, v] for k, v in headers.items()], "body": content,
                      "status": response.status_code, "content_type": response.headers.get("content-type"),
                      "response": response.text})
    json.dump({"fastapi": fastapi.__version__, "cases": cases, "openapi": app.openapi()}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
