/// A field of a PATCH body that tells apart the three things a client can mean: the key is
/// absent (leave the value alone), `null` (clear it), or a value (set it). Swift's `Optional`
/// has two states and pydantic's `Optional[str] = None` can't tell "absent" from "null"
/// either (fastapi#125); `Patchable` can.
///
/// In a ``Model(description:extra:keys:)`` type a `Patchable` field is never required (absent
/// is ``absent``), it is documented as its value's schema or `null`, its `@Field` constraints
/// apply to a value that is present, and it is left out when encoded as ``absent``: encoding
/// a patch gives exactly the JSON merge patch (RFC 7396) the client sent. Apply it with
/// ``Swift/Decodable/applying(_:)``:
///
/// ```swift
/// @Model
/// struct ItemPatch {
///     @Field(.minLength(1)) var name: Patchable<String>
///     var description: Patchable<String>
/// }
///
/// app.patch("/items/{id}", Path<Int>("id"), Body<ItemPatch>()) { id, patch async throws in
///     try items[id, default: Item(name: "New")].applying(patch)
/// }
/// ```
public enum Patchable<Value> {
    /// The key is not in the body: keep the current value.
    case absent
    /// The key is `null`: clear the value.
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
    /// `null` is ``null``, anything else decodes as the value (absent keys never reach it: the
    /// containing model's decoder makes them ``absent``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .null : .value(try container.decode(Value.self))
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
    /// The value's schema or `null`, as pydantic documents `Optional[T] = None`.
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue {
        ["anyOf": [components.schema(for: Value.self), ["type": "null"]]]
    }
}

/// Lets the decoder check a field's constraints on the value inside a ``Patchable``.
protocol PatchableValue {
    var presentValue: Any? { get }
}

extension Patchable: PatchableValue {
    var presentValue: Any? { self.sentValue }
}

extension KeyedEncodingContainer {
    /// A ``Patchable`` field, left out when ``Patchable/absent`` (what `@Model` calls).
    @inlinable
    public mutating func encodePatchable<T: Encodable>(_ value: Patchable<T>, forKey key: Key) throws {
        if !value.isAbsent { try self.encode(value, forKey: key) }
    }
}
