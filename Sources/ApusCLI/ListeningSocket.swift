#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP socket bound and listening, made by `apus dev` and inherited by each server it starts
/// (`--listen-fd`): while one server stops and the next starts, connections wait in its
/// backlog instead of being refused.
struct ListeningSocket {
    let descriptor: Int32

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Binds `host` (an IPv4 address) and `port`, then listens.
    static func bind(host: String, port: Int) throws -> ListeningSocket {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw Failure(description: "socket(): errno \(errno)") }
        var yes: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close(descriptor)
            throw Failure(description: "not an IPv4 address: \(host)")
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemBind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let error = errno
            close(descriptor)
            throw Failure(description: "cannot bind \(host):\(port) (errno \(error)\(error == EADDRINUSE ? ": in use" : ""))")
        }
        guard listen(descriptor, 1024) == 0 else {
            close(descriptor)
            throw Failure(description: "listen(): errno \(errno)")
        }
        return ListeningSocket(descriptor: descriptor)
    }
}

#if canImport(Glibc)
private let systemBind = Glibc.bind
#else
private let systemBind = Darwin.bind
#endif
