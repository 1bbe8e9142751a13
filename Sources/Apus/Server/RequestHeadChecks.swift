import NIOCore
import NIOHTTP1

/// RFC 9112's rules for a request head that llhttp leaves to the server: `Host`, the
/// absolute form of the target, and which transfer codings Apus reads.
enum RequestHeadChecks {
    /// What to do with a head: go on (with the head as the router should see it, and whether the
    /// connection must close after this request), or answer and close.
    enum Verdict {
        case proceed(HTTPRequestHead, closeAfter: Bool)
        case refuse(HTTPError)
    }

    static func check(_ head: HTTPRequestHead) -> Verdict {
        var closeAfter = false
        var hosts = 0
        var hasTransferEncoding = false
        for (name, _) in head.headers {
            if Self.equalsIgnoringCase(name, "host") {
                hosts += 1
            } else if Self.equalsIgnoringCase(name, "transfer-encoding") {
                hasTransferEncoding = true
            }
        }
        if head.method == .CONNECT {
            // A tunnel is not something Apus serves.
            return .refuse(HTTPError(.notImplemented, detail: "CONNECT is not supported"))
        }
        // RFC 9112 §3.2: HTTP/1.1 needs exactly one Host; none or several is a 400.
        if hosts > 1 || (hosts == 0 && head.version.minor >= 1) {
            return .refuse(HTTPError(.badRequest, detail: hosts == 0 ? "Missing Host header" : "Multiple Host headers"))
        }
        if hasTransferEncoding {
            // llhttp framed the body as chunked; any other coding is one Apus cannot read (Go's 501).
            let codings = head.headers[canonicalForm: "transfer-encoding"]
            guard codings.count == 1, codings[0].lowercased() == "chunked" else {
                return .refuse(HTTPError(.notImplemented, detail: "Transfer-Encoding not implemented"))
            }
            // RFC 9112 §6.1: HTTP/1.0 with Transfer-Encoding has faulty framing: close after it.
            if head.version.minor == 0 { closeAfter = true }
        }
        if let byte = head.uri.utf8.first, byte != UInt8(ascii: "/"), byte != UInt8(ascii: "*") {
            // RFC 9112 §3.2.2: the absolute form's authority replaces Host, its path is routed.
            guard let (authority, target) = Self.splitAbsoluteForm(head.uri) else {
                return .refuse(HTTPError(.badRequest, detail: "Invalid request target"))
            }
            var head = head
            head.uri = target
            head.headers.replaceOrAdd(name: "host", value: authority)
            return .proceed(head, closeAfter: closeAfter)
        }
        return .proceed(head, closeAfter: closeAfter)
    }

    /// `http://host:port/path?query` as `("host:port", "/path?query")`; `nil` for any other form.
    static func splitAbsoluteForm(_ uri: String) -> (authority: String, target: String)? {
        let lowered = uri.prefix(8).lowercased()
        let schemeLength: Int
        if lowered.hasPrefix("http://") {
            schemeLength = 7
        } else if lowered.hasPrefix("https://") {
            schemeLength = 8
        } else {
            return nil
        }
        let rest = uri.utf8.dropFirst(schemeLength)
        let end = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? rest.endIndex
        guard let authority = String(rest[rest.startIndex..<end]), !authority.isEmpty,
            !authority.utf8.contains(UInt8(ascii: "@"))
        else { return nil }
        guard let tail = String(rest[end...]) else { return nil }
        let target = tail.hasPrefix("/") ? tail : "/" + tail
        return (authority, target)
    }

    /// ASCII case-insensitive comparison with a lowercase literal, without allocating.
    static func equalsIgnoringCase(_ name: String, _ lowercase: StaticString) -> Bool {
        let utf8 = name.utf8
        guard utf8.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            var index = 0
            for byte in utf8 {
                let folded = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                if folded != expected[index] { return false }
                index += 1
            }
            return true
        }
    }
}
