extension SchemaComponents {
    /// The schema of a `@Model` type, from the fields the macro describes (no decoder runs):
    /// pydantic's layout, with each field's type, constraints, default and documentation.
    func declaredSchema(_ model: any ModelDefinition.Type, fields: [ModelField], name: String) -> JSONValue {
        var properties: [(String, JSONValue)] = []
        var required: [JSONValue] = []
        for field in fields {
            properties.append((field.key, self.fieldSchema(field)))
            if field.isRequired { required.append(.string(field.key)) }
        }
        var schema: JSONValue = ["properties": .object(properties)]
        if model.extraFields == .forbid { schema.set("additionalProperties", false) }
        if !required.isEmpty { schema.set("required", .array(required)) }
        schema.set("title", .string(name))
        schema.set("type", "object")
        if let description = model.schemaDescription { schema.set("description", .string(description)) }
        return schema
    }

    /// One field's schema: its type's, with its constraints, documentation and (unless the
    /// schema only refers to a component) a title from its name. A field of a parameter model
    /// writes its bounds as a parameter does.
    func fieldSchema(_ field: ModelField, bounds: SchemaBounds = .float) -> JSONValue {
        var schema = self.schema(for: field.type)
        schema.apply(field.schema.constraints, bounds: bounds)
        schema.apply(field.schema)
        if field.schema.title != nil || !schema.isReferenceOrNullableReference {
            schema.set("title", .string(field.schema.title ?? PythonNaming.humanTitle(field.key)))
        }
        return schema
    }
}
