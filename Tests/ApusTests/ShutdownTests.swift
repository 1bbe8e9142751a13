import Apus
import ApusTesting
import Foundation
import Testing

@Suite("Graceful shutdown", .timeLimit(.minutes(1)))
struct ShutdownTests {
    @Test("shutdown stops accepting, lets the in-flight request finish, then returns")
    func inFlightRequestFinishes() async throws {
        let gate = Gate()
        let app = makeApp()
        app.get("/slow") { gate.wait(); return "finished" }
        let client = try await TestClient(app, mode: .live)
        let port = try #require(client.port)
        async let inFlight = client.get("/slow")
        try await eventually { gate.arrived == 1 }
        async let stopped: Void = client.shutdown()
        // The listener closes first: new connections are refused while the request is in flight.
        try await eventually {
            (try? SocketProbe.canConnect(port: port)) == false
        }
        gate.open()
        let response = try await inFlight
        #expect(response.status == .ok)
        #expect(response.text == #""finished""#)
        await stopped
    }

    @Test("a connection accepted before shutdown gets its first request answered, not a reset")
    func freshConnectionServed() async throws {
        let app = makeApp()
        app.get("/hello") { "hello" }
        let client = try await TestClient(app, mode: .live)
        let connection = try await client.rawConnection()
        // Accepted and idle (as one opened a moment before a swap, its request on the way).
        let first = try await client.get("/hello")
        #expect(first.status == .ok)
        async let stopped: Void = client.shutdown()
        try await Task.sleep(for: .milliseconds(50))
        try await connection.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")
        let (text, closed) = try await connection.readUntilClosed(timeout: .seconds(5))
        #expect(closed)
        // Answered whole, then closed (with `Connection: close` when the quiesce came first).
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(text)")
        #expect(text.hasSuffix("\r\n\r\n\"hello\""))
        await stopped
    }

    @Test("SIGTERM stops the example app gracefully with exit status 0")
    func sigtermExitsZero() async throws {
        let executable = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/quickstart")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build the example first: swift build")
        let (process, port) = try await ServingProcess.launch(executable)
        defer { if process.isRunning { process.terminate() } }
        try await eventually(20) { (try? SocketProbe.canConnect(port: port)) == true }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while process.isRunning && Date() < deadline { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(!process.isRunning)
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}

/// Whether a TCP connection to 127.0.0.1:port can be opened right now.
enum SocketProbe {
    /// A TCP socket connected to 127.0.0.1:`port`, with a small receive buffer when asked (a
    /// slow or non-reading client).
    static func connectedSocket(port: Int, receiveBuffer: Int32? = nil) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        return fd
    }

    static func canConnect(port: Int) throws -> Bool {
        guard let fd = try? Self.connectedSocket(port: port) else { return false }
        close(fd)
        return true
    }
}
