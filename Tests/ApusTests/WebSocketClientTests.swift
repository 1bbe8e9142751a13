import Apus
import ApusTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// WebSocket behaviour over a live socket, checked by an independent client: Python's
/// `websockets` package (and a raw socket for frames it refuses to send), run by
/// `Tests/Tools/websocket_checks.py`.
@Suite("WebSockets with a real client", .serialized, .enabled(if: TestTools.enabled, TestTools.skipNote))
struct WebSocketClientTests {
    /// Runs checks of the script against a live app; returns check name -> result.
    private func check(
        _ names: [String], stats: WebSocketStats = WebSocketStats(), pingInterval: TimeAmount? = nil
    ) async throws -> [String: JSONValue] {
        let app = makeWebSocketApp(stats: stats, pingInterval: pingInterval)
        return try await TestClient.run(app, mode: .live) { client in
            let port = try #require(client.port)
            let (status, output) = try await TestTools.run(
                TestTools.python, [TestTools.script("websocket_checks.py"), String(port)] + names, timeout: 90)
            #expect(status == 0, "\(output)")
            print(output.split(separator: "\n").dropLast().joined(separator: "\n"))
            let line = try #require(output.split(separator: "\n").last.map(String.init))
            guard case .object(let members) = try JSONValue(parsing: line) else { throw ToolFailure("not an object: \(output)") }
            var results: [String: JSONValue] = [:]
            for (name, value) in members {
                if case .object(let fields) = value, let error = fields.first(where: { $0.0 == "error" }) {
                    Issue.record("check \(name) failed in Python: \(error.1)")
                }
                results[name] = value
            }
            return results
        }
    }

    @Test("echo of text and binary, fragmented and 1 MiB messages, ping/pong; a clean close is 1000")
    func echo() async throws {
        let result = try #require(try await self.check(["echo", "json"]))
        let echo = try #require(result["echo"])
        #expect(echo["text"] == "héllo ✓")
        #expect(echo["binary_ok"] == true)
        #expect(echo["fragmented"] == "fragmented ✓")
        #expect(echo["fragmented_binary"] == [0, 1, 2])
        #expect(echo["big_ok"] == true)
        // A quiet client that answers the server's pings stays connected.
        #expect(echo["after_idle"] == "still here")
        #expect(echo["fragmented_large_ok"] == true)
        #expect(echo["close_code"] == 1000)
        let pong = try #require(echo["pong_ms"]?.doubleValue)
        #expect(pong < 1000)
        let json = try #require(result["json"])
        #expect(json["reply"] == ["echo": "hi", "total": 4])
        #expect(json["invalid"] == ["code": 1011, "reason": ""])
    }

    @Test("close codes 1000, 1008, 1011, 1009 (frame and message limits) from websockets; 1007 and 1002 from raw frames")
    func closeCodes() async throws {
        let result = try await self.check(["close_codes", "raw_frames"])
        let codes = try #require(result["close_codes"])
        #expect(codes["returned"] == ["code": 1000, "reason": ""])
        #expect(codes["policy"] == ["code": 1008, "reason": "closing with 1008"])
        #expect(codes["handler_error"] == ["code": 1011, "reason": ""])
        #expect(codes["frame_too_big"] == ["code": 1009, "reason": "frame too big"])
        #expect(codes["message_too_big"] == ["code": 1009, "reason": "message too big"])
        let raw = try #require(result["raw_frames"])
        #expect(raw["invalid_utf8"] == ["status_line": "HTTP/1.1 101 Switching Protocols", "code": 1007, "reason": "text message is not valid UTF-8"])
        #expect(raw["unmasked"]?["code"] == 1002)
        #expect(raw["continuation_without_start"]?["code"] == 1002)
    }

    @Test("refusals before accept are HTTP responses (403, 401), subprotocols, parameters from the upgrade request")
    func rejections() async throws {
        let result = try #require(try await self.check(["rejections"])["rejections"])
        #expect(result["closed_before_accept"] == ["status": 403, "body": ["detail": "not welcome"], "www_authenticate": nil])
        #expect(result["invalid_parameters"]?["status"] == 403)
        #expect(
            result["invalid_parameters"]?["body"]
                == ["detail": [["type": "missing", "loc": ["query", "nick"], "msg": "Field required", "input": nil]]])
        #expect(result["http_error"] == ["status": 401, "body": ["detail": "Not authenticated"], "www_authenticate": "Bearer"])
        #expect(result["unknown_path"]?["status"] == 403)
        #expect(result["subprotocol"] == "chat.v2")
        #expect(result["subprotocol_echo"] == "chat.v2,chat.v1")
        #expect(result["parameters"] == ["client": "py", "nick": "ann", "room": "lobby", "session": "session-1"])
    }

    @Test("backpressure both ways: a client that reads nothing holds the handler, a handler that reads nothing holds the client; vanished clients are dropped and their handlers cancelled")
    func backpressureAndVanishing() async throws {
        // Without pings: a client that reads nothing for 1.5 s would otherwise be dropped as vanished.
        let flood = try #require(try await self.check(["backpressure"])["backpressure"])
        let after1s = try #require(flood["sent_after_1s"]?.doubleValue)
        let after15s = try #require(flood["sent_after_1_5s"]?.doubleValue)
        print("WebSocket flood: \(Int(after1s)) bytes sent after 1 s, \(Int(after15s)) after 1.5 s")
        #expect(after1s < Double(16 << 20))
        #expect(after15s == after1s)
        #expect(flood["received_after_resume"] == 10)
        #expect(flood["close_code"] == 1000)
        // The other way: a handler that reads nothing holds a client that sends.
        let inbound = try #require(try await self.check(["inbound_backpressure"])["inbound_backpressure"])
        let sent1s = try #require(inbound["sent_after_1s"]?.doubleValue)
        let sent14s = try #require(inbound["sent_after_1_4s"]?.doubleValue)
        print("WebSocket inbound flood: \(Int(sent1s)) messages of 64 KiB sent after 1 s, \(Int(sent14s)) after 1.4 s")
        #expect(sent1s < 400)  // 32 in the inbox, the rest in socket buffers: not the gigabytes loopback could carry
        #expect(sent14s == sent1s)
        #expect(inbound["counted"] == inbound["sent"])  // nothing lost once the handler reads again
        // The only checks that need the server's pings (300 ms, then 500 ms for an answer).
        let result = try await self.check(["vanished", "vanished_tcp"], pingInterval: .milliseconds(300))
        let vanished = try #require(result["vanished"])
        // The server pinged (opcode 9) and, without an answer, dropped the connection: 300 ms + 500 ms.
        #expect(vanished["opcodes"]?.arrayValue?.contains(9) == true)
        let droppedAfter = try #require(vanished["dropped_after_s"]?.doubleValue)
        #expect(droppedAfter > 0.5 && droppedAfter < 3)
        #expect(vanished["cancelled"] == 1)
        #expect(result["vanished_tcp"]?["cancelled"] == 1)
    }

    @Test("graceful shutdown closes open sockets with 1001 and waits for their handlers")
    func goingAway() async throws {
        let client = try await TestClient(makeWebSocketApp(), mode: .live)
        let port = try #require(client.port)
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("apus-ws-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let handle = try FileHandle(forWritingTo: outputFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestTools.python)
        process.arguments = [TestTools.script("websocket_checks.py"), String(port), "going_away"]
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let connected = { ((try? String(contentsOf: outputFile, encoding: .utf8)) ?? "").contains("connected") }
        try await eventually(10) { connected() }
        let started = ContinuousClock.now
        await client.shutdown()
        let shutdownTook = ContinuousClock.now - started
        while process.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
        try handle.close()
        let output = try String(contentsOf: outputFile, encoding: .utf8)
        let line = try #require(output.split(separator: "\n").last.map(String.init))
        let result = try JSONValue(parsing: line)
        #expect(result["going_away"] == ["code": 1001, "reason": "server shutting down"], "\(output)")
        // The client answered the close frame at once: no waiting for the grace period (3 s).
        #expect(shutdownTook < .seconds(2))
    }
}


extension JSONValue {
    /// A number as `Double`, else `nil`.
    var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The elements of an array, else `nil`.
    var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}
