import Apus
import ApusTesting
import Foundation
import Testing

@Suite("HTTP engine: keep-alive, pipelining, limits and timeouts (live sockets)", .timeLimit(.minutes(1)))
struct ServerLimitTests {
    func app(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> App {
        let app = makeApp(configure)
        app.get("/plaintext") { PlainText("Hello, World!") }
        app.get("/n/{n}", Path<Int>("n")) { n async in PlainText("n=\(n)") }
        app.post("/echo", Body<String>()) { text async in PlainText(text) }
        app.post("/small", bodyLimit: 10, Body<String>()) { text async in PlainText(text) }
        return app
    }

    @Test("keep-alive: several requests on one connection; pipelined requests are answered in order")
    func pipelining() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send(
                "GET /n/1 HTTP/1.1\r\nHost: t\r\n\r\nGET /n/2 HTTP/1.1\r\nHost: t\r\n\r\nGET /n/3 HTTP/1.1\r\nHost: t\r\n\r\n")
            let text = try await connection.readResponses(3, timeout: .seconds(5))
            let bodies = text.components(separatedBy: "\r\n\r\n").dropFirst().map { $0.prefix(3) }
            #expect(bodies == ["n=1", "n=2", "n=3"])
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(!(try await connection.isClosed(within: .milliseconds(100))))
            await connection.close()
        }
    }

    @Test("300 pipelined requests in one write (past the queue's read pause) are all answered, in order")
    func deepPipelining() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            let requests = (1...300).map { "GET /n/\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined()
            try await connection.send(requests)
            let text = try await connection.readResponses(300, timeout: .seconds(10))
            let bodies = text.components(separatedBy: "\r\n\r\n").dropFirst().map { String($0.prefix { $0 != "H" }) }
            #expect(bodies == (1...300).map { "n=\($0)" })
            await connection.close()
        }
    }

    @Test("a request head over the limit gets 431 and the connection closes")
    func headTooLarge() async throws {
        try await TestClient.run(self.app { $0.maxHeaderSize = 1024 }, mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            let big = String(repeating: "a", count: 2000)
            try await connection.send("GET /plaintext HTTP/1.1\r\nHost: t\r\nX-Big: \(big)\r\n\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(text.hasPrefix("HTTP/1.1 431 Request Header Fields Too Large\r\n"))
            #expect(text.contains("content-type: application/json\r\n"))
            #expect(text.contains("connection: close\r\n"))
            #expect(text.hasSuffix("\r\n\r\n{\"detail\":\"Request Header Fields Too Large\"}"))
            #expect(closed)
        }
    }

    @Test("a declared body over the limit gets 413 before the body is sent, and the connection closes")
    func bodyTooLargeByContentLength() async throws {
        try await TestClient.run(self.app { $0.maxBodySize = 1000 }, mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            // Only the head is sent: the answer must not wait for (or buffer) the body.
            try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 5000000\r\n\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(text.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            #expect(text.hasSuffix("\r\n\r\n{\"detail\":\"Request Entity Too Large\"}"))
            #expect(closed)
        }
    }

    @Test("a chunked body growing over the route's own limit gets 413")
    func chunkedBodyTooLarge() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let fits = try await client.request(.POST, "/small", headers: ["content-type": "text/plain"], body: ByteBuffer(string: "0123456789"))
            #expect(fits.status == .ok)
            #expect(fits.text == "0123456789")

            let connection = try await client.rawConnection()
            try await connection.send(
                "POST /small HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n8\r\n89abcdef\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(text.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            #expect(text.hasSuffix("{\"detail\":\"Request Entity Too Large\"}"))
            #expect(closed)
        }
    }

    @Test("a malformed request line gets 400 and the connection closes")
    func malformedRequest() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("THIS IS NOT HTTP\r\n\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(text.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(text.hasSuffix("\r\n\r\n{\"detail\":\"Bad Request\"}"))
            #expect(closed)

            let badHeader = try await client.rawConnection()
            try await badHeader.send("GET /plaintext HTTP/1.1\r\nHost: t\r\nBad Header Line\r\n\r\n")
            let (headerText, headerClosed) = try await badHeader.readUntilClosed(timeout: .seconds(5))
            #expect(headerText.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(headerClosed)

            // The server is unaffected.
            #expect(try await client.get("/plaintext").text == "Hello, World!")
        }
    }

    @Test("a malformed body after an early answer (404) closes without a second response")
    func malformedAfterEarlyAnswer() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("POST /nowhere HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(text.hasPrefix("HTTP/1.1 404 Not Found\r\n"))
            #expect(text.components(separatedBy: "HTTP/1.1 ").count == 2)
            #expect(closed)
        }
    }

    @Test("an idle keep-alive connection is closed after the idle timeout")
    func idleTimeout() async throws {
        // The idle timer starts when the connection is accepted: 1 s leaves a loaded machine time
        // to send the request after connecting (200 ms did not, one run in ten with a fuzzer on the other core).
        try await TestClient.run(self.app { $0.idleTimeout = .seconds(1) }, mode: .live) { client async throws in
            let silent = try await client.rawConnection()
            #expect(try await silent.isClosed(within: .seconds(5)))

            let used = try await client.rawConnection()
            try await used.send("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n")
            let (text, closed) = try await used.readUntilClosed(timeout: .seconds(5))
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.hasSuffix("Hello, World!"))
            #expect(closed)
        }
    }

    @Test("a request that is not complete within the request timeout gets 408 and is closed")
    func slowRequest() async throws {
        try await TestClient.run(self.app { $0.requestTimeout = .milliseconds(300) }, mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nab")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(3))
            #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            #expect(text.hasSuffix("{\"detail\":\"Request Timeout\"}"))
            #expect(closed)
        }
    }

    @Test("Expect: 100-continue gets 100 Continue before the body, or 413 at once when the body is too large")
    func expectContinue() async throws {
        try await TestClient.run(self.app { $0.maxBodySize = 100 }, mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try await connection.readResponses(1, timeout: .seconds(3))
            #expect(interim == "HTTP/1.1 100 Continue\r\n\r\n")
            try await connection.send("hello")
            let text = try await connection.readResponses(2, timeout: .seconds(3))
            #expect(text.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"))
            #expect(text.hasSuffix("\r\n\r\nhello"))

            let tooLarge = try await client.rawConnection()
            try await tooLarge.send(
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 500\r\nExpect: 100-continue\r\n\r\n")
            let (rejected, closed) = try await tooLarge.readUntilClosed(timeout: .seconds(3))
            #expect(rejected.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            #expect(closed)
        }
    }

    @Test("HEAD over a real socket: the GET's headers, content-length included, and no body")
    func headOverSocket() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("HEAD /plaintext HTTP/1.1\r\nHost: t\r\n\r\nGET /n/5 HTTP/1.1\r\nHost: t\r\n\r\n")
            // The HEAD answer has no body, so the GET's response follows its head directly.
            let text = try await connection.readResponses(1, timeout: .seconds(3))
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 13\r\ndate: "))
            #expect(text.contains(" GMT\r\n\r\nHTTP/1.1 200 OK\r\n"))
            let both = try await connection.readUntilClosed(timeout: .milliseconds(300)).text
            #expect(both.hasSuffix("\r\n\r\nn=5"))
            #expect(!both.contains("Hello, World!"))
            await connection.close()
        }
    }

    @Test("HTTP/1.0 closes after the response unless it asks for keep-alive")
    func http10() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let plain = try await client.rawConnection()
            try await plain.send("GET /plaintext HTTP/1.0\r\n\r\n")
            let (text, closed) = try await plain.readUntilClosed(timeout: .seconds(3))
            #expect(text.hasPrefix("HTTP/1.0 200 OK\r\n"))
            #expect(text.hasSuffix("Hello, World!"))
            #expect(closed)

            let keepAlive = try await client.rawConnection()
            try await keepAlive.send("GET /plaintext HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let kept = try await keepAlive.readResponses(1, timeout: .seconds(3))
            #expect(kept.contains("connection: keep-alive\r\n"))
            #expect(!(try await keepAlive.isClosed(within: .milliseconds(200))))
            await keepAlive.close()
        }
    }

    @Test("every response carries an RFC 9110 Date header")
    func dateHeader() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let response = try await client.get("/plaintext")
            let date = try #require(response.header("date"))
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
            let parsed = try #require(formatter.date(from: date))
            #expect(abs(parsed.timeIntervalSinceNow) < 5)
            #expect(formatter.string(from: parsed) == date)
        }
    }

    @Test("Connection: close is honoured")
    func connectionClose() async throws {
        try await TestClient.run(self.app(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("GET /plaintext HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(3))
            #expect(text.contains("connection: close\r\n"))
            #expect(text.hasSuffix("Hello, World!"))
            #expect(closed)
        }
    }
}
