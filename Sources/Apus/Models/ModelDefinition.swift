/// What a ``Model(description:extra:keys:)`` type states about itself, written by the macro:
/// its fields in declaration order (wire name, Swift type, whether required, documentation,
/// default and constraints), its description and what it does with unknown keys. Apus reads
/// it to validate request bodies and parameter models, and to write the JSON Schema without
/// running the decoder.
///
/// You do not conform to it by hand; use `@Model`. (Plain `Codable` types get their schema
/// from a recording decoder instead.)
public protocol ModelDefinition {
    /// The model's description (a Python docstring's role).
    static var schemaDescription: String? { get }
    /// The fields in declaration order; `nil` for a type that only documents some fields
    /// (a ``DocumentedModel``), whose schema is then recorded from its decoder.
    static var modelFields: [ModelField]? { get }
    /// Documentation of the fields, by wire name.
    static var fieldSchemas: [String: FieldSchema] { get }
    /// What decoding does with keys that are no field's (pydantic's `extra`).
    static var extraFields: ExtraFields { get }
    /// Which fields a decoded value's request sent (every field for a value made in code).
    var modelFieldsSet: ModelFieldsSet { get }
}

extension ModelDefinition {
    public static var schemaDescription: String? { nil }
    public static var modelFields: [ModelField]? { nil }
    public static var fieldSchemas: [String: FieldSchema] {
        guard let fields = Self.modelFields else { return [:] }
        return Dictionary(fields.map { ($0.key, $0.schema) }, uniquingKeysWith: { first, _ in first })
    }
    public static var extraFields: ExtraFields { .ignore }
    public var modelFieldsSet: ModelFieldsSet { ModelFieldsSet() }
}

/// One stored property of a ``ModelDefinition`` type, as `@Model` describes it.
public struct ModelField: Sendable {
    /// The Swift name (`itemID`).
    public var name: String
    /// The name on the wire (`item_id`, or the alias).
    public var key: String
    /// The declared type (`[String]`, `Int?`).
    public var type: any Any.Type
    /// Whether a request without the key fails validation (no default, not optional).
    public var isRequired: Bool
    /// Title, description, default, examples, deprecation and constraints.
    public var schema: FieldSchema

    /// Describes a field.
    public init(_ name: String, key: String, type: any Any.Type, isRequired: Bool, schema: FieldSchema = FieldSchema()) {
        self.name = name
        self.key = key
        self.type = type
        self.isRequired = isRequired
        self.schema = schema
    }

    /// Describes the field `property` leads to, of the property's type (the macro's call: it
    /// never has to write the type, which a top-level extension could not always name).
    public init<Model, Value>(
        _ name: String, key: String, of property: KeyPath<Model, Value>, isRequired: Bool, schema: FieldSchema = FieldSchema()
    ) {
        self.init(name, key: key, type: Value.self, isRequired: isRequired, schema: schema)
    }
}

/// What decoding a ``Model(description:extra:keys:)`` type does with a key that is no field's.
public enum ExtraFields: Sendable {
    /// Leaves it out (pydantic's default, `extra="ignore"`).
    case ignore
    /// Answers `extra_forbidden` at the key's location; the schema says `additionalProperties: false`.
    case forbid
}

extension ModelDefinition {
    /// The constraints of the field named `key` on the wire.
    static func constraints(ofKey key: String) -> [Constraint] {
        if let fields = Self.modelFields {
            for field in fields where field.key == key { return field.schema.constraints }
            return []
        }
        return Self.fieldSchemas[key]?.constraints ?? []
    }
}
