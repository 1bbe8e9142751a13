import Foundation
public import NIOCore
import _NIOFileSystem

/// A file sent in a `multipart/form-data` body (FastAPI's `UploadFile`). Small files stay in
/// memory; past ``spoolThreshold`` the content is written to a temporary file while it
/// arrives, so that a large upload never sits in memory. The temporary file is removed when
/// the last reference to the upload goes away (after the request, unless kept longer).
public final class UploadFile: Sendable {
    /// Content kept in memory up to this size (1 MiB, Starlette's `SpooledTemporaryFile` default).
    public static let spoolThreshold = 1 << 20

    /// The name the client gave the file, if any.
    public let filename: String?
    /// The part's `Content-Type`.
    public let contentType: String?
    /// All the part's headers.
    public let headers: [(name: String, value: String)]
    /// The size in bytes.
    public let size: Int
    let storage: Storage

    enum Storage: Sendable {
        case memory(ByteBuffer)
        case file(String)
    }

    init(filename: String?, contentType: String?, headers: [(name: String, value: String)], size: Int, storage: Storage) {
        self.filename = filename
        self.contentType = contentType
        self.headers = headers
        self.size = size
        self.storage = storage
    }

    /// The temporary file holding the content, when it was spooled to disk.
    public var temporaryFile: String? {
        if case .file(let path) = self.storage { return path }
        return nil
    }

    /// The whole content (read with SwiftNIO's non-blocking file system when spooled).
    public func read() async throws -> ByteBuffer {
        switch self.storage {
        case .memory(let buffer): return buffer
        case .file(let path):
            return try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
                try await handle.readToEnd(maximumSizeAllowed: .bytes(Int64(self.size)))
            }
        }
    }

    /// The content in pieces of at most `chunkSize` bytes, read when asked for (so a slow
    /// consumer never makes the whole file sit in memory).
    public func chunks(chunkSize: Int = 256 * 1024) -> Chunks {
        Chunks(upload: self, chunkSize: max(1, chunkSize))
    }

    /// The pieces of an upload's content; each is read from the spooled file when asked for.
    public struct Chunks: AsyncSequence, Sendable {
        public typealias Element = ByteBuffer
        let upload: UploadFile
        let chunkSize: Int

        public func makeAsyncIterator() -> Iterator { Iterator(upload: self.upload, chunkSize: self.chunkSize) }

        /// Reads the next piece.
        public struct Iterator: AsyncIteratorProtocol {
            let upload: UploadFile
            let chunkSize: Int
            var offset = 0

            public mutating func next() async throws -> ByteBuffer? {
                guard self.offset < self.upload.size else { return nil }
                let length = Swift.min(self.chunkSize, self.upload.size - self.offset)
                let piece: ByteBuffer
                switch self.upload.storage {
                case .memory(let buffer):
                    piece = buffer.getSlice(at: buffer.readerIndex + self.offset, length: length) ?? ByteBuffer()
                case .file(let path):
                    let offset = Int64(self.offset)
                    piece = try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
                        try await handle.readChunk(fromAbsoluteOffset: offset, length: .bytes(Int64(length)))
                    }
                }
                guard piece.readableBytes > 0 else { return nil }
                self.offset += piece.readableBytes
                return piece
            }
        }
    }

    deinit {
        if case .file(let path) = self.storage { unlink(path) }
    }
}

/// The fields and files of a form body, as parameters read them (a reference, so that a
/// request carrying one stays small to copy).
package final class FormData: Sendable {
    package let fields: [(name: String, value: String)]
    package let files: [(name: String, file: UploadFile)]

    init(fields: [(name: String, value: String)], files: [(name: String, file: UploadFile)]) {
        self.fields = fields
        self.files = files
    }

    func uploads(_ name: String) -> [UploadFile] { self.files.filter { $0.name == name }.map(\.file) }
}
