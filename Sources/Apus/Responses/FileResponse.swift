import Foundation
#if canImport(CDispatch)
// `stat` and its fields: in a whole-module (release) build the clang importer can attribute
// them to CDispatch (Dispatch's module, which includes <sys/stat.h> too), and with
// MemberImportVisibility they are then usable only where CDispatch is imported.
import CDispatch
#endif
public import NIOHTTP1
import _NIOFileSystem

/// A file as the response (Starlette's `FileResponse`): `Content-Type` from the extension,
/// `Content-Length`, `Last-Modified`, `ETag`, `Accept-Ranges: bytes`; conditional requests
/// (`If-None-Match`, `If-Modified-Since`) get `304 Not Modified`, a single `Range` gets
/// `206 Partial Content`, an unsatisfiable one `416`. The content is read with SwiftNIO's
/// non-blocking file system and streamed, 64 KiB at a time, never whole in memory.
///
/// ```swift
/// app.get("/report") { FileResponse(path: "/srv/reports/latest.pdf", filename: "report.pdf") }
/// ```
///
/// A missing or unreadable file answers 404 `{"detail":"Not Found"}`.
public struct FileResponse: ResponseConvertible {
    /// The file's path.
    public var path: String
    /// The content type; by default from the file's extension.
    public var mediaType: String?
    /// When set, `Content-Disposition: attachment; filename="..."` (a download).
    public var filename: String?
    /// Other headers.
    public var headers: HTTPHeaders

    /// A response for the file at `path`.
    public init(path: String, mediaType: String? = nil, filename: String? = nil, headers: HTTPHeaders = [:]) {
        self.path = path
        self.mediaType = mediaType
        self.filename = filename
        self.headers = headers
    }

    /// The file for `request`: 304 when its `If-None-Match`/`If-Modified-Since` match, 206 for
    /// a single satisfiable `Range` (416 for an unsatisfiable one), else the whole file
    /// with the route's status; 404 when the file is missing.
    public func response(to request: Request, status: HTTPResponseStatus) -> Response {
        // stat(2) on a local file: a few microseconds, no I/O wait worth a hop.
        var info = stat()
        guard stat(self.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .detail("Not Found", status: .notFound) }
        let size = Int64(info.st_size)
        let modified = Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)
        var headers = self.headers
        headers.replaceOrAdd(name: "content-type", value: self.mediaType ?? MediaTypes.guess(forPath: self.path))
        headers.replaceOrAdd(name: "last-modified", value: HTTPDateCache.format(secondsSince1970: info.st_mtim.tv_sec))
        headers.replaceOrAdd(
            name: "etag", value: "\"\(String(info.st_mtim.tv_sec, radix: 16))\(String(info.st_mtim.tv_nsec, radix: 16))-\(String(size, radix: 16))\"")
        headers.replaceOrAdd(name: "accept-ranges", value: "bytes")
        if let filename {
            headers.replaceOrAdd(name: "content-disposition", value: "attachment; filename=\"\(filename.replacingOccurrences(of: "\"", with: ""))\"")
        }
        let file = FileBody(path: self.path, size: size, modified: modified)
        return file.respond(Response(status: status, headers: headers), to: request)
    }
}

/// The file behind a ``FileResponse``: sent whole, in part (a `Range`) or not at all (304),
/// as the request's conditional and range headers ask.
struct FileBody: Sendable {
    let path: String
    let size: Int64
    let modified: Date

    /// `response` (the file's headers) for `request`: 304, 206, 416 or the whole file, with
    /// its streamed body. Only a 200 follows the conditional and range headers (Starlette's rule).
    func respond(_ response: Response, to request: Request) -> Response {
        var response = response
        if response.status == .ok, Self.notModified(response.headers, file: self, request: request) {
            var headers = HTTPHeaders()
            for name in ["etag", "last-modified", "cache-control", "vary"] {
                if let value = response.headers.first(name: name) { headers.add(name: name, value: value) }
            }
            return Response(status: .notModified, headers: headers)
        }
        var range: Range<Int64> = 0..<self.size
        if response.status == .ok, let header = request.headers.first(name: "range") {
            switch Self.parseRange(header, size: self.size) {
            case .none:
                break
            case .some(.satisfiable(let requested)):
                range = requested
                response.status = .partialContent
                response.headers.replaceOrAdd(
                    name: "content-range", value: "bytes \(requested.lowerBound)-\(requested.upperBound - 1)/\(self.size)")
            case .some(.unsatisfiable):
                return .detail("Range Not Satisfiable", status: .rangeNotSatisfiable, headers: ["content-range": "bytes */\(self.size)"])
            }
        }
        response.headers.replaceOrAdd(name: "content-length", value: String(range.count))
        let path = self.path
        let bytes = range
        response.bodyStream = ResponseBodyStream { writer in
            guard !bytes.isEmpty else { return }
            try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
                for try await chunk in handle.readChunks(in: bytes, chunkLength: .kibibytes(64)) {
                    try Task.checkCancellation()
                    try await writer.write(chunk)
                }
            }
        }
        return response
    }

    enum RangeRequest: Equatable {
        case satisfiable(Range<Int64>)
        case unsatisfiable
    }

    /// One `bytes=` range; `nil` (serve everything) for other units, several ranges or bad syntax.
    static func parseRange(_ header: String, size: Int64) -> RangeRequest? {
        let value = header.trimmingCharacters(in: .whitespaces)
        guard value.lowercased().hasPrefix("bytes="), !value.contains(",") else { return nil }
        let spec = value.dropFirst(6).trimmingCharacters(in: .whitespaces)
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let startText = parts[0].trimmingCharacters(in: .whitespaces)
        let endText = parts[1].trimmingCharacters(in: .whitespaces)
        if startText.isEmpty {
            // A suffix: the last N bytes.
            guard let suffix = Int64(endText), suffix >= 0 else { return nil }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .satisfiable(max(0, size - suffix)..<size)
        }
        guard let start = Int64(startText), start >= 0 else { return nil }
        let end: Int64
        if endText.isEmpty {
            end = size - 1
        } else {
            guard let parsed = Int64(endText), parsed >= start else { return nil }
            end = min(parsed, size - 1)
        }
        guard start < size else { return .unsatisfiable }
        return .satisfiable(start..<(end + 1))
    }

    /// Starlette's `is_not_modified`: a matching `If-None-Match`, else an `If-Modified-Since` not older than the file.
    static func notModified(_ headers: HTTPHeaders, file: FileBody, request: Request) -> Bool {
        if let ifNoneMatch = request.headers.first(name: "if-none-match") {
            guard let etag = headers.first(name: "etag") else { return false }
            let tags = ifNoneMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return tags.contains { $0 == "*" || $0 == etag || $0 == "W/" + etag }
        }
        if let since = request.headers.first(name: "if-modified-since").flatMap(HTTPDates.parse) {
            return floor(file.modified.timeIntervalSince1970) <= since.timeIntervalSince1970
        }
        return false
    }
}

