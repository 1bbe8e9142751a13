import Foundation

/// Notices edits to a package's sources (every file under `Sources/`, and `Package.swift`):
/// through inotify on Linux, looked at every 100 ms; where inotify is not available (or misses
/// events, as on some network and container file systems' mounts) by comparing each file's
/// modification time and size every 200 ms. A change counts once the files' snapshot differs,
/// so that saving a file unchanged rebuilds nothing.
struct SourceWatcher {
    let root: URL
    var interval: Duration = .milliseconds(200)
    #if canImport(Glibc)
    private let events: FileEvents?
    #endif

    init(root: URL) {
        self.root = root
        #if canImport(Glibc)
        self.events = FileEvents(root: root)
        #endif
    }

    /// Whether changes are seen through inotify (else by polling).
    var usesFileEvents: Bool {
        #if canImport(Glibc)
        self.events != nil
        #else
        false
        #endif
    }

    /// Each watched file's modification time and size.
    func snapshot() -> [String: String] {
        var files: [String: String] = [:]
        let keys: Set<URLResourceKey> = [.contentModificationDateKey, .fileSizeKey, .isRegularFileKey]
        let sources = self.root.appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: Array(keys))
        var urls = [self.root.appendingPathComponent("Package.swift")]
        while let url = enumerator?.nextObject() as? URL { urls.append(url) }
        for url in urls {
            guard let values = try? url.resourceValues(forKeys: keys), values.isRegularFile == true else { continue }
            files[url.path] = "\(values.contentModificationDate?.timeIntervalSince1970 ?? 0)/\(values.fileSize ?? 0)"
        }
        return files
    }

    /// Returns once a watched file changed from `last`, with the new snapshot; waits for the
    /// editor to finish writing (two equal looks in a row).
    func nextChange(after last: [String: String]) async throws -> [String: String] {
        while true {
            #if canImport(Glibc)
            if let events = self.events {
                // Wait for an event before looking at the files (a full look every 5 s in case one was missed).
                var waited = Duration.zero
                while !events.changed() && waited < .seconds(5) {
                    try await Task.sleep(for: .milliseconds(100))
                    waited += .milliseconds(100)
                }
            } else {
                try await Task.sleep(for: self.interval)
            }
            #else
            try await Task.sleep(for: self.interval)
            #endif
            let now = self.snapshot()
            guard now != last else { continue }
            try await Task.sleep(for: .milliseconds(50))
            let settled = self.snapshot()
            if settled == now { return settled }
        }
    }
}
