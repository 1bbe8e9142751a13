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
}
