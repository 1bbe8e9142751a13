import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Attacks whose harm is memory: each runs against the bench server in its own process (so
/// that the resident size measured is the server's alone, not the test run's) and asserts the
/// growth stays under 16 MiB while the attack runs.
@Suite("HTTP engine under hostile clients: memory (server in its own process)", .serialized, .timeLimit(.minutes(2)))
struct HostileClientMemoryTests {
    static let bound = 16 << 20

    /// The resident set size of process `pid`, in bytes.
    static func residentBytes(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kib = line.dropFirst("VmRSS:".count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) } ?? 0
            return kib << 10
        }
        return 0
    }

    /// The bench server in its own process, settled, and its resident size.
    static func launchServer() async throws -> (server: Process, port: Int, before: Int) {
        let (server, port) = try await TestTools.launchExample("apus-bench-server")
        try await Task.sleep(nanoseconds: 300_000_000)
        let before = Self.residentBytes(server.processIdentifier)
        #expect(before > 1 << 20)
        return (server, port, before)
    }

    @Test("a client that pipelines and never reads: the server stops reading; its memory stays flat")
    func pipelineWithoutReading() async throws {
        let (server, port, before) = try await Self.launchServer()
        defer { server.terminate() }
        let socket = try FloodSocket(port: port, receiveBuffer: 4096)
        defer { socket.close() }
        let requests = [UInt8](String(repeating: "GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n", count: 1700).utf8)
        // Send for up to 20 s; the server must stop taking bytes (no room to write for 1 s).
        let outcome = socket.flood(requests, limit: 512 << 20, seconds: 20, stallAfter: 1.0)
        let during = Self.residentBytes(server.processIdentifier)
        print("pipelining without reading: the server stopped reading after \(outcome.sent) bytes, RSS +\((during - before) >> 10) KiB")
        #expect(outcome.stalled, "the server read \(outcome.sent) bytes of requests nobody reads the answers to")
        #expect(during - before < Self.bound, "RSS grew \((during - before) >> 10) KiB after \(outcome.sent) bytes")
        #expect(outcome.sent < 64 << 20)
    }

    @Test("junk after an ignored upgrade is refused (400, close), not kept")
    func junkAfterUpgrade() async throws {
        let (server, port, before) = try await Self.launchServer()
        defer { server.terminate() }
        let socket = try FloodSocket(port: port, receiveBuffer: 1 << 20)
        defer { socket.close() }
        let upgrade = [UInt8]("GET /plaintext HTTP/1.1\r\nHost: t\r\nConnection: upgrade\r\nUpgrade: foo/1\r\n\r\n".utf8)
        _ = socket.flood(upgrade, limit: upgrade.count, seconds: 5, stallAfter: 1.0)
        let outcome = socket.flood([UInt8](repeating: UInt8(ascii: "A"), count: 64 << 10), limit: 128 << 20, seconds: 20, stallAfter: 1.0)
        let during = Self.residentBytes(server.processIdentifier)
        print("junk after an ignored upgrade: \(outcome.sent) bytes sent, RSS +\((during - before) >> 10) KiB")
        #expect(during - before < Self.bound, "RSS grew \((during - before) >> 10) KiB after \(outcome.sent) bytes")
        // Answered, then dropped unparsed for at most the linger time, then closed.
        let answer = String(decoding: socket.readAvailable(seconds: 5), as: UTF8.self)
        #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"), "\(outcome)")
        #expect(answer.contains("HTTP/1.1 400 Bad Request\r\n"))
    }
}

/// A blocking-free client socket that writes without reading (a hostile client), for the
/// memory tests.
final class FloodSocket {
    let fd: Int32

    init(port: Int, receiveBuffer: Int32) throws {
        self.fd = try SocketProbe.connectedSocket(port: port, receiveBuffer: receiveBuffer)
        _ = fcntl(self.fd, F_SETFL, fcntl(self.fd, F_GETFL) | O_NONBLOCK)
    }

    /// Writes `chunk` again and again until `limit` bytes went, `seconds` passed, the socket
    /// took nothing for `stallAfter` seconds (stalled), or the peer closed.
    func flood(_ chunk: [UInt8], limit: Int, seconds: Double, stallAfter: Double) -> (sent: Int, stalled: Bool, closed: Bool) {
        let end = Date().addingTimeInterval(seconds)
        var sent = 0
        var offset = 0
        while sent < limit && Date() < end {
            var poller = pollfd(fd: self.fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(stallAfter * 1000))
            if ready == 0 { return (sent, true, false) }
            if poller.revents & Int16(POLLERR | POLLHUP) != 0 { return (sent, false, true) }
            let count = min(chunk.count - offset, limit - sent)
            let written = chunk.withUnsafeBytes { send(self.fd, $0.baseAddress! + offset, count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { continue }
                return (sent, false, true)
            }
            sent += written
            offset = (offset + written) % chunk.count
        }
        return (sent, false, false)
    }

    /// What arrived within `seconds` (until the peer closes or nothing more comes).
    func readAvailable(seconds: Double) -> [UInt8] {
        var bytes: [UInt8] = []
        let end = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < end {
            var poller = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(self.fd, $0.baseAddress!, $0.count, 0) }
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }

    func close() { _ = Glibc.close(self.fd) }
}
