public import Foundation

/// A type that states its own JSON Schema, used in the OpenAPI document wherever the type
/// appears (a parameter, a body, a response or a field of a model).
///
/// Apus derives the schema of `Codable` models by itself; conform to this protocol to
/// replace that derivation, for example for a type with a custom `Codable` representation:
///
/// ```swift
/// struct Cents: Codable, JSONSchemaProviding {
///     var value: Int
///     init(from decoder: any Decoder) throws { value = try decoder.singleValueContainer().decode(Int.self) }
///     static func jsonSchema(in components: SchemaComponents) -> JSONValue {
///         ["type": "integer", "minimum": 0, "description": "An amount in euro cents"]
///     }
/// }
/// ```
///
/// To name the schema as a component (`#/components/schemas/<name>`), return
/// `components.register(name) { ... }`.
public protocol JSONSchemaProviding {
    /// The type's schema; may register components in `components` and refer to them.
    static func jsonSchema(in components: SchemaComponents) -> JSONValue
}

extension String: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue { ["type": "string"] }
}

extension Substring: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue { ["type": "string"] }
}

extension Bool: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue { ["type": "boolean"] }
}

extension Double: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue { ["type": "number"] }
}

extension Float: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue { ["type": "number"] }
}

extension Decimal: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue { ["type": "number"] }
}

/// Every integer type is a JSON Schema `integer` that states its range: OpenAPI's
/// `format: int64` / `int32` for the signed 64- and 32-bit types, `minimum`/`maximum` for
/// the narrower ones (FastAPI's `int` is unbounded and says nothing; Apus rejects a value
/// that does not fit the Swift type, so its document says which values fit).
extension JSONSchemaProviding where Self: FixedWidthInteger {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue {
        switch (Self.bitWidth, Self.isSigned) {
        case (64, true): return ["type": "integer", "format": "int64"]
        case (64, false): return ["type": "integer", "format": "int64", "minimum": 0]
        case (32, true): return ["type": "integer", "format": "int32"]
        default:
            return ["type": "integer", "minimum": .int(Int64(Self.min)), "maximum": .int(Int64(Self.max))]
        }
    }
}

extension Int: JSONSchemaProviding {}
extension Int8: JSONSchemaProviding {}
extension Int16: JSONSchemaProviding {}
extension Int32: JSONSchemaProviding {}
extension Int64: JSONSchemaProviding {}
extension UInt: JSONSchemaProviding {}
extension UInt8: JSONSchemaProviding {}
extension UInt16: JSONSchemaProviding {}
extension UInt32: JSONSchemaProviding {}
extension UInt64: JSONSchemaProviding {}

extension UUID: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue { ["type": "string", "format": "uuid"] }
}

extension Date: JSONSchemaProviding {
    /// Apus reads and writes dates as ISO 8601 text, pydantic's `datetime`.
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue {
        ["type": "string", "format": "date-time"]
    }
}

extension URL: JSONSchemaProviding {
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue {
        ["type": "string", "format": "uri", "minLength": 1]
    }
}

extension JSONValue: JSONSchemaProviding {
    /// Any JSON value: the empty schema.
    public static func jsonSchema(in components: SchemaComponents) -> JSONValue { [:] }
}
