/// A plain `Codable` type that adds documentation to the schema Apus records from its
/// decoder: a description, and per field a title, description, default, examples and
/// constraints (pydantic's `Field(...)`). The constraints are also enforced when a request
/// body is decoded.
///
/// Deprecated: declare the type with ``Model(description:extra:keys:)`` and ``Field(title:description:alias:_:examples:deprecated:)``,
/// which key the documentation by the fields themselves (a typo is a compile error, not an
/// ignored entry) and write the `Codable` conformance with defaults. `DocumentedModel` keeps
/// working for types that keep a hand-written `Codable` conformance.
///
/// ```swift
/// struct Offer: Codable, Sendable, DocumentedModel {
///     var title: String
///     var discount: Double
///     static let schemaDescription: String? = "A discounted bundle of items."
///     static let fieldSchemas: [String: FieldSchema] = [
///         "title": FieldSchema(description: "Shown to customers", .maxLength(80)),
///         "discount": FieldSchema(.greaterThan(0), .lessThanOrEqual(0.5)),
///     ]
/// }
/// ```
@available(*, deprecated, message: "declare the type with @Model and its fields with @Field")
public protocol DocumentedModel: ModelDefinition {}

/// What the schema says of one field of a model: `@Field`'s arguments, or an entry of a
/// ``ModelDefinition/fieldSchemas``.
public struct FieldSchema: Sendable {
    /// Replaces the title derived from the field's name.
    public var title: String?
    /// The field's description.
    public var description: String?
    /// The default the model's decoder uses when the field is absent (shown as `default`).
    public var defaultValue: JSONValue?
    /// Example values.
    public var examples: [JSONValue]
    /// Marks the field deprecated.
    public var deprecated: Bool
    /// Validation rules, in the schema and enforced when decoding a request body.
    public var constraints: [Constraint]

    /// Documents a field.
    public init(
        title: String? = nil, description: String? = nil, default defaultValue: JSONValue? = nil, examples: [JSONValue] = [],
        deprecated: Bool = false, _ constraints: Constraint...
    ) {
        self.title = title
        self.description = description
        self.defaultValue = defaultValue
        self.examples = examples
        self.deprecated = deprecated
        self.constraints = constraints
    }
}
