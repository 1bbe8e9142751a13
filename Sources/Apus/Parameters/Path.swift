/// A path parameter: the value of a `{name}` segment of the route's template.
///
/// ```swift
/// app.get("/items/{item_id}", Path<Int>("item_id", .greaterThan(0))) { itemID in ["item_id": itemID] }
/// ```
///
/// Every `{name}` of a template needs a `Path` parameter of that name and the other way
/// round; registration stops with a message naming the route otherwise.
public struct Path<Value: Sendable>: DocumentableParameter {
    @_documentation(visibility: internal)
    public var info: ParameterInfo
    let converter: ValueConverter<Value>

    /// Declares a path parameter named `name` in the template.
    public init(_ name: String, _ constraints: Constraint...) where Value: ParameterValue {
        self.info = ParameterInfo(location: .path, name: name, isRequired: true)
        self.converter = .scalar(default: nil, constraints: constraints)
        self.info.describe(self.converter)
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? {
        var errors: [ValidationErrorDetail] = []
        let found = context.request.pathParameter(self.info.name).map(FoundTexts.one)
        let value = self.converter.run(found, pick: .last, loc: ["path", .key(self.info.name)], errors: &errors)
        if !errors.isEmpty { context.record(errors, group: .path) }
        return value
    }
}
