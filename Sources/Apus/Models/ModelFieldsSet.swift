/// Which fields of a decoded `@Model` value were in the request (pydantic's
/// `model_fields_set`), for ``ResponseExclusion/unset``. A value made in code has every
/// field set (Swift cannot tell which arguments of an initializer were defaults).
///
/// It never makes two values differ: `==` is always true and hashing adds nothing, so a
/// model's synthesized `Equatable` and `Hashable` compare the fields only.
public struct ModelFieldsSet: Sendable, Hashable {
    /// One bit per field, by declaration order; fields from the 65th on always count as set.
    var bits: UInt64
    /// Whether the bits say anything (`false`: made in code, every field set).
    var isKnown: Bool

    /// Every field set: a value made in code.
    public init() {
        self.bits = 0
        self.isKnown = false
    }

    /// The fields a decoder saw, starting with the required ones (`mask`, always there when decoding succeeds).
    public init(decoded mask: UInt64) {
        self.bits = mask
        self.isKnown = true
    }

    /// Marks the field at `index` (declaration order) as sent.
    public mutating func insert(_ index: Int) {
        if index < 64 { self.bits |= 1 << UInt64(index) }
    }

    /// Whether the field at `index` was sent (always, for a value made in code).
    public func contains(_ index: Int) -> Bool {
        !self.isKnown || index >= 64 || self.bits & (1 << UInt64(index)) != 0
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}

extension KeyedDecodingContainer {
    /// A field with a default, noting in `fieldsSet` whether the key was sent (`null` counts,
    /// as in pydantic): what `@Model` calls.
    @inlinable
    public func decodeField<Value: Decodable>(
        forKey key: Key, default defaultValue: @autoclosure () -> Value, at index: Int, into fieldsSet: inout ModelFieldsSet
    ) throws -> Value {
        try self.decodeSent(Value.self, forKey: key, at: index, into: &fieldsSet) ?? defaultValue()
    }

    /// An optional field (absent or `null` is the default), noting whether the key was sent: what `@Model` calls.
    @inlinable
    public func decodeOptionalField<Value: Decodable>(
        forKey key: Key, default defaultValue: @autoclosure () -> Value?, at index: Int, into fieldsSet: inout ModelFieldsSet
    ) throws -> Value? {
        try self.decodeSent(Value.self, forKey: key, at: index, into: &fieldsSet) ?? defaultValue()
    }

    /// The value if one was sent; marks the field set when its key is there, even as `null`.
    @inlinable
    func decodeSent<Value: Decodable>(_ type: Value.Type, forKey key: Key, at index: Int, into fieldsSet: inout ModelFieldsSet)
        throws -> Value?
    {
        if let value = try self.decodeIfPresent(Value.self, forKey: key) {
            fieldsSet.insert(index)
            return value
        }
        if self.contains(key) { fieldsSet.insert(index) }
        return nil
    }

    /// A ``Patchable`` field, noting whether the key was sent: what `@Model` calls.
    @inlinable
    public func decodePatchable<T: Decodable>(forKey key: Key, at index: Int, into fieldsSet: inout ModelFieldsSet) throws
        -> Patchable<T>
    {
        guard self.contains(key) else { return .absent }
        fieldsSet.insert(index)
        return try self.decode(Patchable<T>.self, forKey: key)
    }
}
