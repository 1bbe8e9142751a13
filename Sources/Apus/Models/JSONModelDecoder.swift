import Foundation

/// Decodes a `Decodable` model from a ``JSONValue`` with pydantic's lax JSON rules and,
/// unlike `JSONDecoder`, keeps going after a bad field: every problem is recorded with its
/// full `loc`, so one 422 lists them all.
///
/// The trick: where a value is bad or missing the decoder records the error and hands the
/// model a placeholder (zero, empty string, empty list, first enum case...) so that the
/// model's `init(from:)` carries on to its next field. The decoded value is only used when
/// no error was recorded. A type whose placeholder cannot be made stops the walk early; the
/// errors found up to then are still reported.
package enum JSONModelDecoder {
    /// Decodes `type` from `value`; errors carry `loc` as their prefix.
    package static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, at loc: [LocationComponent])
        -> Result<T, RequestValidationError>
    {
        let state = DecodingState()
        do {
            let result = try state.decode(T.self, from: value, at: loc)
            return state.errors.isEmpty ? .success(result) : .failure(RequestValidationError(errors: state.errors))
        } catch {
            if state.errors.isEmpty {
                state.errors.append(ValueIssue.valueError(String(describing: error)).detail(at: loc, input: value))
            }
            return .failure(RequestValidationError(errors: state.errors))
        }
    }
}

/// Thrown when a placeholder for a bad value cannot be built; ends the walk.
struct PlaceholderUnavailable: Error {}

/// The state of one decode call. `errors` is `@exclusivity(unchecked)` for the reason and
/// with the proof of ``EncodingState``'s fields: one call, one thread, no overlapping access.
final class DecodingState {
    @exclusivity(unchecked) var errors: [ValidationErrorDetail] = []

    func record(_ issue: ValueIssue, at loc: [LocationComponent], input: JSONValue) {
        self.errors.append(issue.detail(at: loc, input: input))
    }

    /// Decodes one value; a bad value is recorded and replaced by a placeholder.
    ///
    /// `loc` is built only when it is needed (an error, or a container below this value): a
    /// field's location is an array, and building it for every valid string or number was a
    /// good part of the decoding time.
    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, at loc: @autoclosure () -> [LocationComponent]) throws -> T {
        // The commonest fields first, without the generic `Result<T, _>?` of `LaxJSON.primitive`
        // (unspecialised code asks the runtime for that type's metadata on every call). Each bit
        // cast follows the identity check that makes it a rename.
        if T.self == String.self {
            if case .string(let string) = value { return unsafeBitCast(string, to: T.self) }
            return self.converted(LaxJSON.string(value), or: "", as: T.self, input: value, at: loc)
        }
        if T.self == Int.self {
            if case .int(let int) = value { return unsafeBitCast(int, to: T.self) }
            return self.converted(LaxJSON.integer(Int.self, value), or: 0, as: T.self, input: value, at: loc)
        }
        if T.self == Double.self { return self.converted(LaxJSON.double(value), or: 0.0, as: T.self, input: value, at: loc) }
        if T.self == Bool.self { return self.converted(LaxJSON.bool(value), or: false, as: T.self, input: value, at: loc) }
        return try self.decodeOther(T.self, from: value, at: loc())
    }

    /// A converted primitive as `T` (which is `V`: the caller checked the identity), or, when
    /// it is bad, its issue recorded and `placeholder` in its place.
    @inline(__always)
    private func converted<V, T>(
        _ result: Result<V, ValueIssue>, or placeholder: V, as type: T.Type, input: JSONValue,
        at loc: () -> [LocationComponent]
    ) -> T {
        switch result {
        case .success(let converted): return unsafeBitCast(converted, to: T.self)
        case .failure(let issue):
            self.record(issue, at: loc(), input: input)
            return unsafeBitCast(placeholder, to: T.self)
        }
    }

    /// ``decode(_:from:at:)`` for every type but the four commonest.
    @inline(never)
    private func decodeOther<T: Decodable>(_ type: T.Type, from value: JSONValue, at loc: [LocationComponent]) throws -> T {
        // Free-form JSON: the parsed value itself (`T` is `JSONValue`, so the cast only renames the type).
        if T.self == JSONValue.self { return unsafeBitCast(value, to: T.self) }
        if LaxJSON.isPrimitive(T.self) { return try self.decodePrimitive(T.self, from: value, at: loc) }
        if let enumType = T.self as? any (CaseIterable & RawRepresentable).Type,
            let issue = Self.enumIssue(enumType, value: value)
        {
            self.record(issue, at: loc, input: value)
            return try self.placeholder(T.self)
        }
        let errorCount = self.errors.count
        do {
            let model = T.self as? any ModelDefinition.Type
            let result = try T(from: ModelDecoder(state: self, value: value, loc: loc, model: model))
            if let model, model.extraFields == .forbid, case .object(let members) = value {
                self.recordExtraKeys(of: model, in: members, at: loc)
            }
            return result
        } catch let error as PlaceholderUnavailable {
            throw error
        } catch {
            // The model's own init rejected the value (a custom validation): pydantic's value_error.
            if self.errors.count == errorCount {
                self.record(.valueError(Self.describe(error)), at: loc, input: value)
            }
            return try self.placeholder(T.self)
        }
    }

    /// A primitive other than the four ``decode(_:from:at:)`` reads itself. Its own function:
    /// the `Result<T, _>?` it holds costs a metadata request that containers and lists need not pay.
    @inline(never)
    private func decodePrimitive<T: Decodable>(_ type: T.Type, from value: JSONValue, at loc: [LocationComponent]) throws -> T {
        switch LaxJSON.primitive(T.self, from: value) {
        case .success(let result)?: return result
        case .failure(let issue)?:
            self.record(issue, at: loc, input: value)
            return try self.placeholder(T.self)
        case nil:
            preconditionFailure("LaxJSON.isPrimitive and LaxJSON.primitive disagree on \(T.self)")
        }
    }

    /// pydantic's `extra="forbid"`: each key that is no field's is an error at its location,
    /// after the fields' own errors, in the order of the input.
    private func recordExtraKeys(of model: any ModelDefinition.Type, in members: [(String, JSONValue)], at loc: [LocationComponent]) {
        guard let fields = model.modelFields else { return }
        for (key, value) in members where !fields.contains(where: { $0.key == key }) {
            self.record(.extraForbidden, at: loc + [.key(key)], input: value)
        }
    }

    /// A stand-in value of `type`, decoded from nothing without recording errors.
    func placeholder<T: Decodable>(_ type: T.Type) throws -> T {
        if let primitive = LaxJSON.placeholder(T.self) { return primitive }
        if let enumType = T.self as? any CaseIterable.Type, let first = Self.firstCase(enumType) as? T {
            return first
        }
        let muted = DecodingState()
        do {
            return try T(from: ModelDecoder(state: muted, value: nil, loc: []))
        } catch {
            throw PlaceholderUnavailable()
        }
    }

    private static func firstCase<E: CaseIterable>(_ type: E.Type) -> Any? { E.allCases.first }

    private static func enumIssue<E: CaseIterable & RawRepresentable>(_ type: E.Type, value: JSONValue) -> ValueIssue? {
        guard E.RawValue.self == String.self else { return nil }
        let rawValues = E.allCases.compactMap { $0.rawValue as? String }
        guard case .string(let text) = value else { return .enumeration(rawValues) }
        return rawValues.contains(text) ? nil : .enumeration(rawValues)
    }

    private static func describe(_ error: any Error) -> String {
        if let decodingError = error as? DecodingError {
            switch decodingError {
            case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
                .keyNotFound(_, let context):
                return context.debugDescription
            @unknown default:
                return String(describing: error)
            }
        }
        return String(describing: error)
    }
}

/// A `Decoder` over one JSON value. `value == nil` is the muted mode used for placeholders.
struct ModelDecoder: Decoder {
    let state: DecodingState
    let value: JSONValue?
    let loc: [LocationComponent]
    /// The model being decoded, whose fields may have constraints.
    var model: (any ModelDefinition.Type)?

    init(state: DecodingState, value: JSONValue?, loc: [LocationComponent], model: (any ModelDefinition.Type)? = nil) {
        self.state = state
        self.value = value
        self.loc = loc
        self.model = model
    }

    var codingPath: [any CodingKey] { codingPathFrom(self.loc) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let value = self.value else {
            return KeyedDecodingContainer(KeyedContainer<Key>(state: self.state, object: nil, members: [], loc: self.loc))
        }
        guard case .object(let members) = value else {
            let isDictionary = String(describing: Key.self).contains("DictionaryCodingKey")
            self.state.record(isDictionary ? .dictType : .modelAttributesType, at: self.loc, input: value)
            return KeyedDecodingContainer(KeyedContainer<Key>(state: self.state, object: nil, members: [], loc: self.loc))
        }
        return KeyedDecodingContainer(
            KeyedContainer<Key>(state: self.state, object: value, members: members, loc: self.loc, model: self.model))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let value = self.value else { return UnkeyedContainer(state: self.state, elements: [], loc: self.loc) }
        guard case .array(let elements) = value else {
            self.state.record(.listType, at: self.loc, input: value)
            return UnkeyedContainer(state: self.state, elements: [], loc: self.loc)
        }
        return UnkeyedContainer(state: self.state, elements: elements, loc: self.loc)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(state: self.state, value: self.value, loc: self.loc)
    }
}

func codingPathFrom(_ loc: [LocationComponent]) -> [any CodingKey] {
    loc.dropFirst().map { component -> any CodingKey in
        switch component {
        case .key(let key): return AnyCodingKey(stringValue: key)
        case .index(let index): return AnyCodingKey(intValue: index)
        }
    }
}

struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let state: DecodingState
    /// The object being decoded; `nil` when muted.
    let object: JSONValue?
    let members: [(String, JSONValue)]
    /// Each name's last position in `members`, for an object too big to search from the end
    /// for every field (a query model of 100 parameters: 100 lookups of 100 names).
    let positions: [String: Int]?
    let loc: [LocationComponent]
    var model: (any ModelDefinition.Type)?

    /// Objects with up to this many members are searched, bigger ones indexed.
    static var searchedMemberCount: Int { 16 }

    init(
        state: DecodingState, object: JSONValue?, members: [(String, JSONValue)], loc: [LocationComponent],
        model: (any ModelDefinition.Type)? = nil
    ) {
        self.state = state
        self.object = object
        self.members = members
        self.loc = loc
        self.model = model
        if members.count > Self.searchedMemberCount {
            var positions: [String: Int] = [:]
            positions.reserveCapacity(members.count)
            for (position, member) in members.enumerated() { positions[member.0] = position }
            self.positions = positions
        } else {
            self.positions = nil
        }
    }

    var codingPath: [any CodingKey] { codingPathFrom(self.loc) }
    var allKeys: [Key] { self.members.compactMap { Key(stringValue: $0.0) } }

    /// The member named by `key`; the last one when a name repeats, as Python's `json` does.
    private func member(_ key: Key) -> JSONValue? {
        let name = key.stringValue
        if let positions = self.positions {
            guard let position = positions[name] else { return nil }
            return self.members[position].1
        }
        for (memberName, value) in self.members.reversed() where memberName == name { return value }
        return nil
    }

    func contains(_ key: Key) -> Bool { self.member(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = self.member(key) else { return true }
        return value == .null
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let object = self.object else { return try self.state.placeholder(T.self) }
        guard let value = self.member(key) else {
            self.state.record(.missing, at: self.loc + [.key(key.stringValue)], input: object)
            return try self.state.placeholder(T.self)
        }
        return try self.decodeChecked(T.self, from: value, key: key)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard self.object != nil, let value = self.member(key), value != .null else { return nil }
        return try self.decodeChecked(T.self, from: value, key: key)
    }

    /// Decodes a member and checks the constraints the model declares for it.
    private func decodeChecked<T: Decodable>(_ type: T.Type, from value: JSONValue, key: Key) throws -> T {
        // The member's location, built only where it is used (an error, a nested container).
        func location() -> [LocationComponent] { self.loc + [.key(key.stringValue)] }
        guard let model = self.model else { return try self.state.decode(T.self, from: value, at: location()) }
        let errorCount = self.state.errors.count
        let result = try self.state.decode(T.self, from: value, at: location())
        let rules = model.constraints(ofKey: key.stringValue)
        guard !rules.isEmpty, self.state.errors.count == errorCount else { return result }
        if let issue = rules.firstIssue(forDecoded: result) { self.state.record(issue, at: location(), input: value) }
        return result
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try self.childDecoder(key).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try self.childDecoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        ModelDecoder(state: self.state, value: self.object, loc: self.loc)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder { self.childDecoder(key) }

    private func childDecoder(_ key: Key) -> ModelDecoder {
        guard self.object != nil else { return ModelDecoder(state: self.state, value: nil, loc: self.loc) }
        let childLoc = self.loc + [.key(key.stringValue)]
        guard let value = self.member(key) else {
            self.state.record(.missing, at: childLoc, input: self.object ?? .null)
            return ModelDecoder(state: self.state, value: nil, loc: childLoc)
        }
        return ModelDecoder(state: self.state, value: value, loc: childLoc)
    }
}

struct UnkeyedContainer: UnkeyedDecodingContainer {
    let state: DecodingState
    let elements: [JSONValue]
    let loc: [LocationComponent]
    var currentIndex = 0

    init(state: DecodingState, elements: [JSONValue], loc: [LocationComponent]) {
        self.state = state
        self.elements = elements
        self.loc = loc
    }

    var codingPath: [any CodingKey] { codingPathFrom(self.loc) }
    var count: Int? { self.elements.count }
    var isAtEnd: Bool { self.currentIndex >= self.elements.count }

    mutating func decodeNil() throws -> Bool {
        guard !self.isAtEnd else { return true }
        if self.elements[self.currentIndex] == .null {
            self.currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard !self.isAtEnd else { return try self.state.placeholder(T.self) }
        defer { self.currentIndex += 1 }
        return try self.state.decode(T.self, from: self.elements[self.currentIndex], at: self.loc + [.index(self.currentIndex)])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try self.nextDecoder().container(keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try self.nextDecoder().unkeyedContainer()
    }

    mutating func superDecoder() throws -> any Decoder { self.nextDecoder() }

    private mutating func nextDecoder() -> ModelDecoder {
        guard !self.isAtEnd else { return ModelDecoder(state: self.state, value: nil, loc: self.loc) }
        defer { self.currentIndex += 1 }
        return ModelDecoder(state: self.state, value: self.elements[self.currentIndex], loc: self.loc + [.index(self.currentIndex)])
    }
}

struct SingleValueContainer: SingleValueDecodingContainer {
    let state: DecodingState
    let value: JSONValue?
    let loc: [LocationComponent]

    var codingPath: [any CodingKey] { codingPathFrom(self.loc) }

    func decodeNil() -> Bool { self.value == nil || self.value == .null }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        guard let value = self.value else { return try self.state.placeholder(T.self) }
        return try self.state.decode(T.self, from: value, at: self.loc)
    }
}

extension [Constraint] {
    /// The first rule a decoded value breaks: a scalar's bounds, lengths and pattern, a list's
    /// item count; the value inside a ``Patchable`` or an optional is the one checked.
    package func firstIssue(forDecoded value: Any) -> ValueIssue? {
        let subject = (value as? any PatchableValue)?.presentValue ?? value
        if let scalar = subject as? any ParameterValue { return self.firstIssue(for: scalar.constraintSubject) }
        if let collection = subject as? any Collection { return self.firstListIssue(count: collection.count) }
        return nil
    }
}
