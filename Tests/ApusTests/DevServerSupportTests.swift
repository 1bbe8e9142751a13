import Apus
import ApusTesting
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What `apus dev` asks of an app: serving on a socket it inherits (`LISTEN_FD`) and
/// documentation pages that reload themselves when the document changes (`DEV_RELOAD`).
/// `Scripts/check-apus-dev.py` (run by `.ci/run`) checks the whole swap.
@Suite("apus dev support", .timeLimit(.minutes(1)))
struct DevServerSupportTests {
    /// A socket bound to 127.0.0.1 on a port the kernel picks, listening; its port.
    static func listeningSocket(backlog: Int32 = 16) throws -> (descriptor: Int32, port: Int) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                Glibc.bind(descriptor, pointer, length) == 0 && listen(descriptor, backlog) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        try #require(bound)
        return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("an app serves on a listening socket it is given instead of binding its own")
    func inheritedSocket() async throws {
        let (descriptor, port) = try Self.listeningSocket()
        let app = makeApp()
        app.get("/") { ["served": "yes"] }
        app.configuration.listeningSocket = descriptor
        try await TestClient.run(app, mode: .live) { client async throws in
            #expect(client.port == port)
            let response = try await client.get("/")
            #expect(response.status == .ok)
            #expect(response.text == #"{"served":"yes"}"#)
        }
    }

    @Test("with reloadsOnChange the docs pages poll the document and reload when it changes; without, they are FastAPI's")
    func reloadingDocs() async throws {
        let app = makeApp()
        app.docs.reloadsOnChange = true
        try await TestClient.run(app) { client in
            for page in ["/docs", "/redoc"] {
                let text = try await client.get(page).text
                #expect(text.contains("fetch('/openapi.json', {cache: 'no-store'})"), "\(page)")
                #expect(text.contains("if (last !== null && text !== last) { window.location.reload(); }"), "\(page)")
            }
        }
        try await TestClient.run(makeApp()) { client in
            let text = try await client.get("/docs").text
            #expect(!text.contains("window.location.reload"))
        }
    }
}

/// `LOG_FORMAT=json` and `LOG_LEVEL` (what `apus run` sets) for the app's own logger.
@Suite("JSON logs")
struct JSONLogTests {
    @Test("an app's default logger writes JSON lines under LOG_FORMAT=json, at LOG_LEVEL")
    func jsonLines() throws {
        let logger = JSONLogHandler.appLogger(label: "apus", environment: ["LOG_FORMAT": "json", "LOG_LEVEL": "warning"])
        #expect(logger.handler is JSONLogHandler)
        #expect(logger.logLevel == .warning)
        let plain = JSONLogHandler.appLogger(label: "apus", environment: [:])
        #expect(!(plain.handler is JSONLogHandler))
        #expect(plain.logLevel == .info)

        var handler = JSONLogHandler(label: "apus")
        handler[metadataKey: "service"] = "shop"
        let event = LogEvent(level: .error, message: "Unhandled error", metadata: ["http.path": "/items"], source: "Apus", file: "f", function: "g", line: 1)
        let line = handler.line(for: event, at: Date(timeIntervalSince1970: 1_764_547_200))
        #expect(line == #"{"timestamp":"2025-12-01T00:00:00Z","level":"error","label":"apus","message":"Unhandled error","http.path":"/items","service":"shop"}"# + "\n")
    }

    @Test("a metadata provider's values (a trace's ids) join each line, read when it is written; the event's own win")
    func metadataProvider() {
        let current = NIOLockedValueBox("4bf92f3577b34da6")
        let handler = JSONLogHandler(
            label: "apus", metadataProvider: Logger.MetadataProvider { ["trace_id": "\(current.withLockedValue { $0 })", "http.path": "/provided"] })
        let event = LogEvent(level: .info, message: "hello", metadata: ["http.path": "/items"], source: "Apus", file: "f", function: "g", line: 1)
        let date = Date(timeIntervalSince1970: 1_764_547_200)
        #expect(handler.line(for: event, at: date) == #"{"timestamp":"2025-12-01T00:00:00Z","level":"info","label":"apus","message":"hello","http.path":"/items","trace_id":"4bf92f3577b34da6"}"# + "\n")
        current.withLockedValue { $0 = "00f067aa0ba902b7" }
        #expect(handler.line(for: event, at: date).contains(#""trace_id":"00f067aa0ba902b7""#))
    }
}
