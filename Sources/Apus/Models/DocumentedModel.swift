/// A model that adds documentation to the schema Apus derives from its `Decodable`
/// conformance: a description, and per field a title, description, default, examples and
/// constraints (pydantic's `Field(...)`). The field constraints are also enforced when a
/// request body is decoded: a violation is reported in the 422 like any other error.
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
public protocol DocumentedModel {
    /// The model's description (a Python docstring's role).
    static var schemaDescription: String? { get }
    /// Documentation of the fields, by coding key.
    static var fieldSchemas: [String: FieldSchema] { get }
}

extension DocumentedModel {
    public static var schemaDescription: String? { nil }
    public static var fieldSchemas: [String: FieldSchema] { [:] }
}

/// What the schema says of one field of a ``DocumentedModel``.
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
