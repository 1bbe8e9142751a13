/// A cookie parameter, read from the `Cookie` header (the last value when a name repeats).
///
/// ```swift
/// Cookie<String?>("session_id")
/// ```
public struct Cookie<Value: Sendable>: DocumentableParameter {
    @_documentation(visibility: internal)
    public var info: ParameterInfo
    let reading: ParameterReading<Value>

    init(name: String, alias: String?, converter: ValueConverter<Value>) {
        self.info = ParameterInfo(location: .cookie, name: alias ?? name, isRequired: converter.isRequired)
        self.info.describe(converter)
        self.reading = .value(converter)
    }

    /// A cookie parameter model (FastAPI's `Annotated[Tracking, Cookie()]`): each field of a
    /// `@Model` type is one cookie, named by its wire name; `extra: .forbid` answers a cookie
    /// that is no field's with `extra_forbidden`.
    ///
    /// ```swift
    /// @Model(extra: .forbid)
    /// struct Tracking { var sessionID: String; var adsID: String? }
    /// app.get("/items", Cookie<Tracking>()) { tracking async in tracking }
    /// ```
    public init() where Value: ModelDefinition & Decodable {
        let reader = ParameterModelReader(Value.self, location: .cookie, pick: .last)
        self.info = ParameterInfo(model: reader, name: String(describing: Value.self))
        self.reading = .model { context in reader.read(Value.self, pairs: context.allCookies(), context: context) }
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
        switch self.reading {
        case .value(let converter):
            extractValue(converter, self.info, found: context.cookieValue(self.info.name).map(FoundTexts.one), pick: .last, context: context)
        case .model(let read):
            read(context)
        }
    }
}
