/// A server the OpenAPI document lists under `servers` (FastAPI's `servers=[{"url": ..., "description": ...}]`):
/// Swagger UI offers them to send requests to. Behind a proxy with a root path, the document
/// served lists the root path first, as FastAPI's does.
///
/// ```swift
/// let app = App(title: "Inventory")
/// app.servers = [
///     OpenAPIServer(url: "https://stag.example.com", description: "Staging"),
///     OpenAPIServer(url: "https://prod.example.com", description: "Production"),
/// ]
/// ```
public struct OpenAPIServer: Sendable, Hashable {
    /// The server's URL, absolute or relative to the document (`/api/v1`).
    public var url: String
    /// What the server is, shown beside it.
    public var description: String?

    /// A server at `url`.
    public init(url: String, description: String? = nil) {
        self.url = url
        self.description = description
    }

    var json: JSONValue {
        var object: JSONValue = ["url": .string(self.url)]
        if let description = self.description { object.set("description", .string(description)) }
        return object
    }

    /// FastAPI's list for a request under `rootPath`: the root path first unless listed already.
    static func served(_ servers: [OpenAPIServer], rootPath: String) -> [OpenAPIServer] {
        guard !rootPath.isEmpty, !servers.contains(where: { $0.url == rootPath }) else { return servers }
        return [OpenAPIServer(url: rootPath)] + servers
    }
}
