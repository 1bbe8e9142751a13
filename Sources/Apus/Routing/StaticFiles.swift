import Foundation
#if canImport(CDispatch)
// `stat` and its fields: in a whole-module (release) build the clang importer can attribute
// them to CDispatch (Dispatch's module, which includes <sys/stat.h> too), and with
// MemberImportVisibility they are then usable only where CDispatch is imported.
import CDispatch
#endif

/// Serves the files of a directory (Starlette's `StaticFiles`), mounted with
/// ``Router/mount(_:_:)``: `app.mount("/static", StaticFiles(directory: "public"))`.
///
/// Files are served as ``FileResponse``s (content types, `ETag`, 304, ranges). With
/// `html: true` a directory serves its `index.html`. Nothing outside the directory can be
/// reached: `..` segments (also percent-encoded, `%2e%2e`), encoded slashes, absolute paths
/// and symbolic links that resolve outside the directory all answer 404.
public struct StaticFiles: Sendable {
    /// The directory, resolved (symbolic links followed) when the app starts.
    public let directory: String
    /// Whether a directory serves its `index.html`.
    public let html: Bool

    /// Serves `directory` (relative paths are relative to the working directory).
    public init(directory: String, html: Bool = false) {
        let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        self.directory = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
        self.html = html
    }

    /// The file for the part of the path after the mount point, or `nil` (404).
    func resolve(_ relative: String) -> String? { self.lookup(relative)?.file }

    /// The file for the part of the path after the mount point, and whether it is a
    /// directory's `index.html` (only with ``html``); `nil` when there is none.
    func lookup(_ relative: String) -> (file: String, isDirectoryIndex: Bool)? {
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        // No way up, no empty segment (an absolute path or `//`), no backslash tricks.
        for (index, segment) in segments.enumerated() {
            if segment == ".." || segment == "." || segment.contains("\\") || segment.contains("\0") { return nil }
            if segment.isEmpty && index != segments.count - 1 { return nil }
        }
        var candidate = self.directory + "/" + relative
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory) else { return nil }
        let isDirectoryIndex = isDirectory.boolValue
        if isDirectoryIndex {
            guard self.html else { return nil }
            candidate += candidate.hasSuffix("/") ? "index.html" : "/index.html"
        }
        // Symbolic links must not lead outside the directory.
        let resolved = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
        guard resolved.hasPrefix(self.directory + "/") else { return nil }
        var info = stat()
        guard stat(resolved, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (resolved, isDirectoryIndex)
    }
}

extension RouteRegistrar {
    /// Serves `files` under `path` (`/static`): every `GET`/`HEAD` below it, not in the OpenAPI document.
    public func mount(_ path: String, _ files: StaticFiles) {
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        // Finding the file is a few blocking file-system calls: a sync handler, on the pool.
        self.get(base + "/{path:path}", includeInSchema: false, Path<String>("path")) { relative in
            guard let file = files.resolve(relative) else { throw HTTPError(.notFound) }
            return FileResponse(path: file)
        }
        if files.html {
            self.get(base + "/", includeInSchema: false) {
                guard let file = files.resolve("") else { throw HTTPError(.notFound) }
                return FileResponse(path: file)
            }
        }
    }
}
