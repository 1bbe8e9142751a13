import Foundation

/// Notices edits to a package's sources: the modification time and size of every file under
/// `Sources/` and of `Package.swift`, compared every `interval`. (Polling: it works on every
/// file system, containers' bind mounts included, and a package's few hundred files cost
/// little to look at.)
struct SourceWatcher {
    let root: URL
    var interval: Duration = .milliseconds(200)

    /// Each watched file's modification time and size.
    func snapshot() -> [String: String] {
        var files: [String: String] = [:]
        let manager = FileManager.default
        for entry in ["Package.swift"] {
            let path = self.root.appendingPathComponent(entry).path
            if let attributes = try? manager.attributesOfItem(atPath: path) { files[path] = Self.signature(attributes) }
        }
        let sources = self.root.appendingPathComponent("Sources")
        if let enumerator = manager.enumerator(at: sources, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey]) {
            for case let url as URL in enumerator {
                guard let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey, .isRegularFileKey]),
                    values.isRegularFile == true
                else { continue }
                files[url.path] = "\(values.contentModificationDate?.timeIntervalSince1970 ?? 0)/\(values.fileSize ?? 0)"
            }
        }
        return files
    }

    private static func signature(_ attributes: [FileAttributeKey: Any]) -> String {
        let date = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        return "\(date)/\(size)"
    }

    /// Returns once a watched file changed from `last`, with the new snapshot; waits for the
    /// editor to finish writing (two equal looks in a row).
    func nextChange(after last: [String: String]) async throws -> [String: String] {
        while true {
            try await Task.sleep(for: self.interval)
            let now = self.snapshot()
            guard now != last else { continue }
            try await Task.sleep(for: .milliseconds(50))
            let settled = self.snapshot()
            if settled == now { return settled }
        }
    }
}
