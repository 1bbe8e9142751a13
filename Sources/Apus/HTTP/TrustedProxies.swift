#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The peers whose forwarding headers are believed: addresses and CIDR ranges, IPv4 or IPv6,
/// or `*` for any peer (uvicorn's `--forwarded-allow-ips`).
package struct TrustedProxies: Sendable {
    /// One address range: the first `prefixLength` bits of `address` (4 or 16 bytes).
    struct Range: Sendable {
        let address: [UInt8]
        let prefixLength: Int

        func contains(_ candidate: [UInt8]) -> Bool {
            guard candidate.count == self.address.count else { return false }
            var bits = self.prefixLength
            var index = 0
            while bits >= 8 {
                if candidate[index] != self.address[index] { return false }
                bits -= 8
                index += 1
            }
            guard bits > 0 else { return true }
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            return candidate[index] & mask == self.address[index] & mask
        }
    }

    let ranges: [Range]
    let anyPeer: Bool

    /// Nobody.
    package static let none = TrustedProxies(ranges: [], anyPeer: false)

    private init(ranges: [Range], anyPeer: Bool) {
        self.ranges = ranges
        self.anyPeer = anyPeer
    }

    /// An entry that is neither an address, a range nor `*`.
    package struct InvalidEntry: Error, CustomStringConvertible {
        package let description: String
    }

    /// Parses `entries` (`"127.0.0.1"`, `"10.0.0.0/8"`, `"::1"`, `"fd00::/8"`, `"*"`).
    /// - Throws: the first entry that is none of these.
    package init(_ entries: [String]) throws(InvalidEntry) {
        var ranges: [Range] = []
        var anyPeer = false
        for entry in entries {
            let trimmed = entry[...].trimmingSpaces()
            if trimmed == "*" {
                anyPeer = true
                continue
            }
            let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = Self.bytes(of: String(parts[0])) else {
                throw InvalidEntry(description: "trustedProxies: \"\(entry)\" is not an IP address, a CIDR range or \"*\"")
            }
            var prefixLength = address.count * 8
            if parts.count == 2 {
                guard let length = Int(parts[1]), (0...address.count * 8).contains(length) else {
                    throw InvalidEntry(description: "trustedProxies: \"\(entry)\" has no valid prefix length (0 to \(address.count * 8))")
                }
                prefixLength = length
            }
            ranges.append(Range(address: address, prefixLength: prefixLength))
        }
        self.init(ranges: ranges, anyPeer: anyPeer)
    }

    /// Whether `host` (an IP address as text) is trusted; a name (the test client's) never is, except with `*`.
    package func contains(_ host: String) -> Bool {
        if self.anyPeer { return true }
        guard !self.ranges.isEmpty, var address = Self.bytes(of: host) else { return false }
        if address.count == 16, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF {
            // An IPv4 peer on a dual-stack socket (`::ffff:127.0.0.1`) is its IPv4 address.
            address = Array(address[12...])
        }
        for range in self.ranges where range.contains(address) { return true }
        return false
    }

    /// Whether nothing is trusted.
    package var isEmpty: Bool { !self.anyPeer && self.ranges.isEmpty }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address, `nil` for anything else.
    static func bytes(of text: String) -> [UInt8]? {
        var host = Substring(text)
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        if let zone = host.firstIndex(of: "%") { host = host[..<zone] }
        var v4 = in_addr()
        if inet_pton(AF_INET, String(host), &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, String(host), &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
