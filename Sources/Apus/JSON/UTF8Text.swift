/// Strings from bytes that must be valid UTF-8, without `String(validating:as:)`: that
/// initializer is generic over the encoding and, unspecialised in the standard library, asked
/// the runtime for type metadata on every call (7 % of the time of a JSON body with many
/// strings). ASCII, the common case, needs no check at all; other text is decoded and compared
/// with its bytes, which differ exactly when decoding had to repair an invalid sequence.
enum UTF8Text {
    /// The string `bytes` spell, or `nil` when they are not valid UTF-8.
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        let string = String(decoding: bytes, as: UTF8.self)
        if Self.isASCII(bytes) { return string }
        return string.utf8.elementsEqual(bytes) ? string : nil
    }

    /// The string `bytes` spell, or `nil` when they are not valid UTF-8.
    static func string(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { Self.string($0) }
    }

    /// Whether every byte is below 0x80, eight at a time.
    static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index + 8 <= count {
            if bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            index += 8
        }
        while index < count {
            if bytes[index] >= 0x80 { return false }
            index += 1
        }
        return true
    }
}
