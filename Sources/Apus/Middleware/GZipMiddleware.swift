import Foundation
import CompressNIO
import NIOCore

/// Compresses responses with gzip for clients that accept it (Starlette's `GZipMiddleware`):
/// bodies of at least `minimumSize` bytes get `Content-Encoding: gzip` and `Vary:
/// Accept-Encoding` (the `Vary` also when the client does not accept gzip). Responses that
/// already have a `Content-Encoding`, partial responses (206) and `text/event-stream` pass
/// untouched. Compression uses zlib through compress-nio.
public struct GZipMiddleware: Middleware {
    let minimumSize: Int
    let level: Int32

    /// Creates the middleware; `compressionLevel` goes from 1 (fast) to 9 (small, Starlette's default).
    public init(minimumSize: Int = 500, compressionLevel: Int = 9) {
        self.minimumSize = minimumSize
        self.level = Int32(min(9, max(1, compressionLevel)))
    }

    public func respond(to request: Request, next: MiddlewareNext) async throws -> Response {
        let acceptsGzip = (request.headers.first(name: "accept-encoding") ?? "").contains("gzip")
        var response = try await next(request)
        let mediaType = response.headers.first(name: "content-type")?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard !response.headers.contains(name: "content-encoding"), response.status != .partialContent,
            mediaType != "text/event-stream", response.body.readableBytes >= self.minimumSize
        else { return response }
        CORSMiddleware.addVary("Accept-Encoding", to: &response.headers)
        guard acceptsGzip else { return response }
        var body = response.body
        let level = ZlibConfiguration.CompressionLevel(rawValue: self.level) ?? .bestCompression
        response.body = try body.compress(with: .gzip(configuration: .init(compressionLevel: level)))
        response.headers.replaceOrAdd(name: "content-encoding", value: "gzip")
        return response
    }
}
