public import NIOHTTP1

/// An extra response of a route in the OpenAPI document (FastAPI's `responses={...}`).
///
/// ```swift
/// app.post("/items", responses: [409: APIResponse("An item with this name exists", model: Message.self)], Body<Item>()) { item in
///     try store.insert(item)
/// }
/// ```
public struct APIResponse: Sendable {
    /// The description; by default the status's reason phrase (`Bad Request`).
    public var description: String?
    /// The media type of `model`'s content.
    public var mediaType: String
    let schema: (@Sendable (SchemaComponents) -> JSONValue)?

    /// A response without content.
    public init(_ description: String? = nil) {
        self.description = description
        self.mediaType = "application/json"
        self.schema = nil
    }

    /// A response whose body is a `Model` (its schema is derived as for a route's return type).
    public init<Model>(_ description: String? = nil, model: Model.Type, mediaType: String = "application/json") {
        self.description = description
        self.mediaType = mediaType
        self.schema = { components in components.schema(for: Model.self) }
    }
}

/// What a route's success response looks like in the document, decided from the handler's
/// return type when the route is registered.
package struct ResponseDocumentation: Sendable {
    package enum Content: Sendable {
        /// No content (`Response`, `Redirect`, a custom ``ResponseConvertible``).
        case none
        /// A body of `mediaType` with the schema the closure derives.
        case body(mediaType: String, schema: @Sendable (SchemaComponents) -> JSONValue, titled: Bool)
        /// A stream of items of `mediaType` (JSON Lines), each with the schema the closure
        /// derives: documented as the media type's `itemSchema` (OpenAPI 3.2, FastAPI 0.134+).
        case items(mediaType: String, schema: @Sendable (SchemaComponents) -> JSONValue)
    }

    package var content: Content
    /// The status the response has when the route declares none (a `Redirect`: 307).
    package var defaultStatus: HTTPResponseStatus?

    /// The documentation of a handler returning `Output`, or of its `model` when the route
    /// converts its responses to one.
    package static func of<Output>(_ type: Output.Type, model: (any (Codable & Sendable).Type)?) -> ResponseDocumentation {
        guard let model else { return Self.of(Output.self) }
        return ResponseDocumentation(content: .body(mediaType: "application/json", schema: { $0.schema(for: model) }, titled: true))
    }

    /// The documentation of a handler returning `Output`.
    package static func of<Output>(_ type: Output.Type) -> ResponseDocumentation {
        if let documented = Output.self as? any DocumentedResponse.Type { return documented.responseDocumentation }
        if Output.self is any ResponseConvertible.Type { return ResponseDocumentation(content: .none) }
        if Output.self == Void.self || !(Output.self is any Decodable.Type || Output.self is any JSONSchemaProviding.Type) {
            return ResponseDocumentation(content: .body(mediaType: "application/json", schema: { _ in [:] }, titled: false))
        }
        return ResponseDocumentation(
            content: .body(mediaType: "application/json", schema: { $0.schema(for: Output.self) }, titled: true))
    }
}

/// The response types of Apus that describe their own content.
protocol DocumentedResponse {
    static var responseDocumentation: ResponseDocumentation { get }
}

extension PlainText: DocumentedResponse {
    static var responseDocumentation: ResponseDocumentation {
        ResponseDocumentation(content: .body(mediaType: "text/plain", schema: { _ in ["type": "string"] }, titled: false))
    }
}

extension HTML: DocumentedResponse {
    static var responseDocumentation: ResponseDocumentation {
        ResponseDocumentation(content: .body(mediaType: "text/html", schema: { _ in ["type": "string"] }, titled: false))
    }
}

extension Redirect: DocumentedResponse {
    static var responseDocumentation: ResponseDocumentation {
        ResponseDocumentation(content: .none, defaultStatus: .temporaryRedirect)
    }
}
