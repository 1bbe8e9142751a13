import Apus
import ApusTesting
import Foundation
import Testing

@Model
struct Booking {
    var day: CalendarDate
}

/// `CalendarDate` as pydantic's `date`, compared with FastAPI 0.165's answers
/// (`Tests/Conformance/fastapi_dates.py`).
@Suite("CalendarDate")
struct CalendarDateTests {
    static func makeApp() -> App {
        let app = App(title: "Dates")
        app.post("/events", Body<Booking>()) { booking async in booking }
        app.get("/days", Query<CalendarDate>("day")) { day async in ["day": day] }
        return app
    }

    /// Inputs and FastAPI's answers (status, body).
    static let answers: [(String, Int, String)] = [
        (#""2024-03-01""#, 200, #"{"day":"2024-03-01"}"#),
        (#""2024-02-30""#, 422, #"{"detail":[{"type":"date_from_datetime_parsing","loc":["body","day"],"msg":"Input should be a valid date or datetime, day value is outside expected range","input":"2024-02-30","ctx":{"error":"day value is outside expected range"}}]}"#),
        (#""2024-3-1""#, 422, #"{"detail":[{"type":"date_from_datetime_parsing","loc":["body","day"],"msg":"Input should be a valid date or datetime, input is too short","input":"2024-3-1","ctx":{"error":"input is too short"}}]}"#),
        (#""2024-03-01T00:00:00""#, 200, #"{"day":"2024-03-01"}"#),
        (#""2024-03-01T10:00:00""#, 422, #"{"detail":[{"type":"date_from_datetime_inexact","loc":["body","day"],"msg":"Datetimes provided to dates should have zero time - e.g. be exact dates","input":"2024-03-01T10:00:00"}]}"#),
        (#""2024-03-01x""#, 422, #"{"detail":[{"type":"date_from_datetime_parsing","loc":["body","day"],"msg":"Input should be a valid date or datetime, invalid datetime separator, expected `T`, `t`, `_` or space","input":"2024-03-01x","ctx":{"error":"invalid datetime separator, expected `T`, `t`, `_` or space"}}]}"#),
        ("1709251200", 200, #"{"day":"2024-03-01"}"#),
        (#""20240301""#, 422, #"{"detail":[{"type":"date_from_datetime_inexact","loc":["body","day"],"msg":"Datetimes provided to dates should have zero time - e.g. be exact dates","input":"20240301"}]}"#),
        (#""""#, 422, #"{"detail":[{"type":"date_from_datetime_parsing","loc":["body","day"],"msg":"Input should be a valid date or datetime, input is too short","input":"","ctx":{"error":"input is too short"}}]}"#),
        ("null", 422, #"{"detail":[{"type":"date_type","loc":["body","day"],"msg":"Input should be a valid date","input":null}]}"#),
        ("5.5", 422, #"{"detail":[{"type":"date_from_datetime_inexact","loc":["body","day"],"msg":"Datetimes provided to dates should have zero time - e.g. be exact dates","input":5.5}]}"#),
        (#""2024-13-01""#, 422, #"{"detail":[{"type":"date_from_datetime_parsing","loc":["body","day"],"msg":"Input should be a valid date or datetime, month value is outside expected range of 1-12","input":"2024-13-01","ctx":{"error":"month value is outside expected range of 1-12"}}]}"#),
    ]

    @Test("bodies and query parameters answer as FastAPI's date")
    func asFastAPI() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            for (input, status, body) in Self.answers {
                let response = try await client.post("/events", json: #"{"day":\#(input)}"#)
                #expect(response.status.code == UInt(status), "\(input)")
                #expect(response.text == body, "\(input)")
            }
            #expect(try await client.get("/days?day=2024-03-01").text == #"{"day":"2024-03-01"}"#)
            #expect(
                try await client.get("/days?day=nope").text
                    == #"{"detail":[{"type":"date_from_datetime_parsing","loc":["query","day"],"msg":"Input should be a valid date or datetime, input is too short","input":"nope","ctx":{"error":"input is too short"}}]}"#
            )
        }
    }

    @Test("the schema is format: date, in a model and as a parameter")
    func schema() throws {
        let document = try Self.makeApp().openAPIDocument()
        #expect(document["components"]?["schemas"]?["Booking"]?["properties"]?["day"] == ["type": "string", "format": "date", "title": "Day"])
        guard case .array(let parameters)? = document["paths"]?["/days"]?["get"]?["parameters"] else {
            Issue.record("no parameters")
            return
        }
        #expect(parameters.first?["schema"] == ["type": "string", "format": "date", "title": "Day"])
    }

    @Test("a CalendarDate is a valid day, ordered, and converts to and from an instant in UTC")
    func values() throws {
        #expect(CalendarDate(year: 2024, month: 2, day: 30) == nil)
        let day = try #require(CalendarDate(year: 2024, month: 2, day: 29))
        #expect(day.description == "2024-02-29")
        #expect(CalendarDate(day.startOfDay.addingTimeInterval(86_399)) == day)
        #expect(day < (CalendarDate(year: 2024, month: 3, day: 1) ?? day))
        let decoded = try JSONDecoder().decode([CalendarDate].self, from: Data(#"["0999-01-02"]"#.utf8))
        #expect(decoded.first?.description == "0999-01-02")
    }
}
