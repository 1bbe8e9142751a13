# The FastAPI twin of Tests/ApusTests/OffsetDateTimeTests.swift (pydantic's datetime keeps its offset): FastAPI 0.165 prints its answers.
import datetime, json
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel
class Meeting(BaseModel):
    at: datetime.datetime
app = FastAPI()
@app.post("/meetings")
def m(meeting: Meeting) -> Meeting: return meeting
c = TestClient(app)
for v in ["2024-03-01T10:00:00+02:00", "2024-03-01T10:00:00Z", "2024-03-01T10:00:00", "2024-03-01T10:00:00.5-05:30", "2024-03-01", 1709251200, "2024-03-01T10:00:00.123456789+01:00", "2024-03-01 10:00+0100", "nope"]:
    r = c.post("/meetings", json={"at": v}); print(json.dumps(v), r.status_code, r.text)
