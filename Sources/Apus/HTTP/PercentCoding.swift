// Percent-encoding and decoding of URLs: pure functions on text, shared by the request,
// routing's redirects and the responses that write a `Location`.

/// Decodes `%XX` escapes (invalid ones are kept as written, invalid UTF-8 becomes U+FFFD),
/// and `+` as a space when asked, like Python's `unquote` / `unquote_plus`.
func percentDecode(_ text: Substring, plusAsSpace: Bool) -> String {
    let utf8 = text.utf8
    guard utf8.contains(UInt8(ascii: "%")) || (plusAsSpace && utf8.contains(UInt8(ascii: "+"))) else {
        return String(text)
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(utf8.count)
    var index = utf8.startIndex
    func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
    while index < utf8.endIndex {
        let byte = utf8[index]
        if byte == UInt8(ascii: "%") {
            let first = utf8.index(after: index)
            if first < utf8.endIndex, let high = hexValue(utf8[first]) {
                let second = utf8.index(after: first)
                if second < utf8.endIndex, let low = hexValue(utf8[second]) {
                    bytes.append(high << 4 | low)
                    index = utf8.index(after: second)
                    continue
                }
            }
            bytes.append(byte)
        } else if plusAsSpace && byte == UInt8(ascii: "+") {
            bytes.append(UInt8(ascii: " "))
        } else {
            bytes.append(byte)
        }
        index = utf8.index(after: index)
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Percent-encodes UTF-8 `text`, keeping ASCII letters, digits and the bytes of `safe`.
func percentEncode(_ text: String, keeping safe: Set<UInt8>) -> String {
    var result = ""
    for byte in text.utf8 {
        let alphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        if alphanumeric || safe.contains(byte) {
            result.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
    }
    return result
}

/// Starlette's `RedirectResponse` encoding: everything but ``-._~`` and ``:/%#?=@[]!$&'()*+,;``.
func percentEncodeURL(_ url: String) -> String {
    percentEncode(url, keeping: Set("-._~:/%#?=@[]!$&'()*+,;".utf8))
}

extension String {
    func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}

/// Re-encodes a decoded path for a `Location` header (space -> `%20`, non-ASCII -> UTF-8 `%XX`).
func percentEncodePath(_ path: String) -> String {
    percentEncode(path, keeping: Set("/:@!$&'()*+,;=-._~".utf8))
}
