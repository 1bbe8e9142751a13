/// Makes a struct a model as pydantic's `BaseModel` is one: its `Codable` conformance is
/// written from the declaration, so that a field with a default may be absent (it takes the
/// default, and the JSON Schema shows it), a field is named on the wire by `@Field(alias:)` or
/// `keys: .snakeCase`, and each `@Field`'s description, title, examples, deprecation and
/// constraints go to the schema and are enforced when a request body is decoded (every error
/// in one 422). Also `Sendable` and ``ModelDefinition``: the schema is written from the
/// declaration (no decoder runs to find it), and the type can be a parameter model
/// (`Query<Filters>()`).
///
/// Options: `extra: .forbid` answers a key that is no field's with `extra_forbidden`
/// (pydantic's `extra="forbid"`, schema `additionalProperties: false`); `keys: .snakeCase`
/// names `itemID` `item_id` on the wire. A ``Patchable`` field tells absent from `null`.
///
/// ```swift
/// @Model(description: "An item for sale.")
/// struct Item {
///     @Field(description: "Shown to customers", .minLength(1), .maxLength(80)) var name: String
///     @Field(.greaterThan(0), examples: [9.99]) var price: Double
///     var tags: [String] = []                  // absent -> []
///     var description: String? = nil           // absent or null -> nil
///     @Field(alias: "item-id") var itemID: Int // "item-id" on the wire
/// }
/// ```
///
/// Mistakes are compile errors at the field: a constraint that does not fit its type
/// (`.maxLength` on a `Double`), two fields with one wire name, a `let` with a default (which
/// decoding could not set), a field without a written type, `@Field` on a computed property.
@attached(member, names: named(_fieldsSet))
@attached(
    extension, conformances: Codable, Sendable, ModelDefinition,
    names: named(CodingKeys), named(init(from:)), named(encode(to:)), named(schemaDescription), named(extraFields),
    named(modelFields), named(modelFieldsSet))
public macro Model(description: String? = nil, extra: ExtraFields = .ignore, keys: ModelKeys = .swiftNames) =
    #externalMacro(module: "ApusMacros", type: "ModelMacro")

/// Describes a field of a ``Model(description:extra:keys:)`` type (pydantic's `Field(...)`): its
/// title, description, wire name (`alias`), constraints, examples and deprecation.
@attached(peer)
public macro Field(
    title: String? = nil, description: String? = nil, alias: String? = nil, _ constraints: Constraint...,
    examples: [JSONValue] = [], deprecated: Bool = false
) = #externalMacro(module: "ApusMacros", type: "FieldMacro")

/// How the fields of a ``Model(description:extra:keys:)`` type are named on the wire.
public enum ModelKeys: Sendable {
    /// As in Swift (`itemID`).
    case swiftNames
    /// In snake case (`item_id`), pydantic's `alias_generator=to_snake`.
    case snakeCase
}

extension FieldSchema {
    /// The default of the field `property` leads to, as JSON (the macro's call: the property
    /// gives the literal its type).
    public static func encodedDefault<Model, Value: Encodable>(of property: KeyPath<Model, Value>, _ value: Value) -> JSONValue? {
        Self.encodedDefault(value)
    }

    /// A field's default as the JSON its schema shows (what `@Model` writes); `nil` when it
    /// does not encode, and for a `nil` default, which FastAPI's schemas leave out.
    public static func encodedDefault<T: Encodable>(_ value: T) -> JSONValue? {
        guard let bytes = try? JSONModelEncoder.encode(value), let json = try? JSONParser.parse(bytes), json != .null else {
            return nil
        }
        return json
    }
}

extension KeyedDecodingContainer {
    /// A required field, of the type the assignment expects (what `@Model` calls).
    @inlinable
    public func decodeField<Value: Decodable>(forKey key: Key) throws -> Value {
        try self.decode(Value.self, forKey: key)
    }
}
