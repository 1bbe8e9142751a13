import NIOConcurrencyHelpers

extension App {
    /// The terms of service's URL in the document's `info` (FastAPI's `terms_of_service`).
    ///
    /// ```swift
    /// app.termsOfService = "https://example.com/terms/"
    /// ```
    public var termsOfService: String? {
        get { self.documentMetadata.withLockedValue { $0.termsOfService } }
        set { self.documentMetadata.withLockedValue { $0.termsOfService = newValue } }
    }

    /// The contact in the document's `info` (FastAPI's `contact`).
    public var contact: APIContact? {
        get { self.documentMetadata.withLockedValue { $0.contact } }
        set { self.documentMetadata.withLockedValue { $0.contact = newValue } }
    }

    /// The license in the document's `info` (FastAPI's `license_info`).
    public var license: APILicense? {
        get { self.documentMetadata.withLockedValue { $0.license } }
        set { self.documentMetadata.withLockedValue { $0.license = newValue } }
    }

    /// The tags' descriptions, in the order the docs show them (FastAPI's `openapi_tags`).
    public var openAPITags: [APITag] {
        get { self.documentMetadata.withLockedValue { $0.tags } }
        set { self.documentMetadata.withLockedValue { $0.tags = newValue } }
    }

    /// The document's link to documentation elsewhere (FastAPI's `openapi_external_docs`).
    ///
    /// ```swift
    /// app.externalDocs = APIExternalDocs(url: "https://example.com/handbook/", description: "The handbook")
    /// ```
    public var externalDocs: APIExternalDocs? {
        get { self.documentMetadata.withLockedValue { $0.externalDocs } }
        set { self.documentMetadata.withLockedValue { $0.externalDocs = newValue } }
    }

    /// Names each operation that has no `operationID:` (FastAPI's
    /// `generate_unique_id_function`): the name is its `operationId`, and also names its
    /// embedded-body component (`Body_<id>`) and its response's title. Client generators make
    /// their method names from it; `tag-name` gives `items.listItems()` rather than
    /// `listItemsItemsGet()`. Every operation's id must stay unique.
    ///
    /// ```swift
    /// app.generateUniqueID = { route in "\(route.tags.first ?? "default")-\(route.name)" }
    /// ```
    public var generateUniqueID: (@Sendable (RouteDescription) -> String)? {
        get { self.documentMetadata.withLockedValue { $0.uniqueID } }
        set { self.documentMetadata.withLockedValue { $0.uniqueID = newValue } }
    }
}
