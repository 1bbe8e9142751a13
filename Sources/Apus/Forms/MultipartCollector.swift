import Foundation
import NIOCore

/// The limits of a `multipart/form-data` body, per app (``ServerConfiguration/multipart``).
public struct MultipartLimits: Sendable {
    /// The most parts (fields and files) a body may have; more answers 400.
    public var maxParts: Int = 1000
    /// The largest file, in bytes; larger answers 413.
    public var maxFileSize: Int = 1 << 30
    /// The largest field that is not a file, in bytes; larger answers 400.
    public var maxFieldSize: Int = 1 << 20
    /// The largest header section of one part (its `Content-Disposition`, `Content-Type`...),
    /// in bytes; larger answers 400.
    public var maxPartHeaderSize: Int = 16 << 10
    /// The most header lines one part may have; more answers 400.
    public var maxPartHeaderLines: Int = 64

    /// The default limits: 1000 parts, 1 GiB per file, 1 MiB per field, 16 KiB and 64 lines of
    /// headers per part.
    public init() {}
}

/// Parses a `multipart/form-data` body while it arrives (``MultipartParser``): field
/// values are kept, file contents go to memory and, past ``UploadFile/spoolThreshold``, to a
/// temporary file. Used on one connection's event loop, one request at a time.
final class MultipartCollector {
    enum Failure: Error, Equatable {
        /// Malformed (bad boundary, broken headers, a part cut off).
        case malformed
        case tooManyParts
        case fieldTooLarge
        case fileTooLarge
        case partHeadersTooLarge
        case tooManyPartHeaders

        /// The error a request gets: 413 for a file over the limit, else 400 in Starlette's words.
        func httpError(limits: MultipartLimits) -> HTTPError {
            switch self {
            case .malformed: return HTTPError(.badRequest, detail: "There was an error parsing the body")
            case .tooManyParts: return HTTPError(.badRequest, detail: "Too many fields or files. Maximum number is \(limits.maxParts).")
            case .fieldTooLarge:
                return HTTPError(.badRequest, detail: "Part exceeded maximum size of \(limits.maxFieldSize / 1024)KB.")
            case .fileTooLarge: return .payloadTooLarge
            case .partHeadersTooLarge:
                return HTTPError(.badRequest, detail: "Part headers exceeded maximum size of \(limits.maxPartHeaderSize / 1024)KB.")
            case .tooManyPartHeaders:
                return HTTPError(.badRequest, detail: "Too many part headers. Maximum number is \(limits.maxPartHeaderLines).")
            }
        }
    }

    private var parser: MultipartParser
    private let limits: MultipartLimits
    private var fields: [(name: String, value: String)] = []
    private var files: [(name: String, file: UploadFile)] = []
    private var parts = 0
    private var failure: Failure?
    // The part being read.
    private var headers: [(name: String, value: String)] = []
    private var inPart = false
    private var memory = ByteBuffer()
    private var spool: (path: String, handle: FileHandle)?
    private var size = 0

    /// Whether files past ``UploadFile/spoolThreshold`` go to disk (else they stay in memory).
    private let spools: Bool

    /// A collector for a body whose `Content-Type` is `contentType`; `nil` when it is not
    /// multipart with a boundary.
    init?(contentType: String, limits: MultipartLimits, spool: Bool = true) {
        guard contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty, boundary.count <= 200
        else { return nil }
        self.parser = MultipartParser(
            boundary: boundary, maxHeaderBytes: limits.maxPartHeaderSize, maxHeaderLines: limits.maxPartHeaderLines)
        self.spools = spool
        self.limits = limits
    }

    /// Feeds a piece of the body; throws at the first problem (the rest is not read).
    func feed(_ buffer: ByteBuffer) throws(Failure) {
        if let failure { throw failure }
        do {
            try self.parser.feed(buffer) { (event: MultipartParser.Event) throws(Failure) in
                switch event {
                case .header(let name, let value): self.header(name, value)
                case .content(var content): self.body(&content)
                case .partEnd: self.partComplete()
                }
                if let failure = self.failure { throw failure }
            }
        } catch {
            self.fail(error)
            throw error
        }
    }

    /// The form, once the whole body was fed.
    func finish() throws(Failure) -> FormData {
        if let failure { throw failure }
        guard self.parser.isComplete else {
            // Cut off before the closing delimiter.
            self.fail(.malformed)
            throw .malformed
        }
        return FormData(fields: self.fields, files: self.files)
    }

    /// Drops what was collected (temporary files included).
    func discard() {
        self.closeSpool(remove: true)
        self.fields = []
        self.files = []
    }

    /// A part starts with its first header, or its first content when it has no headers.
    private func startPart() {
        self.inPart = true
        self.headers = []
        self.memory = ByteBuffer()
        self.size = 0
        self.parts += 1
        if self.parts > self.limits.maxParts { self.fail(.tooManyParts) }
    }

    private func header(_ name: String, _ value: String) {
        if !self.inPart { self.startPart() }
        self.headers.append((name, value))
    }

    private func body(_ body: inout ByteBuffer) {
        if !self.inPart { self.startPart() }
        guard self.failure == nil else { return }
        self.size += body.readableBytes
        let isFile = self.disposition.filename != nil
        if isFile {
            if self.size > self.limits.maxFileSize { return self.fail(.fileTooLarge) }
            if self.spools && self.spool == nil && self.size > UploadFile.spoolThreshold { self.startSpool() }
            if let spool {
                // Appended as it arrives: a page-cache write of one read's worth (<= 64 KiB).
                spool.handle.write(Data(body.readableBytesView))
                return
            }
        } else if self.size > self.limits.maxFieldSize {
            return self.fail(.fieldTooLarge)
        }
        self.memory.writeBuffer(&body)
    }

    private func partComplete() {
        // A part may have neither headers nor content.
        if !self.inPart { self.startPart() }
        guard self.failure == nil else { return }
        self.inPart = false
        let disposition = self.disposition
        guard let name = disposition.name else { return }
        if let filename = disposition.filename {
            let contentType = self.headers.last { $0.name.lowercased() == "content-type" }?.value
            let storage: UploadFile.Storage
            if let spool = self.spool {
                try? spool.handle.close()
                storage = .file(spool.path)
                self.spool = nil
            } else {
                storage = .memory(self.memory)
            }
            let upload = UploadFile(filename: filename, contentType: contentType, headers: self.headers, size: self.size, storage: storage)
            self.files.append((name, upload))
        } else {
            self.fields.append((name, String(decoding: self.memory.readableBytesView, as: UTF8.self)))
        }
    }

    private func startSpool() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("apus-upload-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            return self.fail(.malformed)
        }
        handle.write(Data(self.memory.readableBytesView))
        self.memory = ByteBuffer()
        self.spool = (path, handle)
    }

    private func closeSpool(remove: Bool) {
        guard let spool else { return }
        try? spool.handle.close()
        if remove { unlink(spool.path) }
        self.spool = nil
    }

    private func fail(_ failure: Failure) {
        if self.failure == nil { self.failure = failure }
        self.discard()
    }

    /// The `name` and `filename` of the current part's `Content-Disposition`.
    private var disposition: (name: String?, filename: String?) {
        guard let value = self.headers.last(where: { $0.name.lowercased() == "content-disposition" })?.value else { return (nil, nil) }
        return (Self.parameter("name", in: value), Self.parameter("filename", in: value))
    }

    /// A `key=value` or `key="value"` parameter of a header value.
    static func parameter(_ key: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var found = pair[1].trimmingCharacters(in: .whitespaces)
            if found.hasPrefix("\""), found.hasSuffix("\""), found.count >= 2 { found = String(found.dropFirst().dropLast()) }
            return found
        }
        return nil
    }
}
