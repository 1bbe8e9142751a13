import Foundation

/// The value could not be written as JSON (a NaN or an infinity): FastAPI answers 500.
public struct JSONEncodingFailure: Error, Sendable, CustomStringConvertible {
    /// What could not be encoded.
    public var description: String
}

/// Encodes an `Encodable` value straight into compact JSON bytes, as FastAPI renders a
/// response model: keys in declaration order, `nil` optionals as `null`, dates as
/// RFC 3339 in UTC (`2024-05-06T07:08:09Z`), UUIDs in lowercase, floats as Python's `repr`,
/// and the members of a `[String: T]` dictionary sorted by key (Swift dictionaries have no order).
///
/// It writes while the value encodes itself, without building an intermediate tree: an
/// open container is closed when its owner writes its next member or when the value is done.
package enum JSONModelEncoder {
    package static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let state = EncodingState()
        try state.encodeValue(value, depth: 0)
        state.close(downTo: 0)
        if let failure = state.failure { throw failure }
        return state.writer.bytes
    }
}

/// The state of one encode call.
///
/// Its fields are `@exclusivity(unchecked)`: every use of a class's `var` is otherwise checked
/// at run time (`swift_beginAccess` and a thread-local access set, 7 % of encoding and decoding
/// a 64 KiB body). Safe: the state lives for one encode call on one thread, is not `Sendable`,
/// and no access to a field overlaps another (each is one read or one in-place change).
final class EncodingState {
    @exclusivity(unchecked) var writer = JSONWriter(capacity: 256)
    /// Open containers, one per depth: `true` for an object, `false` for an array, with their member count.
    @exclusivity(unchecked) var stack: [(isObject: Bool, count: Int)] = []
    @exclusivity(unchecked) var failure: JSONEncodingFailure?

    func close(downTo depth: Int) {
        while self.stack.count > depth {
            let frame = self.stack.removeLast()
            self.writer.writeByte(frame.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    func open(isObject: Bool, depth: Int) {
        self.close(downTo: depth)
        self.stack.append((isObject, 0))
        self.writer.writeByte(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
    }

    /// Starts the next member of the container at `depth`: closes deeper containers, writes a comma.
    func beginMember(depth: Int) {
        self.close(downTo: depth + 1)
        if self.stack[depth].count > 0 { self.writer.writeByte(UInt8(ascii: ",")) }
        self.stack[depth].count += 1
    }

    func writeKey(_ key: String) {
        self.writer.writeString(key)
        self.writer.writeByte(UInt8(ascii: ":"))
    }

    func writeDouble(_ value: Double) {
        if !self.writer.writeDouble(value) {
            self.failure = JSONEncodingFailure(description: "\(value) is not a valid JSON number")
            self.writer.writeRaw("null")
        }
    }

    /// Writes one value whose slot is at `depth`.
    func encodeValue<T: Encodable>(_ value: T, depth: Int) throws {
        // Exact-type checks compare metadata pointers; `as?` casts would go through the
        // runtime's dynamic cast for every value (measured at ~1 % of a request).
        if T.self == String.self { return self.writer.writeString(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return self.writer.writeInteger(unsafeBitCast(value, to: Int.self)) }
        if T.self == Double.self { return self.writeDouble(unsafeBitCast(value, to: Double.self)) }
        if T.self == Bool.self {
            return unsafeBitCast(value, to: Bool.self) ? self.writer.writeRaw("true") : self.writer.writeRaw("false")
        }
        if let special = self.encodeSpecial(value) {
            if !special { self.failure = JSONEncodingFailure(description: "NaN or infinity in a JSONValue or a Decimal") }
            return
        }
        if let dictionary = value as? any StringKeyedDictionary {
            // A Swift dictionary has no order: its keys are written sorted, so output is stable.
            self.open(isObject: true, depth: depth)
            for (key, member) in dictionary.sortedMembers {
                self.beginMember(depth: depth)
                self.writeKey(key)
                try self.encodeValue(member, depth: depth + 1)
            }
            self.close(downTo: depth)
            return
        }
        let start = self.writer.bytes.count
        try value.encode(to: StreamEncoder(state: self, depth: depth))
        self.close(downTo: depth)
        if self.writer.bytes.count == start { self.writer.writeRaw("{}") }
    }

    /// Writes the less common leaf types FastAPI renders its own way; `nil` when `T` is none
    /// of them, `false` when the value cannot be written (a non-finite number in a JSONValue).
    private func encodeSpecial<T: Encodable>(_ value: T) -> Bool? {
        if T.self == Date.self {
            self.writer.writeString(formatRFC3339(unsafeBitCast(value, to: Date.self)))
            return true
        }
        if T.self == UUID.self {
            self.writer.writeString(unsafeBitCast(value, to: UUID.self).uuidString.lowercased())
            return true
        }
        if T.self == Float.self {
            self.writeDouble(Double(unsafeBitCast(value, to: Float.self)))
            return true
        }
        if self.writeInteger(value, as: Int64.self) || self.writeInteger(value, as: Int32.self)
            || self.writeInteger(value, as: Int16.self) || self.writeInteger(value, as: Int8.self)
            || self.writeInteger(value, as: UInt.self) || self.writeInteger(value, as: UInt64.self)
            || self.writeInteger(value, as: UInt32.self) || self.writeInteger(value, as: UInt16.self)
            || self.writeInteger(value, as: UInt8.self)
        {
            return true
        }
        if T.self == URL.self {
            self.writer.writeString(unsafeBitCast(value, to: URL.self).absoluteString)
            return true
        }
        if T.self == JSONValue.self { return self.writer.write(unsafeBitCast(value, to: JSONValue.self)) }
        if T.self == Data.self {
            // As text, as FastAPI writes `bytes`; not UTF-8: a failure (500), never an array of numbers.
            guard let text = String(validating: unsafeBitCast(value, to: Data.self), as: UTF8.self) else {
                self.failure = JSONEncodingFailure(
                    description: "Data that is not UTF-8 text cannot be written in JSON (send binary content as a Response with its media type)")
                self.writer.writeRaw("null")
                return true
            }
            self.writer.writeString(text)
            return true
        }
        if T.self == Decimal.self {
            // Its exact digits as a JSON number (`1.5`, `10`), as FastAPI's jsonable_encoder writes a Decimal.
            let decimal = unsafeBitCast(value, to: Decimal.self)
            guard !decimal.isNaN else { return false }
            self.writer.writeVerbatim(decimal.description)
            return true
        }
        return nil
    }

    /// Writes `value` when its type is exactly the integer type `I`.
    private func writeInteger<T, I: FixedWidthInteger>(_ value: T, as type: I.Type) -> Bool {
        guard T.self == I.self else { return false }
        self.writer.writeInteger(unsafeBitCast(value, to: I.self))
        return true
    }
}

/// A `[String: Encodable]` dictionary, whose members the encoder writes in key order.
protocol StringKeyedDictionary {
    var sortedMembers: [(String, any Encodable)] { get }
}

extension Dictionary: StringKeyedDictionary where Key == String, Value: Encodable {
    var sortedMembers: [(String, any Encodable)] {
        self.sorted { $0.key < $1.key }.map { ($0.key, $0.value as any Encodable) }
    }
}

/// RFC 3339 in UTC with a `Z`, fractional seconds only when present (pydantic's form).
func formatRFC3339(_ date: Date) -> String {
    let interval = date.timeIntervalSince1970
    let wholeSeconds = interval.rounded(.down)
    var micros = Int(((interval - wholeSeconds) * 1_000_000).rounded())
    var seconds = Int(wholeSeconds)
    if micros == 1_000_000 {
        micros = 0
        seconds += 1
    }
    var days = seconds / 86_400
    var secondOfDay = seconds % 86_400
    if secondOfDay < 0 {
        secondOfDay += 86_400
        days -= 1
    }
    let (year, month, day) = civilFromDays(days)
    func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
    var result = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
    result += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
    if micros > 0 {
        var fraction = pad(micros, 6)
        while fraction.hasSuffix("0") { fraction.removeLast() }
        result += "." + fraction
    }
    return result + "Z"
}

struct StreamEncoder: Encoder {
    let state: EncodingState
    let depth: Int

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if !(self.state.stack.count > self.depth && self.state.stack[self.depth].isObject) {
            self.state.open(isObject: true, depth: self.depth)
        }
        return KeyedEncodingContainer(StreamKeyedContainer<Key>(state: self.state, depth: self.depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if !(self.state.stack.count > self.depth && !self.state.stack[self.depth].isObject) {
            self.state.open(isObject: false, depth: self.depth)
        }
        return StreamUnkeyedContainer(state: self.state, depth: self.depth)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamSingleValueContainer(state: self.state, depth: self.depth)
    }
}

struct StreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let state: EncodingState
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    private func member(_ key: Key) {
        self.state.beginMember(depth: self.depth)
        self.state.writeKey(key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws {
        self.member(key)
        self.state.writer.writeRaw("null")
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        self.member(key)
        try self.state.encodeValue(value, depth: self.depth + 1)
    }

    // FastAPI includes `None` fields: a nil optional is written as `null`, not skipped.
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return try self.encodeNil(forKey: key) }
        try self.encode(value, forKey: key)
    }

    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        guard let value else { return try self.encodeNil(forKey: key) }
        try self.encode(value, forKey: key)
    }

    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        guard let value else { return try self.encodeNil(forKey: key) }
        try self.encode(value, forKey: key)
    }

    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        guard let value else { return try self.encodeNil(forKey: key) }
        try self.encode(value, forKey: key)
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        guard let value else { return try self.encodeNil(forKey: key) }
        try self.encode(value, forKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        self.member(key)
        self.state.open(isObject: true, depth: self.depth + 1)
        return KeyedEncodingContainer(StreamKeyedContainer<NestedKey>(state: self.state, depth: self.depth + 1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        self.member(key)
        self.state.open(isObject: false, depth: self.depth + 1)
        return StreamUnkeyedContainer(state: self.state, depth: self.depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        self.state.beginMember(depth: self.depth)
        self.state.writeKey("super")
        return StreamEncoder(state: self.state, depth: self.depth + 1)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        self.member(key)
        return StreamEncoder(state: self.state, depth: self.depth + 1)
    }
}

struct StreamUnkeyedContainer: UnkeyedEncodingContainer {
    let state: EncodingState
    let depth: Int
    var codingPath: [any CodingKey] { [] }
    var count: Int { self.state.stack.count > self.depth ? self.state.stack[self.depth].count : 0 }

    mutating func encodeNil() throws {
        self.state.beginMember(depth: self.depth)
        self.state.writer.writeRaw("null")
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        self.state.beginMember(depth: self.depth)
        try self.state.encodeValue(value, depth: self.depth + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        self.state.beginMember(depth: self.depth)
        self.state.open(isObject: true, depth: self.depth + 1)
        return KeyedEncodingContainer(StreamKeyedContainer<NestedKey>(state: self.state, depth: self.depth + 1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        self.state.beginMember(depth: self.depth)
        self.state.open(isObject: false, depth: self.depth + 1)
        return StreamUnkeyedContainer(state: self.state, depth: self.depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        self.state.beginMember(depth: self.depth)
        return StreamEncoder(state: self.state, depth: self.depth + 1)
    }
}

struct StreamSingleValueContainer: SingleValueEncodingContainer {
    let state: EncodingState
    let depth: Int
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws { self.state.writer.writeRaw("null") }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try self.state.encodeValue(value, depth: self.depth)
    }
}
