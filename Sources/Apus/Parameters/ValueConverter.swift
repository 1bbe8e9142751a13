/// How a parameter turns the raw texts found in the request (every occurrence of a query key
/// or header line, the one path segment, the cookie's value) into its typed value, collecting
/// FastAPI-shaped errors. Built once at registration by the parameter's initializer.
package struct ValueConverter<Value: Sendable>: Sendable {
    /// Which occurrence a scalar takes when the request repeats a name.
    package typealias Pick = OccurrencePick

    package let isRequired: Bool
    /// Whether the value is a list (every occurrence); for the OpenAPI description.
    package let isList: Bool
    package let defaultValue: Value?
    package let constraints: [Constraint]
    /// Converts the occurrences found or reports their problems; `loc` is called only for an error.
    package let convert:
        @Sendable (_ found: FoundTexts, _ pick: Pick, _ loc: () -> [LocationComponent]) -> Result<Value, RequestValidationError>

    /// Runs the conversion for the texts found for a parameter at `loc`; an absent
    /// parameter gets its default, `nil` for an optional, else a `missing` error.
    package func run(
        _ texts: [String], pick: Pick, loc: @autoclosure () -> [LocationComponent], errors: inout [ValidationErrorDetail]
    ) -> Value? {
        self.run(texts.isEmpty ? nil : .every(texts), pick: pick, loc: loc(), errors: &errors)
    }

    /// Runs the conversion for what was found (`nil`: absent). The location is built only
    /// when there is an error to report: a valid parameter allocates nothing for it.
    package func run(
        _ found: FoundTexts?, pick: Pick, loc: @autoclosure () -> [LocationComponent], errors: inout [ValidationErrorDetail]
    ) -> Value? {
        guard let found else {
            if let defaultValue { return defaultValue }
            errors.append(ValueIssue.missing.detail(at: loc(), input: .null))
            return nil
        }
        switch self.convert(found, pick, loc) {
        case .success(let value): return value
        case .failure(let failure):
            errors.append(contentsOf: failure.errors)
            return nil
        }
    }
}

/// The texts a request holds for one parameter (never none: an absent one is `nil`).
package enum FoundTexts: Sendable {
    /// One text: a path segment, or the occurrence a scalar takes, looked up without a list.
    case one(String)
    /// Every occurrence, in order, not empty.
    case every([String])

    /// The text a scalar takes.
    @inline(__always)
    func picking(_ pick: OccurrencePick) -> String {
        switch self {
        case .one(let text): return text
        case .every(let texts): return pick == .first ? texts[0] : texts[texts.count - 1]
        }
    }

    /// Every text, for a list.
    var all: [String] {
        switch self {
        case .one(let text): return [text]
        case .every(let texts): return texts
        }
    }
}

extension ValueConverter {
    static func convertScalar<T: ParameterValue>(
        _ text: String, as type: T.Type, constraints: [Constraint], loc: () -> [LocationComponent]
    ) -> Result<T, RequestValidationError> {
        do {
            let value = try T(parameterText: text)
            if let issue = constraints.firstIssue(for: value.constraintSubject) {
                return .failure(RequestValidationError(errors: [issue.detail(at: loc(), input: .string(text))]))
            }
            return .success(value)
        } catch {
            return .failure(RequestValidationError(errors: [error.detail(at: loc(), input: .string(text))]))
        }
    }

    static func convertList<T: ParameterValue>(
        _ texts: [String], as type: T.Type, constraints: [Constraint], loc: () -> [LocationComponent]
    ) -> Result<[T], RequestValidationError> {
        var values: [T] = []
        values.reserveCapacity(texts.count)
        var details: [ValidationErrorDetail] = []
        for (index, text) in texts.enumerated() {
            switch convertScalar(text, as: T.self, constraints: constraints, loc: { loc() + [.index(index)] }) {
            case .success(let value): values.append(value)
            case .failure(let failure): details.append(contentsOf: failure.errors)
            }
        }
        if details.isEmpty, let issue = constraints.firstListIssue(count: values.count) {
            return .failure(RequestValidationError(errors: [issue.detail(at: loc(), input: .array(texts.map { .string($0) }))]))
        }
        return details.isEmpty ? .success(values) : .failure(RequestValidationError(errors: details))
    }
}

extension ValueConverter where Value: ParameterValue {
    /// A required scalar (or one with a default).
    package static func scalar(default defaultValue: Value?, constraints: [Constraint]) -> Self {
        Self(isRequired: defaultValue == nil, isList: false, defaultValue: defaultValue, constraints: constraints) {
            found, pick, loc in
            convertScalar(found.picking(pick), as: Value.self, constraints: constraints, loc: loc)
        }
    }
}

extension ValueConverter {
    /// An optional scalar: absent gives the default, else `nil`.
    package static func optional<Wrapped: ParameterValue>(default defaultValue: Wrapped?, constraints: [Constraint]) -> Self
    where Value == Wrapped? {
        Self(isRequired: false, isList: false, defaultValue: .some(defaultValue), constraints: constraints) {
            found, pick, loc in
            convertScalar(found.picking(pick), as: Wrapped.self, constraints: constraints, loc: loc).map { $0 }
        }
    }

    /// A list of every occurrence; absent gives the default, else a `missing` error.
    package static func list<Element: ParameterValue>(default defaultValue: [Element]?, constraints: [Constraint]) -> Self
    where Value == [Element] {
        Self(isRequired: defaultValue == nil, isList: true, defaultValue: defaultValue, constraints: constraints) {
            found, _, loc in
            convertList(found.all, as: Element.self, constraints: constraints, loc: loc)
        }
    }

    /// An optional list: absent gives the default, else `nil`.
    package static func optionalList<Element: ParameterValue>(default defaultValue: [Element]?, constraints: [Constraint])
        -> Self
    where Value == [Element]? {
        Self(isRequired: false, isList: true, defaultValue: .some(defaultValue), constraints: constraints) {
            found, _, loc in
            convertList(found.all, as: Element.self, constraints: constraints, loc: loc).map { $0 }
        }
    }
}

extension ValueConverter {
    /// Why one of the constraints cannot apply to the value's type (`.greaterThan` on a
    /// `String`), or `nil`: a registration error, since it would validate nothing.
    package var constraintProblem: String? { constraintMisfit(self.constraints, valueType: Value.self, isList: self.isList) }

    /// The parameter's JSON Schema: its type's, with the constraints and the default (a
    /// form field's bounds as a component's: its schema is part of the `Body_*` one).
    package func schema(bounds: SchemaBounds) -> @Sendable (SchemaComponents) -> JSONValue {
        let constraints = self.constraints
        let defaultJSON = self.defaultValue.flatMap(schemaDefault)
        return { components in
            var schema = components.schema(for: Value.self)
            schema.apply(constraints, bounds: bounds)
            if let defaultJSON { schema.set("default", defaultJSON) }
            return schema
        }
    }
}

/// A default value as the OpenAPI document shows it; `nil` for `nil` (FastAPI drops `None` defaults).
func schemaDefault(_ value: Any) -> JSONValue? {
    if let optional = value as? any OptionalSchema {
        return optional.wrappedValue.flatMap(schemaDefault)
    }
    let json: JSONValue?
    if let encodable = value as? any Encodable {
        json = (try? JSONModelEncoder.encode(encodable)).flatMap { try? JSONValue(parsing: $0) }
    } else if let raw = value as? any RawRepresentable {
        json = schemaDefault(raw.rawValue)
    } else if let array = value as? [Any] {
        json = .array(array.compactMap(schemaDefault))
    } else {
        json = nil
    }
    return json == .null ? nil : json
}

/// Why one of `constraints` cannot apply to values of `valueType` (`.greaterThan` on a
/// `String`), judged from the type's schema, or `nil`: a registration error, since the rule
/// would validate nothing.
func constraintMisfit(_ constraints: [Constraint], valueType: Any.Type, isList: Bool) -> String? {
    guard !constraints.isEmpty else { return nil }
    var schema = SchemaComponents().schema(for: valueType)
    if case .array(let branches)? = schema["anyOf"], let branch = branches.first(where: { $0 != ["type": "null"] }) {
        schema = branch
    }
    if isList, let items = schema["items"] { schema = items }
    let type: String? = if case .string(let name)? = schema["type"] { name } else { nil }
    let format: String? = if case .string(let name)? = schema["format"], name != "int64" { name } else { nil }
    for constraint in constraints {
        if let misfit = constraint.misfit(type: type, format: format, isList: isList) {
            return "\(misfit), and the value is \(valueType)"
        }
    }
    return nil
}

/// Which occurrence of a repeated single-valued parameter counts: the first (a header, as
/// Starlette reads one) or the last (a query parameter, a form field, a cookie).
package enum OccurrencePick: Sendable { case first, last }
