import NIOHTTP1
/// A header parameter. The name's underscores become hyphens (`x_token` reads `x-token`)
/// unless `convertUnderscores` is `false`; an `alias` is used as given. Lookup ignores case.
///
/// ```swift
/// Header<String?>("user_agent")        // reads User-Agent
/// Header<[String]>("x_tag", default: []) // one item per header line
/// ```
///
/// A scalar takes the first occurrence of a repeated header; a list takes each line as one item.
public struct Header<Value: Sendable>: DocumentableParameter {
    @_documentation(visibility: internal)
    public var info: ParameterInfo
    let converter: ValueConverter<Value>

    init(name: String, alias: String?, convertUnderscores: Bool, converter: ValueConverter<Value>) {
        let lookup = alias ?? (convertUnderscores ? name.replacingUnderscores(with: "-") : name)
        self.info = ParameterInfo(location: .header, name: lookup, isRequired: converter.isRequired)
        self.info.schema = converter.schema
        self.converter = converter
    }

    /// A required header, or one with a default.
    public init(
        _ name: String, alias: String? = nil, convertUnderscores: Bool = true, default defaultValue: Value? = nil,
        _ constraints: Constraint...
    ) where Value: ParameterValue {
        self.init(
            name: name, alias: alias, convertUnderscores: convertUnderscores,
            converter: .scalar(default: defaultValue, constraints: constraints))
    }

    /// An optional header: `nil` (or `default`) when absent.
    public init<Wrapped: ParameterValue>(
        _ name: String, alias: String? = nil, convertUnderscores: Bool = true, default defaultValue: Wrapped? = nil,
        _ constraints: Constraint...
    ) where Value == Wrapped? {
        self.init(
            name: name, alias: alias, convertUnderscores: convertUnderscores,
            converter: .optional(default: defaultValue, constraints: constraints))
    }

    /// Every line of a repeated header; required unless it has a default.
    public init<Element: ParameterValue>(
        _ name: String, alias: String? = nil, convertUnderscores: Bool = true, default defaultValue: [Element]? = nil,
        _ constraints: Constraint...
    ) where Value == [Element] {
        self.init(
            name: name, alias: alias, convertUnderscores: convertUnderscores,
            converter: .list(default: defaultValue, constraints: constraints))
    }

    /// An optional list of header lines: `nil` (or `default`) when absent.
    public init<Element: ParameterValue>(
        _ name: String, alias: String? = nil, convertUnderscores: Bool = true, default defaultValue: [Element]? = nil,
        _ constraints: Constraint...
    ) where Value == [Element]? {
        self.init(
            name: name, alias: alias, convertUnderscores: convertUnderscores,
            converter: .optionalList(default: defaultValue, constraints: constraints))
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? {
        extractValue(self.converter, self.info, texts: context.request.headers[self.info.name], pick: .first, context: context)
    }
}
