import Apus
import ApusTesting
import Foundation
import NIOConcurrencyHelpers
import Testing

/// A blocking TCP client that reads only when told to: a slow reader.
final class SlowClient {
    let fd: Int32

    init(port: Int) throws {
        self.fd = try SocketProbe.connectedSocket(port: port, receiveBuffer: 16 * 1024)
    }

    func send(_ text: String) { _ = text.withCString { Foundation.send(self.fd, $0, strlen($0), 0) } }

    /// Reads what is there, up to `limit` bytes.
    func read(upTo limit: Int) -> Int {
        var buffer = [UInt8](repeating: 0, count: limit)
        return recv(self.fd, &buffer, limit, 0)
    }

    func close() { Foundation.close(self.fd) }
}

/// An endless body of 64 KiB chunks made on demand, counting the bytes made; its iterator
/// records when it is dropped (the stream stopped).
struct Endless: AsyncSequence, Sendable {
    let produced: NIOLockedValueBox<Int>
    let stopped: NIOLockedValueBox<Bool>

    final class Iterator: AsyncIteratorProtocol {
        let produced: NIOLockedValueBox<Int>
        let stopped: NIOLockedValueBox<Bool>
        let chunk = String(repeating: "x", count: 64 * 1024)

        init(produced: NIOLockedValueBox<Int>, stopped: NIOLockedValueBox<Bool>) {
            self.produced = produced
            self.stopped = stopped
        }

        func next() async -> String? {
            guard !Task.isCancelled else { return nil }
            self.produced.withLockedValue { $0 += self.chunk.utf8.count }
            return self.chunk
        }

        deinit { self.stopped.withLockedValue { $0 = true } }
    }

    func makeAsyncIterator() -> Iterator { Iterator(produced: self.produced, stopped: self.stopped) }
}

@Suite("Streaming responses and server-sent events", .timeLimit(.minutes(1)))
struct StreamingTests {
    static func numbers(_ count: Int) -> AsyncStream<String> {
        AsyncStream { continuation in
            for number in 1...count { continuation.yield("line \(number)\n") }
            continuation.finish()
        }
    }

    @Test("a StreamingResponse sends its chunks in order, chunked, without Content-Length")
    func chunks() async throws {
        let app = makeApp()
        app.get("/numbers") { StreamingResponse(Self.numbers(3), mediaType: "text/plain") }
        try await TestClient.run(app) { client async throws in
            let response = try await client.get("/numbers")
            #expect(response.status == .ok)
            #expect(response.header("content-type") == "text/plain")
            #expect(response.header("content-length") == nil)
            #expect(response.text == "line 1\nline 2\nline 3\n")
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            let connection = try await client.rawConnection()
            try await connection.send("GET /numbers HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
            let (raw, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
            #expect(closed)
            #expect(raw.lowercased().contains("transfer-encoding: chunked"))
            #expect(raw.hasSuffix("7\r\nline 1\n\r\n7\r\nline 2\n\r\n7\r\nline 3\n\r\n0\r\n\r\n"))
            let again = try await client.get("/numbers")
            #expect(again.text == "line 1\nline 2\nline 3\n")
            await connection.close()
        }
    }

    @Test("a slow reader slows the producer (bounded buffering); a client that leaves cancels it")
    func backpressureAndCancellation() async throws {
        let produced = NIOLockedValueBox(0)
        let stopped = NIOLockedValueBox(false)
        let app = makeApp()
        app.get("/endless") {
            StreamingResponse(Endless(produced: produced, stopped: stopped), mediaType: "application/octet-stream")
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            let reader = try SlowClient(port: try #require(client.port))
            reader.send("GET /endless HTTP/1.1\r\nhost: x\r\n\r\n")
            try await Task.sleep(nanoseconds: 1_000_000_000)
            let afterOneSecond = produced.withLockedValue { $0 }
            try await Task.sleep(nanoseconds: 500_000_000)
            let afterOneAndHalf = produced.withLockedValue { $0 }
            // Nothing read: the producer waits once the socket buffers are full.
            #expect(afterOneSecond < 16 << 20, "produced \(afterOneSecond) bytes for a client that reads nothing")
            #expect(afterOneAndHalf - afterOneSecond < 1 << 20)
            print("streaming to a client that reads nothing: \(afterOneSecond) bytes produced after 1 s, \(afterOneAndHalf) after 1.5 s")
            var read = 0
            while read < 4 << 20 { read += max(0, reader.read(upTo: 65536)) }
            try await eventually(5) { produced.withLockedValue { $0 } > afterOneAndHalf }
            reader.close()
            try await eventually(5) { stopped.withLockedValue { $0 } }
        }
    }

    @Test("server-sent events: text/event-stream framing of data lines, event, id and retry")
    func serverSentEvents() async throws {
        let app = makeApp()
        app.get("/events") {
            EventStream(
                AsyncStream { continuation in
                    continuation.yield(ServerSentEvent(data: "hello"))
                    continuation.yield(ServerSentEvent(data: "two\nlines", event: "update", id: "7", retry: 3000))
                    continuation.yield(try! ServerSentEvent(json: ["price": 9.5], event: "quote"))
                    continuation.finish()
                })
        }
        try await TestClient.run(app) { client async throws in
            let response = try await client.get("/events")
            #expect(response.status == .ok)
            #expect(response.header("content-type") == "text/event-stream; charset=utf-8")
            #expect(response.header("cache-control") == "no-cache")
            #expect(
                response.text
                    == "data: hello\n\nevent: update\nid: 7\nretry: 3000\ndata: two\ndata: lines\n\nevent: quote\ndata: {\"price\":9.5}\n\n")
        }
    }

    @Test("server-sent events: keep-alive comments while no event comes")
    func keepAlive() async throws {
        let app = makeApp()
        app.get("/slow-events") {
            EventStream(
                AsyncStream { continuation in
                    Task {
                        // Long enough for at least two 100 ms keep-alives on a loaded machine.
                        try? await Task.sleep(nanoseconds: 800_000_000)
                        continuation.yield(ServerSentEvent(data: "late"))
                        continuation.finish()
                    }
                }, keepAlive: .milliseconds(100))
        }
        try await TestClient.run(app, mode: .live) { client async throws in
            let response = try await client.get("/slow-events")
            let keepAlives = response.text.components(separatedBy: ": keep-alive\n\n").count - 1
            #expect(keepAlives >= 2)
            #expect(response.text.hasSuffix("data: late\n\n"))
        }
    }
}
