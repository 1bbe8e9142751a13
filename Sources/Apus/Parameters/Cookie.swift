/// A cookie parameter, read from the `Cookie` header (the last value when a name repeats).
///
/// ```swift
/// Cookie<String?>("session_id")
/// ```
public struct Cookie<Value: Sendable>: DocumentableParameter {
    @_documentation(visibility: internal)
    public var info: ParameterInfo
    let converter: ValueConverter<Value>

    init(name: String, alias: String?, converter: ValueConverter<Value>) {
        self.info = ParameterInfo(location: .cookie, name: alias ?? name, isRequired: converter.isRequired)
        self.info.schema = converter.schema
        self.converter = converter
    }

    /// A required cookie, or one with a default.
    public init(_ name: String, alias: String? = nil, default defaultValue: Value? = nil, _ constraints: Constraint...)
    where Value: ParameterValue {
        self.init(name: name, alias: alias, converter: .scalar(default: defaultValue, constraints: constraints))
    }

    /// An optional cookie: `nil` (or `default`) when absent.
    public init<Wrapped: ParameterValue>(
        _ name: String, alias: String? = nil, default defaultValue: Wrapped? = nil, _ constraints: Constraint...
    ) where Value == Wrapped? {
        self.init(name: name, alias: alias, converter: .optional(default: defaultValue, constraints: constraints))
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? {
        extractValue(self.converter, self.info, texts: context.cookieValues(self.info.name), pick: .last, context: context)
    }
}
