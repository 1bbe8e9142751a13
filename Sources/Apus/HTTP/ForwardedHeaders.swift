package import NIOHTTP1

/// What the proxies in front of the server say about a request: RFC 7239's `Forwarded`, or
/// else the de-facto `X-Forwarded-For`, `-Proto`, `-Host` and `-Prefix`. Only read for a
/// peer in ``ServerConfiguration/trustedProxies``.
package struct ForwardedHeaders: Sendable, Equatable {
    /// The client the first proxy saw.
    var client: ClientAddress?
    /// `http` or `https`, as the client spoke to the first proxy.
    var scheme: String?
    /// The `Host` the client sent to the first proxy.
    var host: String?
    /// The path prefix the proxy removed (`X-Forwarded-Prefix`), without a trailing slash.
    var prefix: String?

    /// Reads `headers`; the client is the rightmost address that `trusted` does not contain
    /// (each trusted proxy appends the address it was connected from), or the leftmost one.
    package static func read(_ headers: HTTPHeaders, trusted: TrustedProxies) -> ForwardedHeaders {
        var result = ForwardedHeaders()
        if headers.contains(name: "forwarded") {
            let elements = Self.elements(of: headers["forwarded"].map { $0[...] })
            guard let index = Self.clientIndex(elements.map { $0["for"] ?? "" }, trusted: trusted) else { return result }
            let element = elements[index]
            result.client = element["for"].flatMap(Self.node)
            result.scheme = element["proto"].flatMap(Self.scheme)
            result.host = element["host"].flatMap(Self.host)
            return result
        }
        let hops = headers[canonicalForm: "x-forwarded-for"].map { $0[...].trimmingSpaces() }
        let index = Self.clientIndex(hops, trusted: trusted)
        if let index { result.client = Self.node(hops[index]) }
        result.scheme = Self.pick(headers[canonicalForm: "x-forwarded-proto"], hops: hops.count, index: index).flatMap(Self.scheme)
        result.host = Self.pick(headers[canonicalForm: "x-forwarded-host"], hops: hops.count, index: index).flatMap(Self.host)
        if let prefix = headers.first(name: "x-forwarded-prefix").map({ $0[...].trimmingSpaces() }),
            prefix.hasPrefix("/"), !prefix.contains(where: { $0 == "?" || $0 == "#" || $0 == " " })
        {
            var trimmed = Substring(prefix)
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            result.prefix = String(trimmed)
        }
        return result
    }

    /// The hop that names the client: walking from the nearest proxy's entry leftwards, the
    /// first one that is not itself a trusted proxy.
    private static func clientIndex(_ hops: [String], trusted: TrustedProxies) -> Int? {
        guard !hops.isEmpty else { return nil }
        var index = hops.count - 1
        while index > 0, let node = Self.node(hops[index]), trusted.contains(node.host) { index -= 1 }
        return index
    }

    /// The entry of a list header for the client's hop when the list has one per hop, else the
    /// nearest proxy's (the last).
    private static func pick(_ values: [Substring], hops: Int, index: Int?) -> String? {
        let entries = values.map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        if let index, entries.count == hops, index < entries.count { return entries[index] }
        return entries.last
    }

    /// The `for`/`by` node of RFC 7239 §6 or an `X-Forwarded-For` entry: `192.0.2.60`,
    /// `192.0.2.60:4711`, `[2001:db8::1]:4711`, `2001:db8::1`; `unknown` and `_obfuscated` are no address.
    static func node(_ text: String) -> ClientAddress? {
        var value = Substring(text)
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            let host = String(value[value.index(after: value.startIndex)..<close])
            let rest = value[value.index(after: close)...]
            let port = rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? 0 : 0
            return TrustedProxies.bytes(of: host) == nil ? nil : ClientAddress(host: host, port: port)
        }
        var port = 0
        if value.filter({ $0 == ":" }).count == 1, let colon = value.firstIndex(of: ":") {
            port = Int(value[value.index(after: colon)...]) ?? 0
            value = value[..<colon]
        }
        let host = String(value)
        return TrustedProxies.bytes(of: host) == nil ? nil : ClientAddress(host: host, port: port)
    }

    private static func scheme(_ text: String) -> String? {
        switch text.lowercased() {
        case "http", "ws": return "http"
        case "https", "wss": return "https"
        default: return nil
        }
    }

    /// A host and optional port made of the characters a `Host` header may hold.
    private static func host(_ text: String) -> String? {
        guard !text.isEmpty, text.utf8.count <= 255 else { return nil }
        let allowed = text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }
        return allowed ? text : nil
    }

    /// The elements of `Forwarded` values (comma-separated, each `key=value` pairs joined by
    /// `;`, values possibly quoted), keys lowercased.
    static func elements(of values: [Substring]) -> [[String: String]] {
        var elements: [[String: String]] = []
        for value in values {
            var element: [String: String] = [:]
            var pair = ""
            var quoted = false
            var escaped = false
            func endPair() {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 {
                    var value = parts[1].trimmingSpaces()
                    if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                        value = String(value.dropFirst().dropLast()).replacingEscapes()
                    }
                    element[parts[0].trimmingSpaces().lowercased()] = value
                }
                pair = ""
            }
            for character in value {
                if escaped {
                    pair.append(character)
                    escaped = false
                    continue
                }
                switch character {
                case "\\" where quoted:
                    pair.append(character)
                    escaped = true
                case "\"":
                    quoted.toggle()
                    pair.append(character)
                case ";" where !quoted:
                    endPair()
                case "," where !quoted:
                    endPair()
                    elements.append(element)
                    element = [:]
                default:
                    pair.append(character)
                }
            }
            endPair()
            elements.append(element)
        }
        return elements
    }
}

extension String {
    /// A quoted-string's content with its `\x` escapes resolved.
    fileprivate func replacingEscapes() -> String {
        var result = ""
        var escaped = false
        for character in self {
            if escaped || character != "\\" {
                result.append(character)
                escaped = false
            } else {
                escaped = true
            }
        }
        return result
    }
}
