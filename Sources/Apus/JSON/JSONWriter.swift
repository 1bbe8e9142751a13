/// Appends compact JSON text, as Python's `json.dumps(separators=(",", ":"), ensure_ascii=False)` writes it.
@usableFromInline
struct JSONWriter {
    @usableFromInline var bytes: [UInt8]

    @inlinable
    init(capacity: Int = 128) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    @inlinable
    mutating func writeRaw(_ ascii: StaticString) {
        ascii.withUTF8Buffer { self.bytes.append(contentsOf: $0) }
    }

    @inlinable
    mutating func writeByte(_ byte: UInt8) { self.bytes.append(byte) }

    /// Writes text that is already JSON (a number's digits), as it is.
    mutating func writeVerbatim(_ text: String) { self.bytes.append(contentsOf: text.utf8) }

    mutating func writeString(_ string: String) {
        self.bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                self.bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): self.bytes.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): self.bytes.append(UInt8(ascii: "\\"))
                case 0x0A: self.bytes.append(UInt8(ascii: "n"))
                case 0x0D: self.bytes.append(UInt8(ascii: "r"))
                case 0x09: self.bytes.append(UInt8(ascii: "t"))
                case 0x08: self.bytes.append(UInt8(ascii: "b"))
                case 0x0C: self.bytes.append(UInt8(ascii: "f"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    self.bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        self.bytes.append(UInt8(ascii: "\""))
    }

    mutating func writeInteger<I: BinaryInteger>(_ value: I) {
        self.bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes a finite double the way Python's `repr` does (`2.0`, `9.99`, `1e-05`, `1e+16`).
    /// Returns `false` for NaN and infinities, which JSON cannot carry.
    mutating func writeDouble(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        self.bytes.append(contentsOf: value.description.utf8)
        return true
    }

    mutating func write(_ value: JSONValue) -> Bool {
        switch value {
        case .null: self.writeRaw("null")
        case .bool(let b): b ? self.writeRaw("true") : self.writeRaw("false")
        case .int(let i): self.writeInteger(i)
        case .double(let d): return self.writeDouble(d)
        case .string(let s): self.writeString(s)
        case .array(let elements):
            self.writeByte(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { self.writeByte(UInt8(ascii: ",")) }
                guard self.write(element) else { return false }
            }
            self.writeByte(UInt8(ascii: "]"))
        case .object(let members):
            self.writeByte(UInt8(ascii: "{"))
            for (index, (key, member)) in members.enumerated() {
                if index > 0 { self.writeByte(UInt8(ascii: ",")) }
                self.writeString(key)
                self.writeByte(UInt8(ascii: ":"))
                guard self.write(member) else { return false }
            }
            self.writeByte(UInt8(ascii: "}"))
        }
        return true
    }
}

extension JSONValue {
    /// The compact JSON text of this value, or `nil` if it holds NaN or an infinity.
    public var jsonBytes: [UInt8]? {
        var writer = JSONWriter()
        return writer.write(self) ? writer.bytes : nil
    }

    /// The compact JSON text of this value (`null` in place of a non-finite number).
    public var jsonString: String {
        String(decoding: self.jsonBytes ?? Array("null".utf8), as: UTF8.self)
    }
}
