# The FastAPI twin of OpenAPINumberTests (Tests/ApusTests/OpenAPIConformanceTests.swift): FastAPI 0.165 prints the
# schemas the test compares with. Components write bounds as floats, parameters as the Python literal was written
# (gt=0.0 gives 0.0, which Apus cannot tell from 0 once it is a Swift Double).
from typing import Annotated
from fastapi import FastAPI, Query, Body
from pydantic import BaseModel, Field
import json
class M(BaseModel):
    a: int = Field(ge=1, multiple_of=2)
    b: float = Field(gt=0, le=1.5)
    c: str = Field(max_length=3)
    d: list[int] = Field(max_length=4)
app = FastAPI()
@app.post("/x")
def x(m: M, i: Annotated[int, Query(ge=1, multiple_of=2)], f: Annotated[float, Query(gt=0, le=1.5)], g: Annotated[float, Query(gt=0.0)], e: Annotated[int, Body(gt=3)] = 5): return {}
d = app.openapi()
print(json.dumps(d["components"]["schemas"]["M"]["properties"]))
print(json.dumps([p["schema"] for p in d["paths"]["/x"]["post"]["parameters"]]))
print(json.dumps(d["components"]["schemas"]))
