import Apus
import ApusTesting
import Foundation
import Testing

/// The in-process test client and a real socket reach the app through the same pipeline entry
/// (`admit`, then the intake), so the same request must get the same answer both ways.
@Suite("One pipeline: in-process and live answers are identical")
struct PipelineParityTests {
    /// A file of 1,000 known bytes, removed when the app's directory goes.
    static func makeFile() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("apus-parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("report.txt").path
        let bytes = (0..<1000).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (directory, path)
    }

    static func makeApp(file: String) -> App {
        let app = App(title: "Parity")
        app.get("/items/{item_id}", Path<Int>("item_id"), Query<String?>("q")) { id, q async in
            JSONValue.object([("item_id", .int(Int64(id))), ("q", q.map(JSONValue.string) ?? .null)])
        }
        app.post("/small", bodyLimit: 16, Body<JSONValue>()) { body async in body }
        app.post("/upload", File<UploadFile>("file"), Form<String>("note")) { file, note async in
            PlainText("\(file.filename ?? "-") \(file.size) \(note)")
        }
        app.get("/report") { FileResponse(path: file) }
        app.get("/created-report", status: .created) { FileResponse(path: file) }
        app.get("/stream") {
            StreamingResponse(AsyncStream { continuation in
                for index in 0..<5 { continuation.yield("chunk \(index)\n") }
                continuation.finish()
            }, mediaType: "text/plain")
        }
        return app
    }

    /// The requests compared: routing errors, 413 (declared and streamed), 422, a multipart
    /// upload, a file whole, ranged and conditional, a streamed body.
    static func requests() -> [(HTTPMethod, String, HTTPHeaders, ByteBuffer?)] {
        let boundary = "parity-boundary"
        let multipart = ByteBuffer(string: [
            "--\(boundary)", "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"", "Content-Type: text/plain", "",
            "hello upload", "--\(boundary)", "Content-Disposition: form-data; name=\"note\"", "", "a note", "--\(boundary)--", "",
        ].joined(separator: "\r\n"))
        let json: HTTPHeaders = ["content-type": "application/json"]
        return [
            (.GET, "/items/42?q=x", [:], nil),
            (.GET, "/items/forty-two", [:], nil),
            (.GET, "/nowhere", [:], nil),
            (.DELETE, "/items/1", [:], nil),
            (.GET, "/items/42/", [:], nil),
            (.POST, "/small", json, ByteBuffer(string: #"{"a":1}"#)),
            (.POST, "/small", json, ByteBuffer(string: #"{"a":"this body is longer than sixteen bytes"}"#)),
            (.POST, "/small", json, ByteBuffer(string: #"{"a":"#)),
            (.POST, "/upload", ["content-type": "multipart/form-data; boundary=\(boundary)"], multipart),
            (.POST, "/upload", ["content-type": "multipart/form-data; boundary=\(boundary)"], ByteBuffer(string: "--\(boundary)\r\nbroken")),
            (.GET, "/report", [:], nil),
            (.GET, "/report", ["range": "bytes=10-19"], nil),
            (.GET, "/report", ["range": "bytes=5000-"], nil),
            (.GET, "/created-report", [:], nil),
            (.GET, "/stream", [:], nil),
        ]
    }

    /// What a response says, without the headers that belong to one connection (`date`,
    /// `connection`, `transfer-encoding`: the in-process transport has no connection).
    static func comparable(_ response: TestResponse) -> String {
        let headers = response.headers.filter { !["date", "connection", "transfer-encoding"].contains($0.name.lowercased()) }
            .map { "\($0.name.lowercased()): \($0.value)" }
        return (["\(response.status.code)"] + headers).joined(separator: "\n") + "\n\n" + response.text
    }

    @Test("routing errors, 413, 422, a multipart upload, a file with Range and a streamed body answer byte for byte alike")
    func sameAnswers() async throws {
        let (directory, path) = try Self.makeFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        var inProcess: [String] = []
        var live: [String] = []
        try await TestClient.run(Self.makeApp(file: path)) { client in
            for (method, uri, headers, body) in Self.requests() {
                var headers = headers
                headers.add(name: "host", value: "parity.test")
                inProcess.append(Self.comparable(try await client.request(method, uri, headers: headers, body: body)))
            }
        }
        try await TestClient.run(Self.makeApp(file: path), mode: .live) { client in
            for (method, uri, headers, body) in Self.requests() {
                var headers = headers
                headers.add(name: "host", value: "parity.test")
                live.append(Self.comparable(try await client.request(method, uri, headers: headers, body: body)))
            }
        }
        #expect(inProcess.count == Self.requests().count)
        for (index, (inside, outside)) in zip(inProcess, live).enumerated() {
            #expect(inside == outside, "request \(index): \(Self.requests()[index].0) \(Self.requests()[index].1)")
        }
        // The answers themselves, so that two identical wrong answers do not pass.
        #expect(inProcess[0].hasPrefix("200\ncontent-type: application/json\ncontent-length: 22\n\n{\"item_id\":42,\"q\":\"x\"}"))
        #expect(inProcess[6] == "413\ncontent-type: application/json\ncontent-length: 37\n\n{\"detail\":\"Request Entity Too Large\"}")
        #expect(inProcess[8].hasSuffix("\n\na.txt 12 a note"))
        #expect(inProcess[11].hasPrefix("206\n"))
        #expect(inProcess[11].contains("content-range: bytes 10-19/1000\n"))
        #expect(inProcess[11].hasSuffix("\n\nklmnopqrst"))
        #expect(inProcess[12].hasPrefix("416\n"))
        #expect(inProcess[14].hasSuffix("\n\nchunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n"))
    }

    @Test("a FileResponse on a route with another status sends the file with that status")
    func fileWithRouteStatus() async throws {
        let (directory, path) = try Self.makeFile()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TestClient.run(Self.makeApp(file: path)) { client in
            let response = try await client.get("/created-report")
            #expect(response.status == .created)
            #expect(response.headers.first(name: "content-length") == "1000")
            #expect(response.body.readableBytes == 1000)
            #expect(response.text.hasPrefix("abcdefghij"))
        }
    }

    @Test("a response type sees the request it answers")
    func responseSeesRequest() async throws {
        struct Greeting: ResponseConvertible {
            var name: String
            func response(to request: Request, status: HTTPResponseStatus) -> Response {
                let french = request.headers.first(name: "accept-language")?.hasPrefix("fr") == true
                return Response(status: status, headers: ["content-type": "text/plain"], body: french ? "Bonjour, \(name)" : "Hello, \(name)")
            }
        }
        let app = App()
        app.get("/greet/{name}", Path<String>("name")) { name async in Greeting(name: name) }
        try await TestClient.run(app) { client in
            let english = try await client.get("/greet/ann")
            #expect(english.status == .ok)
            #expect(english.headers == ["content-type": "text/plain", "content-length": "10"])
            #expect(english.text == "Hello, ann")
            let french = try await client.get("/greet/ann", headers: ["accept-language": "fr-FR"])
            #expect(french.text == "Bonjour, ann")
        }
    }
}
