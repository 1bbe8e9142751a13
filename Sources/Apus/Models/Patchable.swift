/// A field of a PATCH body that tells apart what a client can mean: the key is absent
/// (leave the value alone), `null` (clear it), or a value (set it). Swift's `Optional` has two
/// states and pydantic's `Optional[str] = None` can't tell "absent" from "null" either
/// (fastapi#125); `Patchable` can.
///
/// `null` is accepted only where the value may be cleared: `Patchable<String?>` takes
/// absent, `null` (``null``) or a string; `Patchable<String>` takes absent or a string, and
/// `null` is a 422 (`string_type`), as it would be for the field it patches. The schema says
/// the same (`anyOf` with `null` only for the first), so a client generator and a fuzzer read
/// the truth.
///
/// In a ``Model(description:extra:keys:)`` type a `Patchable` field is never required (absent
/// is ``absent``), its `@Field` constraints apply to a value that is sent, and it is left out
/// when encoded as ``absent``: encoding a patch gives exactly the JSON merge patch (RFC 7396)
/// the client sent. Apply it with ``Swift/Decodable/applying(_:)``:
///
/// ```swift
/// @Model
/// struct ItemPatch {
///     @Field(.minLength(1)) var name: Patchable<String>   // cannot be cleared
///     var note: Patchable<String?>                        // null clears it
/// }
///
/// app.patch("/items/{id}", Path<Int>("id"), Body<ItemPatch>()) { id, patch async throws in
///     guard let item = try await store.item(id) else { throw HTTPError(.notFound, detail: "Item not found") }
///     return try item.applying(patch)
/// }
/// ```
public enum Patchable<Value> {
    /// The key is not in the body: keep the current value.
    case absent
    /// The key is `null`: clear the value (only when `Value` is an optional).
    case null
    /// The key has a value: set it.
    case value(Value)

    /// Whether the key was absent.
    public var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }

    /// The value, if one was sent.
    public var sentValue: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

extension Patchable: Sendable where Value: Sendable {}
extension Patchable: Equatable where Value: Equatable {}
extension Patchable: Hashable where Value: Hashable {}

extension Patchable: Decodable where Value: Decodable {
    /// `null` is ``null`` when `Value` is an optional; anything else (`null` included, for a
    /// value that cannot be cleared) decodes as the value. Absent keys never reach it: the
    /// containing model's decoder makes them ``absent``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if Value.self is any OptionalSchema.Type, container.decodeNil() {
            self = .null
        } else {
            self = .value(try container.decode(Value.self))
        }
    }
}

extension Patchable: Encodable where Value: Encodable {
    /// ``null`` and ``absent`` encode as `null` (a model leaves an absent field out instead).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .absent, .null: try container.encodeNil()
        case .value(let value): try container.encode(value)
        }
    }
}

extension Patchable: JSONSchemaProviding {
    /// The value's schema (with `null` when `Value` is an optional).
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue {
        components.schema(for: Value.self)
    }
}

/// Lets the decoder check a field's constraints on the value inside a ``Patchable``.
protocol PatchableValue {
    var presentValue: Any? { get }
}

extension Patchable: PatchableValue {
    var presentValue: Any? {
        guard case .value(let value) = self else { return nil }
        return (value as? any OptionalSchema).map { $0.wrappedValue } ?? value
    }
}

extension KeyedEncodingContainer {
    /// A ``Patchable`` field, left out when ``Patchable/absent`` (what `@Model` calls).
    @inlinable
    public mutating func encodePatchable<T: Encodable>(_ value: Patchable<T>, forKey key: Key) throws {
        if !value.isAbsent { try self.encode(value, forKey: key) }
    }
}
