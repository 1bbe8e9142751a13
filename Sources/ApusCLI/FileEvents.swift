#if canImport(Glibc)
import Glibc
import Foundation

/// Linux's inotify on every folder of a package's `Sources/` and on its root (for
/// `Package.swift`): whether anything was written, moved or deleted since the last look.
/// Non-blocking: a look is one `read` that finds nothing most of the time.
final class FileEvents {
    private let descriptor: Int32
    private let root: URL
    private var watched: Set<String> = []

    /// `nil` where inotify is not available (then the watcher compares snapshots).
    init?(root: URL) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
        self.root = root
        self.watchFolders()
        guard !self.watched.isEmpty else {
            close(descriptor)
            return nil
        }
    }

    deinit { close(self.descriptor) }

    /// Adds a watch on every folder not watched yet (new folders appear with new modules).
    private func watchFolders() {
        let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)
        var folders = [self.root.path]
        let sources = self.root.appendingPathComponent("Sources")
        if let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: [.isDirectoryKey]) {
            folders.append(sources.path)
            for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true {
                folders.append(url.path)
            }
        }
        for folder in folders where !self.watched.contains(folder) {
            if inotify_add_watch(self.descriptor, folder, mask) >= 0 { self.watched.insert(folder) }
        }
    }

    /// Whether an event came since the last call (the events are read and dropped).
    func changed() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var any = false
        while true {
            let count = buffer.withUnsafeMutableBytes { read(self.descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            any = true
        }
        if any { self.watchFolders() }
        return any
    }
}
#endif
