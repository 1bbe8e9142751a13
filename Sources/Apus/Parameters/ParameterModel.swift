/// Reads a parameter model (FastAPI 0.115's `Annotated[Filters, Query()]`): each field of a
/// `@Model` type is one query parameter, header or cookie, looked up by its wire name
/// (headers: with `_` as `-`), and the fields are decoded together as one object, so that
/// defaults, constraints, every error at `[location, name]` and `extra: .forbid` (each
/// unknown name is `extra_forbidden`) behave as in a body.
package struct ParameterModelReader: Sendable {
    package typealias Pick = OccurrencePick

    struct Lookup: Sendable {
        /// The field's wire name (the key of the decoded object).
        var key: String
        /// The name in the request (a header's lowercased, hyphenated name).
        var name: String
        /// Whether the field takes every occurrence.
        var isList: Bool
    }

    let location: ParameterLocation
    let pick: Pick
    let lookups: [Lookup]
    /// The position in `lookups` of each request name.
    let lookupByName: [String: Int]
    /// Each field as a parameter of its own, for the OpenAPI document and the route checks.
    let infos: [ParameterInfo]

    /// The reader of `model`'s fields at `location`; `name` maps a wire name to the request's.
    package init(_ model: any ModelDefinition.Type, location: ParameterLocation, pick: Pick, name: (String) -> String = { $0 }) {
        self.location = location
        self.pick = pick
        var lookups: [Lookup] = []
        var infos: [ParameterInfo] = []
        for field in model.modelFields ?? [] {
            let requestName = name(field.key)
            lookups.append(Lookup(key: field.key, name: requestName, isList: isListType(field.type)))
            var info = ParameterInfo(location: location, name: requestName, isRequired: field.isRequired)
            info.title = field.schema.title ?? PythonNaming.humanTitle(field.key)
            info.description = field.schema.description
            info.deprecated = field.schema.deprecated
            info.schema = { components in
                var documented = field
                documented.schema.description = nil  // the parameter's, added with it
                documented.schema.deprecated = false
                return components.fieldSchema(documented, bounds: .asWritten)
            }
            infos.append(info)
        }
        self.lookups = lookups
        self.lookupByName = Self.positions(of: lookups)
        self.infos = infos
    }

    /// The reader of a plain `Decodable` model at `location`, knowing only which of its
    /// fields are lists (read from its schema).
    package init(listFields: Set<String>, location: ParameterLocation, pick: Pick) {
        self.location = location
        self.pick = pick
        self.lookups = listFields.sorted().map { Lookup(key: $0, name: $0, isList: true) }
        self.lookupByName = Self.positions(of: self.lookups)
        self.infos = []
    }

    private static func positions(of lookups: [Lookup]) -> [String: Int] {
        var positions: [String: Int] = [:]
        for (position, lookup) in lookups.enumerated() where positions[lookup.name] == nil { positions[lookup.name] = position }
        return positions
    }

    /// The object the model is decoded from: each field's value (the picked occurrence, or
    /// every one for a list), then the names that are no field's (which only a model with
    /// `extra: .forbid` looks at), in the request's order.
    func object(from pairs: [(String, String)]) -> JSONValue {
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(pairs.count)
        // Each key's position in `members` (hashing, not a search per pair: 100 parameters
        // searched 100 names each).
        var positions: [String: Int] = [:]
        positions.reserveCapacity(pairs.count)
        for (name, text) in pairs {
            let lookup = self.lookupByName[name].map { self.lookups[$0] }
            let key = lookup?.key ?? name
            guard let index = positions[key] else {
                positions[key] = members.count
                members.append((key, lookup?.isList == true ? .array([.string(text)]) : .string(text)))
                continue
            }
            if lookup?.isList == true, case .array(var values) = members[index].1 {
                values.append(.string(text))
                members[index].1 = .array(values)
            } else if self.pick == .last {
                members[index].1 = .string(text)
            }
        }
        return .object(members)
    }

    /// Decodes `Value` from the request's `pairs`, recording its errors at `[location, name]`.
    func read<Value: Decodable>(_ type: Value.Type, pairs: [(String, String)], context: ExtractionContext) -> Value? {
        switch JSONModelDecoder.decode(Value.self, from: self.object(from: pairs), at: [.key(self.location.rawValue)]) {
        case .success(let value):
            return value
        case .failure(let failure):
            context.record(failure.errors.map(self.locatedByRequestName), group: self.location)
            return nil
        }
    }

    /// An error whose `loc` names a field by its wire name, renamed to the request's name (a header's).
    private func locatedByRequestName(_ detail: ValidationErrorDetail) -> ValidationErrorDetail {
        guard detail.loc.count > 1, case .key(let key) = detail.loc[1],
            let lookup = self.lookups.first(where: { $0.key == key }), lookup.name != key
        else { return detail }
        var detail = detail
        detail.loc[1] = .key(lookup.name)
        return detail
    }
}

/// Whether values of `type` are lists (`[T]`, `Set<T>`, or an optional of one).
func isListType(_ type: Any.Type) -> Bool {
    if type is any ArraySchema.Type { return true }
    if let optional = type as? any OptionalSchema.Type { return isListType(optional.wrappedType) }
    return false
}

/// How a ``Query``, ``Header`` or ``Cookie`` reads its value: one named value, or a model's fields.
package enum ParameterReading<Value: Sendable>: Sendable {
    case value(ValueConverter<Value>)
    case model(@Sendable (ExtractionContext) -> Value?)
}

extension ParameterInfo {
    /// The description of a parameter model: its fields, each a parameter.
    init(model reader: ParameterModelReader, name: String) {
        self.init(location: reader.location, name: name, isRequired: reader.infos.contains { $0.isRequired })
        self.members = reader.infos
    }
}
