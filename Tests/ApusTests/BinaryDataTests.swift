import Apus
import ApusTesting
import Foundation
import Logging
import Testing

@Model
struct Blob {
    var data: Data
}

/// `Data` as FastAPI has pydantic's `bytes` (recorded from FastAPI 0.165 by
/// `Tests/Conformance/fastapi_bytes.py`): a JSON string's UTF-8 bytes in, the text out, a 500
/// for bytes that are not UTF-8 (never an array of numbers).
@Suite("Data in JSON")
struct BinaryDataTests {
    static func blobApp(logger: Logger? = nil) -> App {
        let app = makeApp(logger: logger)
        app.post("/blobs", Body<Blob>()) { blob async in blob }
        app.get("/raw") { ["data": Data("hi".utf8)] }
        app.get("/binary") { Blob(data: Data([0x68, 0x69, 0xFF])) }
        return app
    }

    @Test("a Data field reads a string's UTF-8 bytes and is written back as the text; other values are bytes_type")
    func roundTrip() async throws {
        try await TestClient.run(Self.blobApp()) { client in
            let echo = try await client.post("/blobs", json: #"{"data":"héllo"}"#)
            #expect(echo.status == .ok)
            #expect(echo.headers == ["content-type": "application/json", "content-length": "17"])
            #expect(echo.text == #"{"data":"héllo"}"#)
            #expect(try await client.get("/raw").text == #"{"data":"hi"}"#)
            let number = try await client.post("/blobs", json: #"{"data":5}"#)
            #expect(
                number.text == #"{"detail":[{"type":"bytes_type","loc":["body","data"],"msg":"Input should be a valid bytes","input":5}]}"#)
            let null = try await client.post("/blobs", json: #"{"data":null}"#)
            #expect(
                null.text == #"{"detail":[{"type":"bytes_type","loc":["body","data"],"msg":"Input should be a valid bytes","input":null}]}"#)
        }
    }

    @Test("bytes that are not UTF-8 answer 500 and log why")
    func notText() async throws {
        let handler = CapturingLogHandler()
        try await TestClient.run(Self.blobApp(logger: .capturing(handler))) { client in
            let response = try await client.get("/binary")
            #expect(response.status == .internalServerError)
            #expect(response.header("content-type") == "text/plain; charset=utf-8")
            #expect(response.text == "Internal Server Error")  // Starlette's answer to an unhandled error
        }
        #expect(handler.logged.contains { $0.message.contains("Data that is not UTF-8 text cannot be written in JSON") })
    }

    @Test("the schema is pydantic's for bytes")
    func schema() throws {
        let document = try Self.blobApp().openAPIDocument()
        #expect(
            document["components"]?["schemas"]?["Blob"]?["properties"]?["data"]
                == ["type": "string", "contentMediaType": "application/octet-stream", "title": "Data"])
    }
}
