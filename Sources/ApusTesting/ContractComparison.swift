import Apus

/// Walks two OpenAPI documents side by side and lists what changed for clients.
struct ContractComparison {
    let old: JSONValue
    let new: JSONValue

    func changes() -> [APIChange] {
        var changes: [APIChange] = []
        let oldOperations = Self.operations(self.old)
        let newOperations = Self.operations(self.new)
        for (name, oldOperation) in oldOperations {
            guard let newOperation = newOperations.first(where: { $0.name == name })?.operation else {
                changes.append(APIChange(operation: name, message: "operation removed", isBreaking: true))
                continue
            }
            var context = OperationContext(name: name, old: self.old, new: self.new)
            context.compareParameters(oldOperation["parameters"], newOperation["parameters"])
            context.compareRequestBody(oldOperation["requestBody"], newOperation["requestBody"])
            context.compareResponses(oldOperation["responses"], newOperation["responses"])
            changes += context.changes
        }
        for (name, _) in newOperations where !oldOperations.contains(where: { $0.name == name }) {
            changes.append(APIChange(operation: name, message: "new operation", isBreaking: false))
        }
        return changes
    }

    /// Every operation as `METHOD /path`, in document order.
    static func operations(_ document: JSONValue) -> [(name: String, operation: JSONValue)] {
        guard case .object(let paths)? = document["paths"] else { return [] }
        return paths.flatMap { path, item -> [(name: String, operation: JSONValue)] in
            guard case .object(let operations) = item else { return [] }
            return operations.map { ("\($0.0.uppercased()) \(path)", $0.1) }
        }
    }
}

/// The comparison of one operation.
struct OperationContext {
    let name: String
    let old: JSONValue
    let new: JSONValue
    var changes: [APIChange] = []

    mutating func report(_ message: String, breaking: Bool) {
        self.changes.append(APIChange(operation: self.name, message: message, isBreaking: breaking))
    }

    // MARK: Parameters

    mutating func compareParameters(_ old: JSONValue?, _ new: JSONValue?) {
        let oldParameters = Self.parameters(old)
        let newParameters = Self.parameters(new)
        for (key, newParameter) in newParameters {
            let required = newParameter["required"] == true
            guard let oldParameter = oldParameters.first(where: { $0.key == key })?.parameter else {
                self.report(required ? "new required \(key)" : "new optional \(key)", breaking: required)
                continue
            }
            if required && oldParameter["required"] != true { self.report("\(key) is now required", breaking: true) }
            self.compareAccepted(
                oldParameter["schema"] ?? [:], newParameter["schema"] ?? [:], what: key, depth: 0)
        }
        for (key, _) in oldParameters where !newParameters.contains(where: { $0.key == key }) {
            self.report("\(key) removed (clients still sending it are ignored)", breaking: false)
        }
    }

    static func parameters(_ list: JSONValue?) -> [(key: String, parameter: JSONValue)] {
        guard case .array(let parameters)? = list else { return [] }
        return parameters.compactMap { parameter in
            guard case .string(let name)? = parameter["name"], case .string(let location)? = parameter["in"] else { return nil }
            return ("\(location) parameter \"\(name)\"", parameter)
        }
    }

    // MARK: Request body

    mutating func compareRequestBody(_ old: JSONValue?, _ new: JSONValue?) {
        guard let new else {
            if old != nil { self.report("request body removed", breaking: false) }
            return
        }
        let required = new["required"] == true
        guard let old else {
            self.report(required ? "new required request body" : "new optional request body", breaking: required)
            return
        }
        if required && old["required"] != true { self.report("the request body is now required", breaking: true) }
        guard let oldSchema = Self.firstContentSchema(old), let newSchema = Self.firstContentSchema(new) else { return }
        self.compareAccepted(oldSchema, newSchema, what: "request body", depth: 0)
    }

    /// A schema of values the server accepts: it must still accept what it accepted.
    mutating func compareAccepted(_ oldSchema: JSONValue, _ newSchema: JSONValue, what: String, depth: Int) {
        guard depth < 16 else { return }
        let old = SchemaView(self.old, oldSchema)
        let new = SchemaView(self.new, newSchema)
        if old.typeName != new.typeName && !new.isAny {
            self.report("\(what): type changed from \(old.typeName) to \(new.typeName)", breaking: true)
            return
        }
        if old.isNullable && !new.isNullable { self.report("\(what): null is no longer accepted", breaking: true) }
        for value in old.enumValues where !new.enumValues.isEmpty && !new.enumValues.contains(value) {
            self.report("\(what): the value \(value.jsonString) is no longer accepted", breaking: true)
        }
        for (field, newField) in new.properties {
            let fieldName = "\(what) field \"\(field)\""
            guard let oldField = old.properties.first(where: { $0.0 == field })?.1 else {
                let required = new.required.contains(field)
                self.report(required ? "new required \(fieldName)" : "new optional \(fieldName)", breaking: required)
                continue
            }
            if new.required.contains(field) && !old.required.contains(field) {
                self.report("\(fieldName) is now required", breaking: true)
            }
            self.compareAccepted(oldField, newField, what: fieldName, depth: depth + 1)
        }
        if let oldItems = old.items, let newItems = new.items {
            self.compareAccepted(oldItems, newItems, what: "\(what) items", depth: depth + 1)
        }
    }

    // MARK: Responses

    mutating func compareResponses(_ old: JSONValue?, _ new: JSONValue?) {
        guard case .object(let oldResponses)? = old else { return }
        for (code, oldResponse) in oldResponses where code.hasPrefix("2") {
            guard let newResponse = new?[code] else {
                self.report("no longer answers \(code)", breaking: true)
                continue
            }
            guard let oldSchema = Self.firstContentSchema(oldResponse) else { continue }
            guard let newSchema = Self.firstContentSchema(newResponse) else {
                self.report("response \(code) no longer has a body", breaking: true)
                continue
            }
            self.compareReturned(oldSchema, newSchema, what: "response \(code)", depth: 0)
        }
    }

    /// A schema of values the server returns: everything a client could read must still be there.
    mutating func compareReturned(_ oldSchema: JSONValue, _ newSchema: JSONValue, what: String, depth: Int) {
        guard depth < 16 else { return }
        let old = SchemaView(self.old, oldSchema)
        let new = SchemaView(self.new, newSchema)
        if old.typeName != new.typeName && !old.isAny {
            self.report("\(what): type changed from \(old.typeName) to \(new.typeName)", breaking: true)
            return
        }
        if new.isNullable && !old.isNullable { self.report("\(what) may now be null", breaking: true) }
        for (field, oldField) in old.properties {
            let fieldName = "\(what) field \"\(field)\""
            guard let newField = new.properties.first(where: { $0.0 == field })?.1 else {
                self.report("\(fieldName) removed", breaking: true)
                continue
            }
            if old.required.contains(field) && !new.required.contains(field) {
                self.report("\(fieldName) may now be absent", breaking: true)
            }
            self.compareReturned(oldField, newField, what: fieldName, depth: depth + 1)
        }
        for (field, _) in new.properties where !old.properties.contains(where: { $0.0 == field }) {
            self.report("new \(what) field \"\(field)\"", breaking: false)
        }
        if let oldItems = old.items, let newItems = new.items {
            self.compareReturned(oldItems, newItems, what: "\(what) items", depth: depth + 1)
        }
    }

    static func firstContentSchema(_ object: JSONValue) -> JSONValue? {
        guard case .object(let content)? = object["content"], let first = content.first else { return nil }
        return first.1["schema"]
    }
}

/// A schema with its `$ref` resolved and `anyOf: [T, null]` unwrapped.
struct SchemaView {
    let schema: JSONValue
    let isNullable: Bool
    /// The component name when the schema was a reference.
    let reference: String?

    init(_ document: JSONValue, _ schema: JSONValue) {
        var schema = schema
        var nullable = false
        if case .array(let branches)? = schema["anyOf"] {
            let nonNull = branches.filter { $0 != ["type": "null"] }
            nullable = nonNull.count < branches.count
            if nonNull.count == 1 { schema = nonNull[0] }
        }
        var reference: String?
        if case .string(let ref)? = schema["$ref"], let name = ref.split(separator: "/").last.map(String.init) {
            reference = name
            schema = document["components"]?["schemas"]?[name] ?? [:]
        }
        self.schema = schema
        self.isNullable = nullable
        self.reference = reference
    }

    var isAny: Bool { self.schema == [:] }

    /// The type in words: `integer`, `string (uuid)`, `array`, `object`, `Item`.
    var typeName: String {
        if case .array(let branches)? = self.schema["anyOf"] {
            return branches.map { SchemaView(.null, $0).typeName }.joined(separator: " or ")
        }
        guard case .string(let type)? = self.schema["type"] else { return self.isAny ? "any" : "object" }
        if case .string(let format)? = self.schema["format"], format != "int64", format != "int32" { return "\(type) (\(format))" }
        return type
    }

    var properties: [(String, JSONValue)] {
        guard case .object(let members)? = self.schema["properties"] else { return [] }
        return members
    }

    var required: [String] {
        guard case .array(let names)? = self.schema["required"] else { return [] }
        return names.compactMap { if case .string(let name) = $0 { name } else { nil } }
    }

    var items: JSONValue? { self.schema["items"] }

    var enumValues: [JSONValue] {
        guard case .array(let values)? = self.schema["enum"] else { return [] }
        return values
    }
}
