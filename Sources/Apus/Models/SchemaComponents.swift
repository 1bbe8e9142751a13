/// The named schemas of an OpenAPI document (`components.schemas`), collected while the
/// document is built, and the way from a Swift type to its JSON Schema.
///
/// How a type's schema is found, first match wins:
/// 1. the type conforms to ``JSONSchemaProviding``: its own schema;
/// 2. `Optional<T>`: `anyOf: [T, {"type": "null"}]`; arrays and sets: `type: array` with
///    `items`; dictionaries with `String` keys: `type: object` with `additionalProperties`;
/// 3. a `CaseIterable` enum with `String` or integer raw values: a component with `enum`;
/// 4. any other `Decodable` type: a component derived by decoding the type once from a
///    recording decoder (see ``DocumentedModel`` to add descriptions, defaults and constraints);
/// 5. anything else (an `Encodable`-only type, an existential): the empty schema `{}`.
///
/// Built during start-up only, on one thread: not `Sendable`.
public final class SchemaComponents {
    /// Component schemas by name.
    private(set) var schemas: [String: JSONValue] = [:]
    /// Component names whose schema is being derived (for recursive types).
    private var inProgress: Set<String> = []

    package init() {}

    /// The schema of `type` (see the type's documentation for the rules).
    public func schema(for type: Any.Type) -> JSONValue {
        if let provider = type as? any JSONSchemaProviding.Type { return provider.jsonSchema(in: self) }
        if let optional = type as? any OptionalSchema.Type {
            return ["anyOf": [self.schema(for: optional.wrappedType), ["type": "null"]]]
        }
        if let array = type as? any ArraySchema.Type {
            var schema: JSONValue = ["type": "array", "items": self.schema(for: array.elementType)]
            if array.uniqueItems { schema.set("uniqueItems", true) }
            return schema
        }
        if let dictionary = type as? any DictionarySchema.Type {
            return ["type": "object", "additionalProperties": self.schema(for: dictionary.valueType)]
        }
        if let enumeration = type as? any CaseIterable.Type, let values = Self.rawValues(of: enumeration) {
            return self.register(Self.componentName(of: type)) {
                let kind: JSONValue = values.allSatisfy { if case .string = $0 { true } else { false } } ? "string" : "integer"
                return ["enum": .array(values), "title": .string(Self.componentName(of: type)), "type": kind]
            }
        }
        if let model = type as? any Decodable.Type {
            return self.modelSchema(model)
        }
        return [:]
    }

    /// Registers the schema `make` returns under `name` (once) and returns a `$ref` to it.
    /// A type that refers to itself gets the `$ref` while its schema is being made.
    public func register(_ name: String, _ make: () -> JSONValue) -> JSONValue {
        let reference: JSONValue = ["$ref": .string("#/components/schemas/\(name)")]
        if self.schemas[name] != nil || self.inProgress.contains(name) { return reference }
        self.inProgress.insert(name)
        let schema = make()
        self.inProgress.remove(name)
        self.schemas[name] = schema
        return reference
    }

    /// Adds a component schema under `name`, replacing any earlier one.
    package func set(_ name: String, _ schema: JSONValue) {
        self.schemas[name] = schema
    }

    /// The components sorted by name, as FastAPI writes them.
    package var sortedSchemas: JSONValue {
        .object(self.schemas.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    /// A type's component name: its Swift name, with characters other than letters,
    /// digits, `.`, `-` and `_` replaced by `_` (`Page<Item>` -> `Page_Item_`).
    static func componentName(of type: Any.Type) -> String {
        let name = String(describing: type)
        return String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { scalar in
                    scalar.properties.isAlphabetic || scalar.properties.numericType != nil || "._-".unicodeScalars.contains(scalar)
                        ? scalar : "_"
                }))
    }

    private static func rawValues(of type: any CaseIterable.Type) -> [JSONValue]? {
        func values<E: CaseIterable>(_ type: E.Type) -> [JSONValue]? {
            var result: [JSONValue] = []
            for value in E.allCases {
                guard let raw = value as? any RawRepresentable else { return nil }
                switch raw.rawValue {
                case let string as String: result.append(.string(string))
                case let int as Int: result.append(.int(Int64(int)))
                default: return nil
                }
            }
            return result
        }
        return values(type)
    }
}

extension JSONValue {
    /// Sets the member `key` of an object (replacing an existing one); no effect on other values.
    package mutating func set(_ key: String, _ value: JSONValue) {
        guard case .object(var members) = self else { return }
        if let index = members.firstIndex(where: { $0.0 == key }) {
            members[index].1 = value
        } else {
            members.append((key, value))
        }
        self = .object(members)
    }

    /// Whether this is a schema that only refers to a component (`{"$ref": ...}`).
    var isReference: Bool { self["$ref"] != nil }

    /// Whether this is a reference, or `anyOf` a reference and `null` (pydantic gives neither a title).
    var isReferenceOrNullableReference: Bool {
        if self.isReference { return true }
        guard case .array(let branches)? = self["anyOf"] else { return false }
        return branches.contains { $0.isReference }
    }
}

/// `Optional` exposes its wrapped type to the schema derivation.
protocol OptionalSchema {
    static var wrappedType: Any.Type { get }
    var wrappedValue: Any? { get }
}
extension Optional: OptionalSchema {
    static var wrappedType: Any.Type { Wrapped.self }
    var wrappedValue: Any? { self.map { $0 } }
}

/// Arrays and sets expose their element type to the schema derivation.
protocol ArraySchema {
    static var elementType: Any.Type { get }
    static var uniqueItems: Bool { get }
}
extension Array: ArraySchema {
    static var elementType: Any.Type { Element.self }
    static var uniqueItems: Bool { false }
}
extension Set: ArraySchema {
    static var elementType: Any.Type { Element.self }
    static var uniqueItems: Bool { true }
}

/// Dictionaries with `String` keys expose their value type to the schema derivation.
protocol DictionarySchema { static var valueType: Any.Type { get } }
extension Dictionary: DictionarySchema where Key == String { static var valueType: Any.Type { Value.self } }
