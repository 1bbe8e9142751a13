import Apus
import ApusTesting
import Foundation
import NIOCore
import Testing

/// The holes one hostile (or merely unusual) client could use: each test sends the bytes of an
/// attack or an edge case over a raw socket and asserts the full answer.
@Suite("HTTP engine under hostile clients (raw sockets)", .timeLimit(.minutes(2)))
struct HostileClientTests {
    func app(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> App {
        let app = makeApp(configure)
        app.get("/plaintext") { PlainText("Hello, World!") }
        app.get("/n/{n}", Path<Int>("n")) { n async in PlainText("n=\(n)") }
        app.post("/echo", Body<String>()) { text async in PlainText(text) }
        app.get("/host", .request) { request async in PlainText("\(request.headers.first(name: "host") ?? "-") \(request.uri)") }
        return app
    }

    static let plaintext = "HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 13\r\n"

    /// The responses in `text`, each as (status line, body).
    static func responses(_ text: String) -> [(status: String, body: String)] {
        var result: [(String, String)] = []
        var rest = Substring(text)
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let head = rest[..<headEnd.lowerBound]
            let status = head.components(separatedBy: "\r\n").first ?? ""
            var length = 0
            for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
            }
            let body = rest[headEnd.upperBound...].prefix(length)
            result.append((status, String(body)))
            rest = rest[headEnd.upperBound...].dropFirst(length)
        }
        return result
    }

    // MARK: - Upgrades Apus does not perform

    @Test("an Upgrade that is not a WebSocket is ignored: the connection stays HTTP/1.1 (h2c, foo/1, a POST with Upgrade)")
    func ignoredUpgrades() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let upgrades = [
                "GET /n/1 HTTP/1.1\r\nHost: t\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n",
                "GET /n/1 HTTP/1.1\r\nHost: t\r\nConnection: upgrade\r\nUpgrade: foo/1\r\n\r\n",
                "POST /echo HTTP/1.1\r\nHost: t\r\nConnection: upgrade\r\nUpgrade: foo/1\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nn=1",
            ]
            for upgrade in upgrades {
                let connection = try await client.rawConnection()
                // The next request in the same write, and one more after the first answer.
                try await connection.send(upgrade + "GET /n/2 HTTP/1.1\r\nHost: t\r\n\r\n")
                _ = try await connection.readResponses(2, timeout: .seconds(5))
                try await connection.send("GET /n/3 HTTP/1.1\r\nHost: t\r\n\r\n")
                let text = try await connection.readResponses(3, timeout: .seconds(5))
                let answers = Self.responses(text)
                #expect(answers.map(\.status) == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK"], "\(upgrade)")
                #expect(answers.map(\.body) == ["n=1", "n=2", "n=3"], "\(upgrade)")
                #expect(!text.contains("101"))
                await connection.close()
            }
        }
    }

    @Test("junk after an ignored upgrade is parsed as HTTP: 400 and close, not buffered")
    func junkAfterUpgrade() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("GET /n/1 HTTP/1.1\r\nHost: t\r\nConnection: upgrade\r\nUpgrade: foo/1\r\n\r\n")
            _ = try await connection.readResponses(1, timeout: .seconds(5))
            try await connection.send(ByteBuffer(repeating: UInt8(ascii: "A"), count: 1 << 20))
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            let answers = Self.responses(text)
            #expect(answers.map(\.status) == ["HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request"])
            #expect(answers.last?.body == "{\"detail\":\"Bad Request\"}")
            #expect(closed)
        }
    }

    @Test("CONNECT gets 501 and the connection closes")
    func connectMethod() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nGET /n/1 HTTP/1.1\r\nHost: t\r\n\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(text.hasPrefix("HTTP/1.1 501 Not Implemented\r\ncontent-type: application/json\r\ncontent-length: 37\r\n"))
            #expect(text.contains("connection: close\r\n"))
            #expect(text.hasSuffix("\r\n\r\n{\"detail\":\"CONNECT is not supported\"}"))
            #expect(Self.responses(text).count == 1)
            #expect(closed)
        }
    }

    // MARK: - Early answers with a body still to come

    @Test("404 and 405 with a body that never comes: the connection closes at the request timeout")
    func earlyAnswerUnsentBody() async throws {
        let app = self.app {
            $0.requestTimeout = .milliseconds(500)
            $0.idleTimeout = .seconds(30)
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            for (head, status) in [
                ("POST /no-such-route", "HTTP/1.1 404 Not Found"), ("PUT /plaintext", "HTTP/1.1 405 Method Not Allowed"),
            ] {
                let connection = try await client.rawConnection()
                try await connection.send("\(head) HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n")
                let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
                #expect(Self.responses(text).map(\.status) == [status])
                #expect(closed, "\(head): still open after 5 s")
            }
        }
    }

    @Test("a 404 whose short body is sent keeps the connection; a long declared body closes it after the answer")
    func earlyAnswerBodyDiscarded() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("POST /nope HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhelloGET /n/7 HTTP/1.1\r\nHost: t\r\n\r\n")
            let text = try await connection.readResponses(2, timeout: .seconds(5))
            #expect(Self.responses(text).map(\.status) == ["HTTP/1.1 404 Not Found", "HTTP/1.1 200 OK"])
            #expect(Self.responses(text).last?.body == "n=7")
            await connection.close()

            let long = try await client.rawConnection()
            try await long.send("POST /nope HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n\r\n")
            let (longText, closed) = try await long.readUntilClosed(timeout: .seconds(5))
            #expect(longText.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
            #expect(longText.contains("connection: close\r\n"))
            #expect(closed)
        }
    }

    // MARK: - Half-close, garbage after requests

    @Test("a client that half-closes after its request still gets the answer (GET, POST, pipelined)")
    func halfClose() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            for (request, bodies) in [
                ("GET /n/1 HTTP/1.1\r\nHost: t\r\n\r\n", ["n=1"]),
                ("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello", ["hello"]),
                ("GET /n/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /n/2 HTTP/1.1\r\nHost: t\r\n\r\n", ["n=1", "n=2"]),
            ] {
                let connection = try await client.rawConnection()
                try await connection.send(request)
                try await connection.shutdownWrite()
                let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
                #expect(Self.responses(text).map(\.body) == bodies, "\(request)")
                #expect(Self.responses(text).allSatisfy { $0.status == "HTTP/1.1 200 OK" })
                #expect(closed)
            }
        }
    }

    @Test("valid requests followed by garbage in one write: each is answered, then 400 and close")
    func garbageAfterRequests() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("GET /n/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /n/2 HTTP/1.1\r\nHost: t\r\n\r\n\u{1}\u{2}GARBAGE\r\n\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            let answers = Self.responses(text)
            #expect(answers.map(\.status) == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 400 Bad Request"])
            #expect(answers.map(\.body) == ["n=1", "n=2", "{\"detail\":\"Bad Request\"}"])
            #expect(closed)
        }
    }

    // MARK: - RFC 9112

    @Test("RFC 9112 §3.2: HTTP/1.1 without Host, or with two, is 400 and close; HTTP/1.0 without Host is served")
    func hostHeader() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            for (request, detail) in [
                ("GET /plaintext HTTP/1.1\r\n\r\n", "Missing Host header"),
                ("GET /plaintext HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "Multiple Host headers"),
                ("GET /plaintext HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", "Multiple Host headers"),
            ] {
                let connection = try await client.rawConnection()
                try await connection.send(request)
                let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
                #expect(text.hasPrefix(request.contains("1.0") ? "HTTP/1.0 400 Bad Request\r\n" : "HTTP/1.1 400 Bad Request\r\n"))
                #expect(text.contains("connection: close\r\n"))
                #expect(text.hasSuffix("\r\n\r\n{\"detail\":\"\(detail)\"}"), "\(request)")
                #expect(closed)
            }
            let old = try await client.rawConnection()
            try await old.send("GET /plaintext HTTP/1.0\r\n\r\n")
            let (text, _) = try await old.readUntilClosed(timeout: .seconds(5))
            #expect(text.hasPrefix("HTTP/1.0 200 OK\r\n"))
            #expect(text.hasSuffix("\r\n\r\nHello, World!"))
        }
    }

    @Test("RFC 9112 §3.2.2: an absolute-form target is routed by its path, its authority is the Host")
    func absoluteForm() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send(
                "GET http://example.com:8080/host?q=1 HTTP/1.1\r\nHost: other\r\n\r\nGET HTTP://example.org HTTP/1.1\r\nHost: x\r\n\r\n")
            let text = try await connection.readResponses(2, timeout: .seconds(5))
            let answers = Self.responses(text)
            #expect(answers.map(\.status) == ["HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found"])
            #expect(answers.first?.body == "example.com:8080 /host?q=1")
            await connection.close()
        }
    }

    @Test("RFC 9112 §6.1: HTTP/1.0 with Transfer-Encoding is served, then closed; codings other than chunked get 501")
    func transferEncodings() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let old = try await client.rawConnection()
            try await old.send(
                "POST /echo HTTP/1.0\r\nConnection: keep-alive\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
            let (oldText, oldClosed) = try await old.readUntilClosed(timeout: .seconds(5))
            #expect(oldText.hasPrefix("HTTP/1.0 200 OK\r\n"))
            #expect(oldText.contains("connection: close\r\n"))
            #expect(oldText.hasSuffix("\r\n\r\nhello"))
            #expect(oldClosed)

            for coding in ["gzip, chunked", "identity, chunked"] {
                let connection = try await client.rawConnection()
                try await connection.send(
                    "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nTransfer-Encoding: \(coding)\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
                let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
                #expect(text.hasPrefix("HTTP/1.1 501 Not Implemented\r\n"), "\(coding)")
                #expect(text.hasSuffix("\r\n\r\n{\"detail\":\"Transfer-Encoding not implemented\"}"))
                #expect(closed)
            }
        }
    }

    @Test("an HTTP/0.9 request line gets 400 and close")
    func http09() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("GET /\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(text.hasSuffix("\r\n\r\n{\"detail\":\"Bad Request\"}"))
            #expect(closed)
        }
    }

    // MARK: - Numbers beyond a Double

    struct Priced: Codable, Sendable {
        var price: Double
        var ratio: Float?
    }

    @Test("a number too large for a Double (or a Float) is pydantic's finite_number 422, not a 500")
    func numbersTooLarge() async throws {
        let app = self.app()
        app.post("/priced", Body<Priced>()) { item async in item }
        app.get("/scale", Query<Double>("x")) { x async in ["x": x] }
        try await TestClient.run(app, mode: .live) { client async throws in
            func error(_ loc: String, _ input: String) -> String {
                #"{"detail":[{"type":"finite_number","loc":[\#(loc)],"msg":"Input should be a finite number","input":\#(input)}]}"#
            }
            let json: HTTPHeaders = ["content-type": "application/json"]
            for (body, input) in [
                (#"{"price":1e999999}"#, #""inf""#), (#"{"price":-1e400}"#, #""-inf""#),
                ("{\"price\":\(String(repeating: "9", count: 200_000))}", #""inf""#), (#"{"price":"inf"}"#, #""inf""#),
                (#"{"price":"NaN"}"#, #""NaN""#),
            ] {
                let response = try await client.request(.POST, "/priced", headers: json, body: ByteBuffer(string: body))
                #expect(response.status == .unprocessableEntity, "\(body.prefix(40))")
                #expect(response.header("content-type") == "application/json")
                #expect(response.text == error(#""body","price""#, input), "\(body.prefix(40))")
            }
            let float = try await client.request(.POST, "/priced", headers: json, body: ByteBuffer(string: #"{"price":1,"ratio":1e300}"#))
            #expect(float.text == error(#""body","ratio""#, "1e+300"))
            let fine = try await client.request(.POST, "/priced", headers: json, body: ByteBuffer(string: #"{"price":1.5e300}"#))
            #expect(fine.status == .ok)
            #expect(fine.text == #"{"price":1.5e+300}"#)
            let query = try await client.request(.GET, "/scale?x=inf")
            #expect(query.status == .unprocessableEntity)
            #expect(query.text == error(#""query","x""#, #""inf""#))
        }
    }

    // MARK: - Timeouts

    @Test("the request timeout covers a half-sent head: 408 and close (slowloris)")
    func slowHead() async throws {
        let app = self.app {
            $0.requestTimeout = .seconds(1)
            $0.idleTimeout = .seconds(30)
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            let started = NIODeadline.now()
            try await connection.send("GET /plaintext HTTP/1.1\r\nHo")
            // A byte every 200 ms or more for at least 6 s: the trickle must not extend the time.
            var closed = false
            for _ in 0..<30 where !closed {
                closed = try await connection.isClosed(within: .milliseconds(200))
                if !closed { try? await connection.send("x") }
            }
            let (text, _) = try await connection.readUntilClosed(timeout: .seconds(1))
            // Closed while the trickle went on (a trickle that extended the time would keep it open).
            #expect(closed, "still open after \(NIODeadline.now() - started)")
            #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            #expect(text.hasSuffix("\r\n\r\n{\"detail\":\"Request Timeout\"}"))

            // A keep-alive connection between requests is not held to the request timeout.
            let idle = try await client.rawConnection()
            try await idle.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
            _ = try await idle.readResponses(1, timeout: .seconds(5))
            #expect(!(try await idle.isClosed(within: .milliseconds(1500))))
            try await idle.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
            let twice = try await idle.readResponses(2, timeout: .seconds(5))
            #expect(Self.responses(twice).map(\.body) == ["Hello, World!", "Hello, World!"])
            await idle.close()
        }
    }
}
