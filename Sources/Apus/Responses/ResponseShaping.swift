/// Fields a route leaves out of its JSON response by their value (FastAPI's
/// `response_model_exclude_none`, `_unset` and `_defaults`). The OpenAPI schema is
/// unchanged, as in FastAPI.
///
/// ```swift
/// app.get("/items/{id}", responseExclude: [.unset], Path<Int>("id")) { id async in items[id] }
/// ```
public struct ResponseExclusion: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Fields of `@Model` values whose value is `null` (at every depth; a dictionary's `null` values stay).
    public static let `nil` = ResponseExclusion(rawValue: 1)
    /// Fields the request did not send, for values decoded from one (a value made in code has every field set).
    public static let unset = ResponseExclusion(rawValue: 2)
    /// Fields equal to their declared default (a nested model equal to its default goes as a whole).
    public static let defaults = ResponseExclusion(rawValue: 4)
}

/// The top-level fields of a route's JSON response (FastAPI's `response_model_include` and
/// `response_model_exclude`), by wire name.
///
/// ```swift
/// app.get("/users/me", responseFields: .excluding(["password_hash"]), Depends(currentUser)) { user async in user }
/// ```
public enum ResponseFields: Sendable {
    /// Every field.
    case all
    /// Only these.
    case only(Set<String>)
    /// Every field but these.
    case excluding(Set<String>)
}

/// Applies a route's ``ResponseExclusion`` and ``ResponseFields`` to an encoded response,
/// walking the JSON next to the value that produced it: `@Model` values say which of their
/// fields were sent and what their defaults are.
package struct ResponseShape: Sendable {
    var exclusions: ResponseExclusion
    var fields: ResponseFields
    /// The route's `responseModel`: the encoded value is decoded as it (validated), then used.
    var model: (any (Codable & Sendable).Type)? = nil

    var isEmpty: Bool {
        if self.model != nil { return false }
        if case .all = self.fields { return self.exclusions.isEmpty }
        return false
    }

    func apply(to json: JSONValue, of value: Any) -> JSONValue {
        let shaped = self.exclusions.isEmpty ? json : self.walk(json, value, depth: 0)
        guard case .object(let members) = shaped else { return shaped }
        switch self.fields {
        case .all: return shaped
        case .only(let names): return .object(members.filter { names.contains($0.0) })
        case .excluding(let names): return .object(members.filter { !names.contains($0.0) })
        }
    }

    private func walk(_ json: JSONValue, _ value: Any, depth: Int) -> JSONValue {
        guard depth < 64 else { return json }
        if let optional = value as? any OptionalSchema {
            guard let wrapped = optional.wrappedValue else { return json }
            return self.walk(json, wrapped, depth: depth)
        }
        let mirror = Mirror(reflecting: value)
        switch json {
        case .object(let members):
            if let model = value as? any ModelDefinition, let fields = type(of: model).modelFields {
                return .object(self.modelMembers(members, model, fields, mirror, depth: depth))
            }
            guard mirror.displayStyle == .dictionary else { return json }
            var values: [String: Any] = [:]
            for child in mirror.children {
                let pair = Array(Mirror(reflecting: child.value).children)
                if pair.count == 2 { values["\(pair[0].value)"] = pair[1].value }
            }
            return .object(members.map { key, member in (key, values[key].map { self.walk(member, $0, depth: depth + 1) } ?? member) })
        case .array(let items):
            guard mirror.displayStyle == .collection || mirror.displayStyle == .set else { return json }
            let elements = mirror.children.map(\.value)
            guard elements.count == items.count else { return json }
            return .array(zip(items, elements).map { self.walk($0, $1, depth: depth + 1) })
        default:
            return json
        }
    }

    private func modelMembers(
        _ members: [(String, JSONValue)], _ model: any ModelDefinition, _ fields: [ModelField], _ mirror: Mirror, depth: Int
    ) -> [(String, JSONValue)] {
        let fieldsSet = model.modelFieldsSet
        var values: [String: Any] = [:]
        for child in mirror.children { if let label = child.label { values[label] = child.value } }
        var result: [(String, JSONValue)] = []
        for (key, member) in members {
            guard let index = fields.firstIndex(where: { $0.key == key }) else {
                result.append((key, member))
                continue
            }
            let field = fields[index]
            if self.exclusions.contains(.unset) && !fieldsSet.contains(index) { continue }
            if self.exclusions.contains(.nil) && member == .null { continue }
            if self.exclusions.contains(.defaults) && !field.isRequired && member == (field.schema.defaultValue ?? .null) { continue }
            result.append((key, values[field.name].map { self.walk(member, $0, depth: depth + 1) } ?? member))
        }
        return result
    }
}
