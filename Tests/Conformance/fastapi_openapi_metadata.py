#!/usr/bin/env python3
"""Records the OpenAPI document FastAPI generates for an app with every piece of document
metadata (terms of service, contact, license with an SPDX identifier, tags metadata with
external docs, the document's external docs) and a route tagged with a described tag, as the
golden file the Swift test `OpenAPIMetadataTests` compares Apus's document with.

    python3 -m venv /tmp/fa && /tmp/fa/bin/pip install fastapi
    /tmp/fa/bin/python Tests/Conformance/fastapi_openapi_metadata.py > Tests/ApusTests/Golden/openapi_metadata.json
"""
import json
import sys

from fastapi import FastAPI

app = FastAPI(
    title="Inventory",
    version="2.0.0",
    summary="Tools and their stock",
    description="Everything about **tools**.",
    terms_of_service="https://example.com/terms/",
    contact={"name": "Tool Desk", "url": "https://example.com/contact/", "email": "desk@example.com"},
    license_info={"name": "Apache 2.0", "identifier": "Apache-2.0"},
    openapi_tags=[
        {"name": "items", "description": "Operations on **items**.",
         "externalDocs": {"description": "Items explained", "url": "https://example.com/items/"}},
        {"name": "users", "description": "Who may borrow them."},
    ],
    openapi_external_docs={"description": "The handbook", "url": "https://example.com/handbook/"},
    servers=[{"url": "https://api.example.com", "description": "Production"}],
)


@app.get("/items", tags=["items"])
def list_items() -> list[str]:
    return ["hammer"]


if __name__ == "__main__":
    json.dump(app.openapi(), sys.stdout, indent=1)
    print()
