import Apus
import ApusTesting
import Foundation
import Testing

@Model
struct Meeting {
    var at: OffsetDateTime
}

/// `OffsetDateTime` as pydantic's `datetime` round-trips, compared with FastAPI 0.165's answers
/// (`Tests/Conformance/fastapi_datetimes.py`).
@Suite("OffsetDateTime")
struct OffsetDateTimeTests {
    static let answers: [(String, String)] = [
        (#""2024-03-01T10:00:00+02:00""#, #"{"at":"2024-03-01T10:00:00+02:00"}"#),
        (#""2024-03-01T10:00:00Z""#, #"{"at":"2024-03-01T10:00:00Z"}"#),
        (#""2024-03-01T10:00:00""#, #"{"at":"2024-03-01T10:00:00"}"#),
        (#""2024-03-01T10:00:00.5-05:30""#, #"{"at":"2024-03-01T10:00:00.500000-05:30"}"#),
        (#""2024-03-01""#, #"{"at":"2024-03-01T00:00:00"}"#),
        ("1709251200", #"{"at":"2024-03-01T00:00:00Z"}"#),
        (#""2024-03-01T10:00:00.123456789+01:00""#, #"{"at":"2024-03-01T10:00:00.123456+01:00"}"#),
        (#""2024-03-01 10:00+0100""#, #"{"at":"2024-03-01T10:00:00+01:00"}"#),
        (#""nope""#, #"{"detail":[{"type":"datetime_from_date_parsing","loc":["body","at"],"msg":"Input should be a valid datetime or date, input is too short","input":"nope","ctx":{"error":"input is too short"}}]}"#),
    ]

    @Test("a datetime comes back with the offset it was given, as pydantic writes it")
    func roundTrip() async throws {
        let app = App(title: "Datetimes")
        app.post("/meetings", Body<Meeting>()) { meeting async in meeting }
        try await TestClient.run(app) { client in
            for (input, answer) in Self.answers {
                let response = try await client.post("/meetings", json: #"{"at":\#(input)}"#)
                #expect(response.text == answer, "\(input)")
            }
        }
    }

    @Test("the instant and the offset, and a Date shown at an offset")
    func values() throws {
        let parsed = try OffsetDateTime(parameterText: "2024-03-01T10:00:00+02:00")
        #expect(parsed.date == Date(timeIntervalSince1970: 1_709_280_000))
        #expect(parsed.offset == 7200)
        #expect(OffsetDateTime(Date(timeIntervalSince1970: 1_709_280_000), offset: -3600).description == "2024-03-01T07:00:00-01:00")
        #expect(OffsetDateTime(Date(timeIntervalSince1970: -0.5), offset: 0).description == "1969-12-31T23:59:59.500000Z")
    }
}
