public import Foundation
public import NIOHTTP1

/// A cookie's `SameSite` attribute.
public enum SameSite: String, Sendable {
    case lax, strict, none
}

/// A cookie name or attribute that cannot be written in a `Set-Cookie` header (a name with a
/// character outside RFC 6265's token, a path or domain with `;` or a control character).
public struct CookieError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// `Set-Cookie` values as Starlette writes them (Python's `http.cookies`): the value quoted
/// and escaped when it has characters outside the cookie-safe set, attributes in Python's
/// order (`Domain`, `expires`, `HttpOnly`, `Max-Age`, `Path`, `SameSite`, `Secure`).
enum SetCookie {
    /// Python's `_LegalChars`: what a name must consist of, and a value may hold unquoted.
    static func isLegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return "!#$%&'*+-.^_`|~:".unicodeScalars.contains(scalar)
        }
    }

    /// Python's `_quote`: legal text as it is, anything else in quotes with `"` and `\`
    /// escaped and control characters, `,`, `;` and bytes 127-255 as `\ooo`.
    static func quote(_ value: String) -> String {
        if !value.isEmpty, value.unicodeScalars.allSatisfy(Self.isLegal) { return value }
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case ",", ";": result += "\\" + Self.octal(scalar.value)
            default:
                if scalar.value < 32 || (127...255).contains(scalar.value) {
                    result += "\\" + Self.octal(scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    private static func octal(_ value: UInt32) -> String {
        let digits = String(value, radix: 8)
        return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// An attribute value (path, domain) that a header can carry: no `;`, no control character.
    static func checkAttribute(_ value: String?, _ name: String) throws(CookieError) {
        guard let value else { return }
        if value.unicodeScalars.contains(where: { $0 == ";" || $0.value < 32 || $0.value == 127 }) {
            throw CookieError(description: "cookie \(name) \(String(reflecting: value)) has a ';' or a control character")
        }
    }

    static func render(
        _ name: String, _ value: String, maxAge: Int?, expires: String?, path: String?, domain: String?, secure: Bool,
        httpOnly: Bool, sameSite: SameSite?
    ) throws(CookieError) -> String {
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isLegal) else {
            throw CookieError(description: "\(String(reflecting: name)) is not a valid cookie name")
        }
        try Self.checkAttribute(path, "path")
        try Self.checkAttribute(domain, "domain")
        var parts = ["\(name)=\(Self.quote(value))"]
        if let domain { parts.append("Domain=\(domain)") }
        if let expires { parts.append("expires=\(expires)") }
        if httpOnly { parts.append("HttpOnly") }
        if let maxAge { parts.append("Max-Age=\(maxAge)") }
        if let path { parts.append("Path=\(path)") }
        if let sameSite { parts.append("SameSite=\(sameSite.rawValue)") }
        if secure { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }
}

extension HTTPHeaders {
    /// Adds a `Set-Cookie` header as Starlette's `set_cookie` writes it.
    ///
    /// ```swift
    /// var headers = HTTPHeaders()
    /// try headers.setCookie("session", "3f9a61", maxAge: 3600, secure: true, httpOnly: true)
    /// // set-cookie: session=...; HttpOnly; Max-Age=3600; Path=/; SameSite=lax; Secure
    /// ```
    /// - Throws: ``CookieError`` for a name outside RFC 6265's token characters, or a path or
    ///   domain with `;` or a control character (which could split the header).
    public mutating func setCookie(
        _ name: String, _ value: String = "", maxAge: Int? = nil, expires: Date? = nil, path: String? = "/",
        domain: String? = nil, secure: Bool = false, httpOnly: Bool = false, sameSite: SameSite? = .lax
    ) throws(CookieError) {
        let expiry = expires.map { HTTPDateCache.format(secondsSince1970: Int($0.timeIntervalSince1970.rounded(.down))) }
        self.add(
            name: "set-cookie",
            value: try SetCookie.render(
                name, value, maxAge: maxAge, expires: expiry, path: path, domain: domain, secure: secure, httpOnly: httpOnly,
                sameSite: sameSite))
    }

    /// Adds a `Set-Cookie` header that deletes the cookie (empty value, `Max-Age=0`, expiring
    /// now), as Starlette's `delete_cookie`; `path` and `domain` must be those it was set with.
    public mutating func deleteCookie(
        _ name: String, path: String? = "/", domain: String? = nil, secure: Bool = false, httpOnly: Bool = false,
        sameSite: SameSite? = .lax
    ) throws(CookieError) {
        let now = HTTPDateCache.format(secondsSince1970: Int(Date().timeIntervalSince1970))
        self.add(
            name: "set-cookie",
            value: try SetCookie.render(
                name, "", maxAge: 0, expires: now, path: path, domain: domain, secure: secure, httpOnly: httpOnly, sameSite: sameSite))
    }
}
