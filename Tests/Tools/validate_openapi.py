#!/usr/bin/env python3
"""Validates an OpenAPI document (a file or an http:// URL) with openapi-spec-validator.

    validate_openapi.py SOURCE...

Prints `SOURCE: OK` or the validator's error for each, exits 1 if any is invalid.

A document whose media types use `itemSchema` (a stream's items: JSON Lines, server-sent
events) says `openapi: 3.1.0`, as FastAPI's does, but `itemSchema` is OpenAPI 3.2's field, which
the 3.1 schema refuses: such a document is validated against OpenAPI 3.2 (everything else in it
is valid 3.2 too), and the output says so.
"""
import json
import sys
import urllib.request

from openapi_spec_validator import validate


def load(source: str):
    if source.startswith("http://"):
        with urllib.request.urlopen(source, timeout=10) as response:
            return json.load(response)
    with open(source, encoding="utf-8") as file:
        return json.load(file)


failed = False
for source in sys.argv[1:]:
    try:
        document = load(source)
        note = ""
        if '"itemSchema"' in json.dumps(document):
            validate({**document, "openapi": "3.2.0"})
            note = ", itemSchema: validated as OpenAPI 3.2.0"
        else:
            validate(document)
        print(f"{source}: OK (OpenAPI {document['openapi']}, {len(document['paths'])} paths{note})")
    except Exception as error:  # noqa: BLE001 - report every kind of failure
        failed = True
        print(f"{source}: INVALID: {error}")
sys.exit(1 if failed else 0)
