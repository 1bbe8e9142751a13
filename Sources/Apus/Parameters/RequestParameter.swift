import NIOHTTP1
/// What a route needs to know about one of its parameters at registration (and what the
/// OpenAPI document will describe): where it is read from, under which name, whether it is required.
public struct ParameterInfo: Sendable {
    /// Where the value comes from.
    public var location: ParameterLocation
    /// The name looked up in the request (the alias if one was given; for headers, with `_` turned into `-`).
    public var name: String
    /// Whether a request without it fails validation.
    public var isRequired: Bool
    /// For a body parameter: whether it reads a member of the body object named ``name``.
    public var embed: Bool
    /// The OpenAPI description (FastAPI's `description=`).
    public var description: String?
    /// The OpenAPI title; by default the name, with `_` as spaces, title-cased.
    public var title: String?
    /// Marks the parameter deprecated in the OpenAPI document.
    public var deprecated: Bool = false
    /// The parameter's JSON Schema, with its constraints and default.
    package var schema: (@Sendable (SchemaComponents) -> JSONValue)?
    /// For a dependency: its own parameters (documented and checked with the route's).
    package var nested: [ParameterInfo] = []
    /// A mistake in the declaration (a constraint that does not fit the type), reported at registration.
    package var problem: String?
    /// For a parameter model (`Query<Filters>()`): its fields, each a parameter of its own.
    package var members: [ParameterInfo]?
    /// For a dependency: the dependency's identity; for ``Security``: the scopes it requires.
    package var dependencyID: ObjectIdentifier?
    /// For a dependency: the scope of this use and whether the dependency has a teardown.
    package var dependencyUse: (scope: DependencyScope, hasTeardown: Bool)?
    package var scopes: [String] = []
    /// For a security scheme: its name and OpenAPI definition.
    package var securityScheme: (name: String, definition: JSONValue)?
    /// For a body parameter read from a form rather than JSON: the form's media type.
    package var formMediaType: String?
    /// For a file parameter: whether it wants the content in memory (no spooling to disk).
    package var uploadsInMemory = false
    /// For ``RequestParameter/bodyStream``: the handler reads the body as it arrives.
    package var streamsBody = false

    /// Describes a parameter.
    public init(location: ParameterLocation, name: String, isRequired: Bool, embed: Bool = false) {
        self.location = location
        self.name = name
        self.isRequired = isRequired
        self.embed = embed
    }
}

/// A parameter whose OpenAPI documentation can be extended: ``Path``, ``Query``,
/// ``Header``, ``Cookie`` and ``Body``.
///
/// ```swift
/// Query<String>("q").documented(description: "Words to look for")
/// Query<Int?>("page").documented(deprecated: true)
/// ```
public protocol DocumentableParameter: RequestParameter {
    /// The parameter's description.
    var info: ParameterInfo { get set }
}

extension ParameterInfo {
    /// Takes the schema and the declaration problem of the converter that reads the value.
    package mutating func describe<Value>(_ converter: ValueConverter<Value>) {
        self.schema = converter.schema(bounds: self.location == .body ? .float : .asWritten)
        self.problem = converter.constraintProblem
    }
}

extension DocumentableParameter {
    /// A copy with a description, a title or a deprecation mark in the OpenAPI document.
    public func documented(description: String? = nil, title: String? = nil, deprecated: Bool = false) -> Self {
        var copy = self
        if let description { copy.info.description = description }
        if let title { copy.info.title = title }
        if deprecated { copy.info.deprecated = true }
        return copy
    }
}

/// A declared input of a handler: ``Path``, ``Query``, ``Header``, ``Cookie``, ``Body``, a
/// ``Depends``, a security scheme, or one of Apus's own values (``RequestValue``: `.request`...). Each contributes one typed argument to the handler closure.
///
/// Contract: ``extract(from:)`` runs on the connection's event loop for every request that
/// reaches the route, after the body was read; it must not block. It returns the value, or
/// records one or more errors in the context and returns `nil`. The handler runs only when
/// no parameter recorded an error; otherwise the request is answered with a single 422.
public protocol RequestParameter: Sendable {
    /// The type the handler receives.
    associatedtype Value: Sendable
    /// The parameter's description.
    var info: ParameterInfo { get }
    /// Reads the value from the request, or records why it cannot.
    func extract(from context: ExtractionContext) -> Value?
}

extension [ParameterInfo] {
    /// The parameters with those of their dependencies, in FastAPI's documentation order:
    /// the list's own parameters first, then each dependency's (its own, then its
    /// dependencies'), depth first. A dependency used twice contributes once.
    package var flattened: [ParameterInfo] {
        var result: [ParameterInfo] = []
        var seen: Set<ObjectIdentifier> = []
        func walk(_ infos: [ParameterInfo], depth: Int) {
            guard depth < 64 else { return }
            for info in infos where info.dependencyID == nil {
                if let members = info.members { result.append(contentsOf: members) } else { result.append(info) }
            }
            for info in infos {
                guard let id = info.dependencyID, seen.insert(id).inserted else { continue }
                walk(info.nested, depth: depth + 1)
            }
        }
        walk(self, depth: 0)
        return result
    }
}
