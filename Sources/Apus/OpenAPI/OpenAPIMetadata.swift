/// The contact of an API in its OpenAPI document (FastAPI's `contact`).
///
/// ```swift
/// app.contact = APIContact(name: "Tool Desk", url: "https://example.com/contact/", email: "desk@example.com")
/// ```
public struct APIContact: Sendable, Hashable {
    /// Who to contact.
    public var name: String?
    /// Where (a web page).
    public var url: String?
    /// Their address.
    public var email: String?

    /// A contact; each part is optional.
    public init(name: String? = nil, url: String? = nil, email: String? = nil) {
        self.name = name
        self.url = url
        self.email = email
    }

    var json: JSONValue {
        var object: JSONValue = [:]
        if let name { object.set("name", .string(name)) }
        if let url { object.set("url", .string(url)) }
        if let email { object.set("email", .string(email)) }
        return object
    }
}

/// The license of an API in its OpenAPI document (FastAPI's `license_info`): its name and
/// either an SPDX `identifier` (`Apache-2.0`) or a `url`.
///
/// ```swift
/// app.license = APILicense(name: "Apache 2.0", identifier: "Apache-2.0")
/// ```
public struct APILicense: Sendable, Hashable {
    /// The license's name.
    public var name: String
    /// Its SPDX identifier.
    public var identifier: String?
    /// Where it is written.
    public var url: String?

    /// A license with an SPDX identifier or a URL.
    public init(name: String, identifier: String? = nil, url: String? = nil) {
        self.name = name
        self.identifier = identifier
        self.url = url
    }

    var json: JSONValue {
        var object: JSONValue = ["name": .string(self.name)]
        if let identifier { object.set("identifier", .string(identifier)) }
        if let url { object.set("url", .string(url)) }
        return object
    }
}

/// Documentation elsewhere, linked from the document or from a tag (OpenAPI's `externalDocs`).
public struct APIExternalDocs: Sendable, Hashable {
    /// Where it is.
    public var url: String
    /// What it is.
    public var description: String?

    /// A link to `url`.
    public init(url: String, description: String? = nil) {
        self.url = url
        self.description = description
    }

    var json: JSONValue {
        var object: JSONValue = [:]
        if let description { object.set("description", .string(description)) }
        object.set("url", .string(self.url))
        return object
    }
}

/// A tag's description in the OpenAPI document (an entry of FastAPI's `openapi_tags`): Swagger
/// UI and ReDoc show it above the tag's operations, in the order of the list.
///
/// ```swift
/// app.openAPITags = [
///     APITag(name: "items", description: "Operations on **items**.",
///            externalDocs: APIExternalDocs(url: "https://example.com/items/", description: "Items explained")),
///     APITag(name: "users", description: "Who may borrow them."),
/// ]
/// ```
public struct APITag: Sendable, Hashable {
    /// The tag, as routes name it in `tags:`.
    public var name: String
    /// Its description (Markdown).
    public var description: String?
    /// A link to more.
    public var externalDocs: APIExternalDocs?

    /// A tag's description.
    public init(name: String, description: String? = nil, externalDocs: APIExternalDocs? = nil) {
        self.name = name
        self.description = description
        self.externalDocs = externalDocs
    }

    var json: JSONValue {
        var object: JSONValue = ["name": .string(self.name)]
        if let description { object.set("description", .string(description)) }
        if let externalDocs { object.set("externalDocs", externalDocs.json) }
        return object
    }
}

/// What ``App/generateUniqueID`` sees of a route: enough to name its operation.
public struct RouteDescription: Sendable, Hashable {
    /// The route's name (`name:`, else FastAPI's default from the method and path).
    public var name: String
    /// The path template as documented (`/items/{item_id}`).
    public var path: String
    /// The method, upper-case (`GET`).
    public var method: String
    /// The route's tags, its routers' first.
    public var tags: [String]
}

/// What the document says about the API beyond its routes: `info`'s terms, contact and
/// license, the tags' descriptions, the document's external docs, the unique-id function.
package struct OpenAPIMetadata: Sendable {
    package var termsOfService: String?
    package var contact: APIContact?
    package var license: APILicense?
    package var tags: [APITag] = []
    package var externalDocs: APIExternalDocs?
    package var uniqueID: (@Sendable (RouteDescription) -> String)?

    package init() {}
}
