/// A query parameter, `?name=value`.
///
/// ```swift
/// Query<Int>("limit", default: 10, .lessThanOrEqual(100))   // absent -> 10
/// Query<String?>("q", .maxLength(50))                       // absent -> nil
/// Query<[String]>("tag", default: [])                       // ?tag=a&tag=b -> ["a", "b"]
/// ```
///
/// As in FastAPI, a repeated key gives a scalar its last value and a list all values;
/// `?a=` is the empty string (a value, not an absent parameter).
public struct Query<Value: Sendable>: DocumentableParameter {
    @_documentation(visibility: internal)
    public var info: ParameterInfo
    let reading: ParameterReading<Value>

    init(name: String, alias: String?, converter: ValueConverter<Value>) {
        self.info = ParameterInfo(location: .query, name: alias ?? name, isRequired: converter.isRequired)
        self.info.describe(converter)
        self.reading = .value(converter)
    }

    /// A query parameter model (FastAPI's `Annotated[Filters, Query()]`): each field of a
    /// `@Model` type is one query parameter, named by its wire name, with its default and
    /// constraints, documented one by one; `extra: .forbid` answers an unknown key with
    /// `extra_forbidden`. A list field takes every value of a repeated key, a scalar the last.
    ///
    /// ```swift
    /// @Model(extra: .forbid)
    /// struct Filters {
    ///     @Field(.greaterThan(0), .lessThanOrEqual(100)) var limit: Int = 100
    ///     var tags: [String] = []
    /// }
    /// app.get("/items", Query<Filters>()) { filters async in filters }   // ?limit=5&tags=a&tags=b
    /// ```
    public init() where Value: ModelDefinition & Decodable {
        let reader = ParameterModelReader(Value.self, location: .query, pick: .last)
        self.info = ParameterInfo(model: reader, name: String(describing: Value.self))
        self.reading = .model { context in reader.read(Value.self, pairs: context.allQueryItems(), context: context) }
    }

    /// A required query parameter, or one with a default.
    public init(_ name: String, alias: String? = nil, default defaultValue: Value? = nil, _ constraints: Constraint...)
    where Value: ParameterValue {
        self.init(name: name, alias: alias, converter: .scalar(default: defaultValue, constraints: constraints))
    }

    /// An optional query parameter: `nil` (or `default`) when absent.
    public init<Wrapped: ParameterValue>(
        _ name: String, alias: String? = nil, default defaultValue: Wrapped? = nil, _ constraints: Constraint...
    ) where Value == Wrapped? {
        self.init(name: name, alias: alias, converter: .optional(default: defaultValue, constraints: constraints))
    }

    /// A list of every value of a repeated key; required unless it has a default.
    public init<Element: ParameterValue>(
        _ name: String, alias: String? = nil, default defaultValue: [Element]? = nil, _ constraints: Constraint...
    ) where Value == [Element] {
        self.init(name: name, alias: alias, converter: .list(default: defaultValue, constraints: constraints))
    }

    /// An optional list: `nil` (or `default`) when the key is absent.
    public init<Element: ParameterValue>(
        _ name: String, alias: String? = nil, default defaultValue: [Element]? = nil, _ constraints: Constraint...
    ) where Value == [Element]? {
        self.init(name: name, alias: alias, converter: .optionalList(default: defaultValue, constraints: constraints))
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? {
        switch self.reading {
        case .value(let converter):
            extractValue(converter, self.info, found: context.queryTexts(self.info.name, all: converter.isList), pick: .last, context: context)
        case .model(let read):
            read(context)
        }
    }
}

/// Runs a converter over the texts found for a parameter and records its errors.
func extractValue<Value>(
    _ converter: ValueConverter<Value>, _ info: ParameterInfo, found: FoundTexts?, pick: ValueConverter<Value>.Pick,
    context: ExtractionContext
) -> Value? {
    var errors: [ValidationErrorDetail] = []
    let value = converter.run(found, pick: pick, loc: [.key(info.location.rawValue), .key(info.name)], errors: &errors)
    if !errors.isEmpty { context.record(errors, group: info.location) }
    return value
}
