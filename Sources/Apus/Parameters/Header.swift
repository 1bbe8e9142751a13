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
    let reading: ParameterReading<Value>

    init(name: String, alias: String?, convertUnderscores: Bool, converter: ValueConverter<Value>) {
        let lookup = alias ?? (convertUnderscores ? name.replacingUnderscores(with: "-") : name)
        self.info = ParameterInfo(location: .header, name: lookup, isRequired: converter.isRequired)
        self.info.describe(converter)
        self.reading = .value(converter)
    }

    /// A header parameter model (FastAPI's `Annotated[CommonHeaders, Header()]`): each field
    /// of a `@Model` type is one header, its wire name with `_` as `-` (unless
    /// `convertUnderscores` is `false`), matched ignoring case; a list field takes each header
    /// line, a scalar the first. Errors name the header (`["header", "save-data"]`).
    ///
    /// ```swift
    /// @Model(keys: .snakeCase)
    /// struct CommonHeaders { var host: String; var saveData: Bool = false; var xTag: [String] = [] }
    /// app.get("/items", Header<CommonHeaders>()) { headers async in headers }   // reads Save-Data, X-Tag
    /// ```
    public init(convertUnderscores: Bool = true) where Value: ModelDefinition & Decodable {
        let reader = ParameterModelReader(Value.self, location: .header, pick: .first) { key in
            (convertUnderscores ? key.replacingUnderscores(with: "-") : key).lowercased()
        }
        self.info = ParameterInfo(model: reader, name: String(describing: Value.self))
        self.reading = .model { context in
            let pairs = context.request.headers.map { ($0.name.lowercased(), $0.value) }
            return reader.read(Value.self, pairs: pairs, context: context)
        }
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
        switch self.reading {
        case .value(let converter):
            extractValue(converter, self.info, found: context.headerTexts(self.info.name, all: converter.isList), pick: .first, context: context)
        case .model(let read):
            read(context)
        }
    }
}
