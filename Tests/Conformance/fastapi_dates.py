# The FastAPI twin of Tests/ApusTests/CalendarDateTests.swift (pydantic's date): FastAPI 0.165 prints its answers and schemas.
import datetime, json
from fastapi import FastAPI, Query
from fastapi.testclient import TestClient
from pydantic import BaseModel
class Event(BaseModel):
    day: datetime.date
app = FastAPI()
@app.post("/events")
def e(event: Event) -> Event: return event
@app.get("/days")
def d(day: datetime.date = Query()): return {"day": day}
c = TestClient(app)
for v in ["2024-03-01", "2024-02-30", "2024-3-1", "2024-03-01T00:00:00", "2024-03-01T10:00:00", "2024-03-01x", 1709251200, "20240301", "", None, 5.5, "2024-13-01"]:
    r = c.post("/events", json={"day": v}); print(json.dumps(v), r.status_code, r.text)
print(c.get("/days?day=2024-03-01").text, c.get("/days?day=nope").text)
print(json.dumps(app.openapi()["components"]["schemas"]["Event"]), json.dumps(app.openapi()["paths"]["/days"]["get"]["parameters"]))
