/// The request body as a `Decodable` model (or any JSON value), read when the request's
/// `Content-Type` is `application/json` or `application/*+json`.
///
/// ```swift
/// struct Item: Codable, Sendable { var name: String; var price: Double }
/// app.post("/items", Body<Item>()) { item in item }
/// ```
///
/// With several `Body` parameters (or `embed: true`) the body is an object holding each
/// one under its name, as in FastAPI: `Body<Item>("item"), Body<User>("user")` reads
/// `{"item": {...}, "user": {...}}`. Every invalid field is reported with its full `loc`.
/// A scalar or list body takes constraints as a ``Query`` does:
/// `Body<Int>("importance", .greaterThan(0))`.
public struct Body<Value: Sendable>: DocumentableParameter {
    @_documentation(visibility: internal)
    public var info: ParameterInfo
    let defaultValue: Value?
    let decode: @Sendable (JSONValue, [LocationComponent]) -> Result<Value, RequestValidationError>

    /// A body of type `Value`: required, unless `Value` is optional (then `nil` when the
    /// request has no body) or a `default` is given.
    /// - Parameters:
    ///   - name: the member name when the body is embedded.
    ///   - embed: read `{"<name>": <value>}` even when this is the only body parameter.
    ///   - defaultValue: the value when the request has no body.
    ///   - constraints: rules for a scalar or list value, checked after it decodes (in the 422
    ///     at the body's `loc`) and written into its schema.
    public init(_ name: String = "body", embed: Bool = false, default defaultValue: Value? = nil, _ constraints: Constraint...)
    where Value: Decodable {
        let optionalType = Value.self as? any OptionalValue.Type
        self.info = ParameterInfo(location: .body, name: name, isRequired: defaultValue == nil && optionalType == nil, embed: embed)
        self.defaultValue = defaultValue ?? optionalType.flatMap { $0.none as? Value }
        self.decode = { value, loc in
            let decoded = JSONModelDecoder.decode(Value.self, from: value, at: loc)
            guard !constraints.isEmpty, case .success(let result) = decoded, let issue = constraints.firstIssue(forDecoded: result) else {
                return decoded
            }
            return .failure(RequestValidationError(errors: [issue.detail(at: loc, input: value)]))
        }
        let defaultJSON = defaultValue.flatMap(schemaDefault)
        self.info.schema = { components in
            var schema = components.schema(for: Value.self)
            schema.apply(constraints, bounds: .float)
            if let defaultJSON { schema.set("default", defaultJSON) }
            return schema
        }
        self.info.problem = constraintMisfit(constraints, valueType: Value.self, isList: isListType(Value.self))
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? {
        let embedded = context.embedBodies || self.info.embed
        let loc: [LocationComponent] = embedded ? ["body", .key(self.info.name)] : ["body"]
        let document: JSONValue?
        switch context.body {
        case .absent:
            document = nil
        case .text(let text):
            document = embedded ? nil : .string(text)
        case .form, .stream:
            document = nil
        case .json(let json):
            if embedded {
                guard case .object = json else { return self.absent(loc: loc, context: context) }
                document = json[self.info.name]
            } else {
                document = json
            }
        }
        guard let document else { return self.absent(loc: loc, context: context) }
        switch self.decode(document, loc) {
        case .success(let value): return value
        case .failure(let failure):
            context.record(failure.errors, group: .body)
            return nil
        }
    }

    private func absent(loc: [LocationComponent], context: ExtractionContext) -> Value? {
        if let defaultValue { return defaultValue }
        context.record([ValueIssue.missing.detail(at: loc, input: .null)], group: .body)
        return nil
    }
}

/// The request body as the parameters see it.
package enum ParsedBody: Sendable {
    /// No body, or an empty one.
    case absent
    /// A JSON document.
    case json(JSONValue)
    /// A body that is not JSON (another or no content type), as text.
    case text(String)
    /// A `multipart/form-data` body.
    case form(FormData)
    /// A body the handler reads as it arrives.
    case stream(RequestBodyStream)
}

/// Lets a generic parameter recognise an optional type and make its `nil`.
protocol OptionalValue {
    static var none: Self { get }
}

extension Optional: OptionalValue {}
