import Apus
import ApusTesting
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// `.bodyStream`: a raw request body read as it arrives (FastAPI's `request.stream()`), with
/// backpressure, the route's limit and the request timeout.
@Suite("Streamed request bodies", .serialized, .timeLimit(.minutes(3)))
struct RequestBodyStreamTests {
    /// What the handler of `/count` saw: the bytes read and the error its read threw.
    final class Seen: Sendable {
        let bytes = NIOLockedValueBox(0)
        let error = NIOLockedValueBox<String?>(nil)
    }

    static func streamApp(seen: Seen = Seen(), _ configure: (inout ServerConfiguration) -> Void = { _ in }) -> App {
        let app = makeApp(configure)
        app.put("/count/{name}", bodyLimit: 8 << 30, Path<String>("name"), .bodyStream) { name, body async throws -> JSONValue in
            var size = 0
            var sum = 0
            do {
                for try await chunk in body {
                    size += chunk.readableBytes
                    // Every byte for a short body; for a long one (of one repeated byte, read by a debug build) the first of each chunk.
                    if size <= 1 << 20 {
                        for byte in chunk.readableBytesView { sum &+= Int(byte) }
                    } else {
                        sum &+= Int(chunk.readableBytesView.first ?? 0) * chunk.readableBytes
                    }
                    seen.bytes.withLockedValue { $0 = size }
                }
            } catch {
                seen.error.withLockedValue { $0 = "\(error)" }
                throw error
            }
            return ["name": .string(name), "size": .int(Int64(size)), "sum": .int(Int64(sum))]
        }
        app.put("/slow", bodyLimit: 64 << 20, .bodyStream) { body async throws -> JSONValue in
            // Reads nothing for 1.5 s (past the 1 s request timeout): the client is not late for that.
            try await Task.sleep(for: .milliseconds(1500))
            var size = 0
            for try await chunk in body { size += chunk.readableBytes }
            return ["size": .int(Int64(size))]
        }
        app.put("/small", bodyLimit: 1000, .bodyStream) { body async throws -> JSONValue in
            do {
                for try await _ in body {}
            } catch {
                seen.error.withLockedValue { $0 = "\(error)" }
                throw error
            }
            return ["done": true]
        }
        app.put("/whole", .bodyStream) { body async throws in PlainText(String(buffer: try await body.collect(upTo: 10))) }
        app.put("/early", bodyLimit: 64 << 20, Query<Int>("n"), .bodyStream) { n, _ async in ["n": n] }
        return app
    }

    @Test("the handler reads the body chunk by chunk, in process and over a socket (chunked too)")
    func reads() async throws {
        let body = ByteBuffer(bytes: (0..<300_000).map { UInt8($0 % 251) })
        let sum = (0..<300_000).reduce(0) { $0 + $1 % 251 }
        for mode in [TestClient.Mode.inProcess, .live] {
            try await TestClient.run(Self.streamApp(), mode: mode) { client async throws in
                let response = try await client.request(.PUT, "/count/a.bin", body: body)
                #expect(response.status == .ok, "\(mode)")
                #expect(response.header("content-type") == "application/json", "\(mode)")
                #expect(response.header("content-length") == "45", "\(mode)")
                #expect(response.text == #"{"name":"a.bin","size":300000,"sum":\#(sum)}"#, "\(mode)")
                let whole = try await client.request(.PUT, "/whole", body: ByteBuffer(string: "hello"))
                #expect(whole.text == "hello")
                let tooLong = try await client.request(.PUT, "/whole", body: ByteBuffer(string: "hello world"))
                #expect(tooLong.status == .payloadTooLarge)
                #expect(tooLong.text == #"{"detail":"Request Entity Too Large"}"#)
            }
        }
        try await TestClient.run(Self.streamApp(), mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("PUT /count/c HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
            try await Task.sleep(for: .milliseconds(50))
            try await connection.send("2\r\nde\r\n0\r\n\r\n")
            let text = try await connection.readResponses(1, timeout: .seconds(5))
            #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(text.hasSuffix("\r\n\r\n" + #"{"name":"c","size":5,"sum":495}"#))
            await connection.close()
        }
    }

    @Test("a handler that reads slowly pauses the connection (memory stays flat) without a 408")
    func slowReader() async throws {
        let app = Self.streamApp { $0.requestTimeout = .seconds(1) }
        try await TestClient.run(app, mode: .live) { client async throws in
            let port = try #require(client.port)
            // 64 MiB sent at once while the handler reads nothing for 1.5 s: without backpressure it would all be buffered.
            let size = 64 << 20
            let (response, growth) = try await withPeakResidentGrowth {
                try await Task.detached {
                    try sendGenerated(port: port, head: "PUT /slow HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: \(size)\r\n\r\n", size: size)
                }.value
            }
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(response.prefix(200))")
            #expect(response.hasSuffix("\r\n\r\n" + #"{"size":67108864}"#))
            #expect(growth < 24 << 20, "resident memory grew by \(growth) bytes")
        }
    }

    @Test("past the route's limit: 413 and close, and the handler's read throws; a stalled body: 408, the read throws")
    func limitAndTimeout() async throws {
        let seen = Seen()
        try await TestClient.run(Self.streamApp(seen: seen) { $0.requestTimeout = .seconds(1) }, mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("PUT /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n\(String(repeating: "x", count: 1024))\r\n")
            let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(closed)
            #expect(text.hasPrefix("HTTP/1.1 413 Payload Too Large\r\n"))
            #expect(text.hasSuffix("\r\n\r\n" + #"{"detail":"Request Entity Too Large"}"#))
            try await eventually { seen.error.withLockedValue { $0 } != nil }
            #expect(seen.error.withLockedValue { $0 }?.contains("payloadTooLarge") == true || seen.error.withLockedValue { $0 }?.contains("413") == true)

            seen.error.withLockedValue { $0 = nil }
            let stalled = try await client.rawConnection()
            try await stalled.send("PUT /count/s HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789")
            let (timedOut, timedOutClosed) = try await stalled.readUntilClosed(timeout: .seconds(5))
            #expect(timedOutClosed)
            #expect(timedOut.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"))
            #expect(timedOut.hasSuffix("\r\n\r\n" + #"{"detail":"Request Timeout"}"#))
            try await eventually { seen.error.withLockedValue { $0 } != nil }
            #expect(seen.bytes.withLockedValue { $0 } == 10)
            #expect(seen.error.withLockedValue { $0 }?.contains("408") == true || seen.error.withLockedValue { $0 }?.contains("requestTimeout") == true)
        }
    }

    @Test("a handler that answers before reading (a 422 too) is answered, and the connection closes")
    func earlyAnswer() async throws {
        try await TestClient.run(Self.streamApp(), mode: .live) { client async throws in
            for (query, status, body) in [
                ("?n=3", "HTTP/1.1 200 OK", #"{"n":3}"#),
                ("?n=x", "HTTP/1.1 422 Unprocessable Entity",
                 #"{"detail":[{"type":"int_parsing","loc":["query","n"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"x"}]}"#),
            ] {
                let connection = try await client.rawConnection()
                try await connection.send("PUT /early\(query) HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\nxxxx")
                let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
                #expect(closed, "\(query)")
                #expect(text.hasPrefix(status + "\r\n"), "\(query)")
                #expect(text.contains("\r\nconnection: close\r\n"), "\(query)")
                #expect(text.hasSuffix("\r\n\r\n" + body), "\(query)")
            }
        }
    }

    @Test("documented as an octet-stream body; no other body parameter beside it")
    func documentAndRegistration() throws {
        let document = try Self.streamApp().openAPIDocument()
        let operation = document["paths"]?["/count/{name}"]?["put"]
        #expect(operation?["requestBody"] == ["content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]], "required": true])
        #expect(document["paths"]?["/slow"]?["put"]?["responses"]?["422"] == nil)
        #expect(operation?["responses"]?["422"] != nil)

        let app = makeApp()
        app.put("/both", Body<String>("note"), .bodyStream) { _, _ async in "" }
        #expect(throws: RouteConfigurationError.self) { try app.openAPIDocument() }
        do {
            _ = try app.openAPIDocument()
        } catch {
            #expect(error.description == "route PUT /both: .bodyStream reads the whole body as it arrives; no Body, Form or File parameter can read it too")
        }
    }

    /// 2 GiB over a real socket: memory stays flat. `APUS_STREAM_TEST_MB` changes the size.
    @Test("a 2 GiB PUT is read as it arrives: resident memory stays flat")
    func hugeBody() async throws {
        let seen = Seen()
        try await TestClient.run(Self.streamApp(seen: seen), mode: .live) { client async throws in
            let port = try #require(client.port)
            let warm = try sendGenerated(port: port, head: "PUT /count/w HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 1048576\r\n\r\n", size: 1 << 20)
            #expect(warm.hasPrefix("HTTP/1.1 200 OK"))
            let size = (Int(ProcessInfo.processInfo.environment["APUS_STREAM_TEST_MB"] ?? "") ?? 2048) << 20
            let started = ContinuousClock.now
            let (response, growth) = try await withPeakResidentGrowth {
                try await Task.detached {
                    try sendGenerated(port: port, head: "PUT /count/big HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: \(size)\r\n\r\n", size: size)
                }.value
            }
            print("\(size >> 20) MiB streamed PUT in \(ContinuousClock.now - started): resident memory grew by \(growth >> 10) KiB")
            #expect(response.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(response.hasSuffix(#""size":\#(size),"sum":\#(size * 0x61)}"#))
            #expect(growth < 24 << 20, "resident memory grew by \(growth) bytes")
        }
    }
}
