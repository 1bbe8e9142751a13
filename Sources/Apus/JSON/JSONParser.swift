/// Why a body could not be parsed as JSON, in the words Python's `json` module uses,
/// because FastAPI reports those words in its `json_invalid` error.
package struct JSONSyntaxError: Error, Equatable, Sendable {
    /// Python's message, e.g. `Expecting value` or `Expecting ',' delimiter`.
    package var message: String
    /// The offset of the error in characters (Unicode scalars), as Python counts it.
    package var characterOffset: Int
}

/// The body is not valid UTF-8 text, so it cannot be JSON at all (FastAPI answers 400).
package struct JSONEncodingError: Error, Sendable {}

/// A strict JSON parser over UTF-8 bytes that reproduces the error messages and positions of
/// CPython 3.11's `json.loads`, and accepts what it accepts (`NaN`, `Infinity`, `-Infinity`,
/// duplicate keys with the last one winning).
package struct JSONParser {
    private let bytes: UnsafeRawBufferPointer
    private var index: Int
    private var depth = 0
    /// Nesting deeper than this is rejected instead of risking the stack.
    package static let maximumDepth = 512

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.index = 0
    }

    /// Parses one JSON document that fills `bytes` (surrounding whitespace allowed).
    package static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        // A UTF-8 byte order mark is accepted, as Python's json.loads(bytes) does.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { parser.index = 3 }
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.index < bytes.count { throw parser.error("Extra data", at: parser.index) }
        return value
    }

    /// Parses `bytes` as a JSON document.
    package static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBytes { try parse($0) }
    }

    // MARK: - Values

    private mutating func parseValue() throws -> JSONValue {
        guard self.index < self.bytes.count else { throw self.error("Expecting value", at: self.index) }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): return try self.parseObject()
        case UInt8(ascii: "["): return try self.parseArray()
        case UInt8(ascii: "\""): return .string(try self.parseString())
        case UInt8(ascii: "t"): return try self.parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try self.parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try self.parseLiteral("null", .null)
        case UInt8(ascii: "N"): return try self.parseLiteral("NaN", .double(.nan))
        case UInt8(ascii: "I"): return try self.parseLiteral("Infinity", .double(.infinity))
        case UInt8(ascii: "-"):
            if self.matches("-Infinity") {
                self.index += 9
                return .double(-.infinity)
            }
            return try self.parseNumber()
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return try self.parseNumber()
        default: throw self.error("Expecting value", at: self.index)
        }
    }

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard self.index + count <= self.bytes.count else { return false }
        return literal.withUTF8Buffer { literalBytes in
            for offset in 0..<count where self.bytes[self.index + offset] != literalBytes[offset] { return false }
            return true
        }
    }

    private mutating func parseLiteral(_ literal: StaticString, _ value: JSONValue) throws -> JSONValue {
        guard self.matches(literal) else { throw self.error("Expecting value", at: self.index) }
        self.index += literal.utf8CodeUnitCount
        return value
    }

    private mutating func parseNumber() throws -> JSONValue {
        let start = self.index
        var isInteger = true
        if self.bytes[self.index] == UInt8(ascii: "-") { self.index += 1 }
        guard self.index < self.bytes.count, self.isDigit(self.bytes[self.index]) else {
            throw self.error("Expecting value", at: start)
        }
        if self.bytes[self.index] == UInt8(ascii: "0") {
            self.index += 1
        } else {
            while self.index < self.bytes.count, self.isDigit(self.bytes[self.index]) { self.index += 1 }
        }
        // Python's NUMBER_RE: a fraction needs digits after the dot, an exponent digits after e[+-].
        if self.index + 1 < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "."),
            self.isDigit(self.bytes[self.index + 1])
        {
            isInteger = false
            self.index += 1
            while self.index < self.bytes.count, self.isDigit(self.bytes[self.index]) { self.index += 1 }
        }
        if self.index < self.bytes.count, self.bytes[self.index] | 0x20 == UInt8(ascii: "e") {
            var probe = self.index + 1
            if probe < self.bytes.count, self.bytes[probe] == UInt8(ascii: "+") || self.bytes[probe] == UInt8(ascii: "-") {
                probe += 1
            }
            if probe < self.bytes.count, self.isDigit(self.bytes[probe]) {
                isInteger = false
                self.index = probe
                while self.index < self.bytes.count, self.isDigit(self.bytes[self.index]) { self.index += 1 }
            }
        }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .int(integer) }
        return .double(Double(text) ?? .nan)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    // MARK: - Strings

    private mutating func parseString() throws -> String {
        let quote = self.index
        self.index += 1
        let contentStart = self.index
        // Fast path: no escapes.
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: self.bytes[contentStart..<self.index])
                self.index += 1
                guard let string = UTF8Text.string(slice) else { throw JSONEncodingError() }
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw self.error("Invalid control character at", at: self.index) }
            self.index += 1
        }
        guard self.index < self.bytes.count else { throw self.error("Unterminated string starting at", at: quote) }
        var scalars = Array(UnsafeRawBufferPointer(rebasing: self.bytes[contentStart..<self.index]))
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            switch byte {
            case UInt8(ascii: "\""):
                self.index += 1
                guard let string = UTF8Text.string(scalars) else { throw JSONEncodingError() }
                return string
            case UInt8(ascii: "\\"):
                try self.parseEscape(into: &scalars)
            case 0..<0x20:
                throw self.error("Invalid control character at", at: self.index)
            default:
                scalars.append(byte)
                self.index += 1
            }
        }
        throw self.error("Unterminated string starting at", at: quote)
    }

    private mutating func parseEscape(into output: inout [UInt8]) throws {
        let escapeStart = self.index
        guard self.index + 1 < self.bytes.count else { throw self.error("Unterminated string starting at", at: escapeStart) }
        let code = self.bytes[self.index + 1]
        self.index += 2
        let simple: UInt8?
        switch code {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: throw self.error("Invalid \\escape", at: escapeStart)
        }
        if let simple {
            output.append(simple)
            return
        }
        var scalar = try self.parseHex4(escapeStart: escapeStart)
        if (0xD800..<0xDC00).contains(scalar), self.index + 1 < self.bytes.count,
            self.bytes[self.index] == UInt8(ascii: "\\"), self.bytes[self.index + 1] == UInt8(ascii: "u")
        {
            let saved = self.index
            self.index += 2
            let low = try self.parseHex4(escapeStart: saved)
            if (0xDC00..<0xE000).contains(low) {
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else {
                self.index = saved
            }
        }
        // A lone surrogate cannot live in a Swift String: it becomes U+FFFD.
        let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        output.append(contentsOf: String(Character(unicode)).utf8)
    }

    private mutating func parseHex4(escapeStart: Int) throws -> UInt32 {
        guard self.index + 4 <= self.bytes.count else { throw self.error("Invalid \\uXXXX escape", at: escapeStart + 1) }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = self.bytes[self.index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.error("Invalid \\uXXXX escape", at: escapeStart + 1)
            }
            value = value << 4 | UInt32(digit)
        }
        self.index += 4
        return value
    }

    // MARK: - Containers

    private mutating func enter() throws {
        self.depth += 1
        if self.depth > Self.maximumDepth { throw self.error("Maximum nesting depth exceeded", at: self.index) }
    }

    private mutating func parseArray() throws -> JSONValue {
        try self.enter()
        defer { self.depth -= 1 }
        self.index += 1
        var elements: [JSONValue] = []
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "]") {
            self.index += 1
            return .array(elements)
        }
        while true {
            self.skipWhitespace()
            elements.append(try self.parseValue())
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error("Expecting ',' delimiter", at: self.index) }
            let byte = self.bytes[self.index]
            self.index += 1
            if byte == UInt8(ascii: "]") { return .array(elements) }
            guard byte == UInt8(ascii: ",") else { throw self.error("Expecting ',' delimiter", at: self.index - 1) }
        }
    }

    private mutating func parseObject() throws -> JSONValue {
        try self.enter()
        defer { self.depth -= 1 }
        self.index += 1
        var members: [(String, JSONValue)] = []
        self.skipWhitespace()
        if self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "}") {
            self.index += 1
            return .object(members)
        }
        while true {
            self.skipWhitespace()
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: "\"") else {
                throw self.error("Expecting property name enclosed in double quotes", at: self.index)
            }
            let key = try self.parseString()
            self.skipWhitespace()
            guard self.index < self.bytes.count, self.bytes[self.index] == UInt8(ascii: ":") else {
                throw self.error("Expecting ':' delimiter", at: self.index)
            }
            self.index += 1
            self.skipWhitespace()
            members.append((key, try self.parseValue()))
            self.skipWhitespace()
            guard self.index < self.bytes.count else { throw self.error("Expecting ',' delimiter", at: self.index) }
            let byte = self.bytes[self.index]
            self.index += 1
            if byte == UInt8(ascii: "}") { return .object(members) }
            guard byte == UInt8(ascii: ",") else { throw self.error("Expecting ',' delimiter", at: self.index - 1) }
        }
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case 0x20, 0x09, 0x0A, 0x0D: self.index += 1
            default: return
            }
        }
    }

    /// An error at byte `offset`, converted to Python's character offset.
    private func error(_ message: String, at offset: Int) -> JSONSyntaxError {
        var characters = 0
        let bomLength = (self.bytes.count >= 3 && self.bytes[0] == 0xEF && self.bytes[1] == 0xBB && self.bytes[2] == 0xBF) ? 3 : 0
        for position in bomLength..<min(offset, self.bytes.count) where self.bytes[position] & 0xC0 != 0x80 {
            characters += 1
        }
        return JSONSyntaxError(message: message, characterOffset: characters)
    }
}
