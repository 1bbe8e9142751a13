/// Derives a model's schema from its `Decodable` conformance: the model is decoded once
/// from a decoder that hands out placeholder values and records what was asked for, in
/// order: each key with its type, and whether it was read with `decodeIfPresent` (an
/// optional field) or `decode` (a required one).
///
/// Limits: a model whose `init(from:)` rejects the placeholders (zero, empty string, first
/// enum case...) cannot be walked and gets a plain `{"type": "object"}`; fields read only
/// on some paths of a custom `init(from:)` are missed. Conform to ``JSONSchemaProviding``
/// for such types.
extension SchemaComponents {
    func modelSchema(_ type: any Decodable.Type) -> JSONValue {
        let name = Self.componentName(of: type)
        if let model = type as? any ModelDefinition.Type, let fields = model.modelFields {
            return self.register(name) { self.declaredSchema(model, fields: fields, name: name) }
        }
        return self.register(name) { self.recordedSchema(type, name: name) }
    }

    private func recordedSchema(_ type: any Decodable.Type, name: String) -> JSONValue {
        let recorder = FieldRecorder()
        do {
            _ = try type.init(from: SchemaRecordingDecoder(recorder: recorder))
        } catch {
            return ["title": .string(name), "type": "object"]
        }
        let documentation = type as? any ModelDefinition.Type
        switch recorder.shape {
        case .single(let valueType):
            var schema = self.schema(for: valueType)
            schema.set("title", .string(name))
            return schema
        case .list(let elementType):
            return ["items": self.schema(for: elementType), "title": .string(name), "type": "array"]
        case .object, .none:
            break
        }
        let fieldSchemas = documentation?.fieldSchemas ?? [:]
        var properties: [(String, JSONValue)] = []
        var required: [JSONValue] = []
        for field in recorder.fields where !properties.contains(where: { $0.0 == field.name }) {
            let documented = fieldSchemas[field.name]
            var schema = self.schema(for: field.type)
            schema.apply(documented?.constraints ?? [], bounds: .float)
            let nullable = !field.required && documented?.defaultValue == nil && schema["anyOf"] == nil
            if nullable { schema = ["anyOf": [schema, ["type": "null"]]] }
            if let documented { schema.apply(documented) }
            if documented?.title != nil || !schema.isReferenceOrNullableReference {
                schema.set("title", .string(documented?.title ?? PythonNaming.humanTitle(field.name)))
            }
            properties.append((field.name, schema))
            if field.required { required.append(.string(field.name)) }
        }
        var schema = JSONValue.objectSchema(properties: properties, required: required, title: name)
        if let description = documentation?.schemaDescription { schema.set("description", .string(description)) }
        return schema
    }
}

extension JSONValue {
    /// An object schema as pydantic writes a model: properties, the required names (omitted when none), title, type.
    static func objectSchema(properties: [(String, JSONValue)], required: [JSONValue], title: String) -> JSONValue {
        var schema: JSONValue = ["properties": .object(properties)]
        if !required.isEmpty { schema.set("required", .array(required)) }
        schema.set("title", .string(title))
        schema.set("type", "object")
        return schema
    }

    /// Adds constraints to a schema: to the non-null branch of an `anyOf`, to the items of an
    /// array (except the item counts), else to the schema itself.
    mutating func apply(_ constraints: [Constraint], bounds: SchemaBounds) {
        guard !constraints.isEmpty else { return }
        if case .array(var branches)? = self["anyOf"], let index = branches.firstIndex(where: { $0 != ["type": "null"] }) {
            branches[index].apply(constraints, bounds: bounds)
            self.set("anyOf", .array(branches))
            return
        }
        let isArray = self["type"] == "array"
        var items = self["items"]
        for constraint in constraints {
            let (key, value) = constraint.schemaMember(bounds: bounds)
            if isArray && !constraint.isItemCount {
                items?.set(key, value)
            } else {
                self.set(key, value)
            }
        }
        if isArray, let items { self.set("items", items) }
    }

    /// Adds a field's description, default, examples and deprecation.
    mutating func apply(_ field: FieldSchema) {
        if let description = field.description { self.set("description", .string(description)) }
        if let defaultValue = field.defaultValue, defaultValue != .null { self.set("default", defaultValue) }
        if !field.examples.isEmpty { self.set("examples", .array(field.examples)) }
        if field.deprecated { self.set("deprecated", true) }
    }
}

/// What a model's `init(from:)` asked the recording decoder for.
final class FieldRecorder {
    enum Shape {
        case object
        case single(Any.Type)
        case list(Any.Type)
    }

    struct Field {
        var name: String
        var type: Any.Type
        var required: Bool
    }

    var shape: Shape?
    var fields: [Field] = []
    /// Keys probed with `contains` or `decodeNil` before being read: optional fields.
    var probedKeys: Set<String> = []

    func record(_ name: String, _ type: Any.Type, required: Bool) {
        self.fields.append(Field(name: name, type: type, required: required && !self.probedKeys.contains(name)))
    }
}

/// The decoder of ``SchemaComponents/modelSchema(_:)``; values it returns are placeholders.
struct SchemaRecordingDecoder: Decoder {
    let recorder: FieldRecorder
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if self.recorder.shape == nil { self.recorder.shape = .object }
        return KeyedDecodingContainer(RecordingKeyedContainer<Key>(recorder: self.recorder))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RecordingUnkeyedContainer(recorder: self.recorder)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        RecordingSingleValueContainer(recorder: self.recorder)
    }
}

/// A placeholder of `type`, made without recording anything.
private func placeholder<T: Decodable>(_ type: T.Type) throws -> T {
    try DecodingState().placeholder(T.self)
}

struct RecordingKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: FieldRecorder
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    func contains(_ key: Key) -> Bool {
        self.recorder.probedKeys.insert(key.stringValue)
        return true
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        self.recorder.probedKeys.insert(key.stringValue)
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        self.recorder.record(key.stringValue, T.self, required: true)
        return try placeholder(T.self)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        self.recorder.record(key.stringValue, T.self, required: false)
        return nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        self.recorder.record(key.stringValue, JSONValue.self, required: true)
        return KeyedDecodingContainer(RecordingKeyedContainer<NestedKey>(recorder: FieldRecorder()))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        self.recorder.record(key.stringValue, [JSONValue].self, required: true)
        return RecordingUnkeyedContainer(recorder: FieldRecorder())
    }

    func superDecoder() throws -> any Decoder { SchemaRecordingDecoder(recorder: self.recorder) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        self.recorder.record(key.stringValue, JSONValue.self, required: true)
        return SchemaRecordingDecoder(recorder: FieldRecorder())
    }
}

/// A list of one placeholder, whose element type is recorded from the first `decode`.
struct RecordingUnkeyedContainer: UnkeyedDecodingContainer {
    let recorder: FieldRecorder
    var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var count: Int? { nil }
    var isAtEnd: Bool { self.currentIndex > 0 }

    init(recorder: FieldRecorder) {
        self.recorder = recorder
        if recorder.shape == nil { recorder.shape = .list(JSONValue.self) }
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if self.currentIndex == 0, case .list? = self.recorder.shape { self.recorder.shape = .list(T.self) }
        self.currentIndex += 1
        return try placeholder(T.self)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        KeyedDecodingContainer(RecordingKeyedContainer<NestedKey>(recorder: FieldRecorder()))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        RecordingUnkeyedContainer(recorder: FieldRecorder())
    }

    mutating func superDecoder() throws -> any Decoder { SchemaRecordingDecoder(recorder: FieldRecorder()) }
}

struct RecordingSingleValueContainer: SingleValueDecodingContainer {
    let recorder: FieldRecorder
    var codingPath: [any CodingKey] { [] }

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if self.recorder.shape == nil { self.recorder.shape = .single(T.self) }
        return try placeholder(T.self)
    }
}
