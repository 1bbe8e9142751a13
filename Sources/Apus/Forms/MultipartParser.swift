import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming `multipart/form-data` parser (RFC 7578 on RFC 2046's framing), linear in the
/// body's size: each byte is looked at a bounded number of times, part headers are bounded in
/// bytes and lines, and a part's content is handed on as slices of the buffers read (one
/// slice a read, whatever bytes the data holds), never byte by byte.
///
/// Only a delimiter's worth of bytes (`\r\n--boundary`, at most 204) or one unfinished header
/// line is kept between reads.
struct MultipartParser {
    /// What the parser found, in order.
    enum Event {
        /// A header of the current part (a part starts with its first header or content).
        case header(name: String, value: String)
        /// A piece of the current part's content.
        case content(ByteBuffer)
        /// The current part ended.
        case partEnd
    }

    private enum State {
        /// Before the first delimiter: ignored (RFC 2046's preamble).
        case preamble
        /// After a delimiter: `--` (the end) or padding and a line end (a part follows).
        case afterDelimiter
        /// In a part's header section, `lines` read so far of `bytes` bytes.
        case headers(lines: Int, bytes: Int)
        /// In a part's content.
        case content
        /// After the closing delimiter: the rest is ignored (RFC 2046's epilogue).
        case epilogue
    }

    /// `\r\n--boundary`: what ends a part's content.
    private let delimiter: [UInt8]
    private let maxHeaderBytes: Int
    private let maxHeaderLines: Int
    private var state = State.preamble
    /// Bytes read but not yet used (a possible delimiter's start, an unfinished header line).
    private var pending = ByteBuffer()

    /// Whether the closing delimiter was read.
    var isComplete: Bool {
        if case .epilogue = self.state { return true }
        return false
    }

    init(boundary: String, maxHeaderBytes: Int, maxHeaderLines: Int) {
        self.delimiter = Array("\r\n--\(boundary)".utf8)
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderLines = maxHeaderLines
        // The first delimiter may open the body without a line end before it.
        self.pending.writeString("\r\n")
    }

    /// Parses the next piece of the body, calling `handle` for each event; throws at the
    /// first problem (nothing after it is parsed).
    mutating func feed(
        _ chunk: ByteBuffer, _ handle: (Event) throws(MultipartCollector.Failure) -> Void
    ) throws(MultipartCollector.Failure) {
        var buffer: ByteBuffer
        if self.pending.readableBytes == 0 {
            buffer = chunk
        } else {
            buffer = self.pending
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        self.pending = ByteBuffer()
        while buffer.readableBytes > 0 {
            switch self.state {
            case .preamble:
                guard let found = Self.find(self.delimiter, in: buffer) else {
                    // Keep what could be the start of the delimiter.
                    buffer.moveReaderIndex(forwardBy: max(0, buffer.readableBytes - (self.delimiter.count - 1)))
                    self.keep(buffer)
                    return
                }
                buffer.moveReaderIndex(forwardBy: found + self.delimiter.count)
                self.state = .afterDelimiter
            case .afterDelimiter:
                guard let next = try self.readAfterDelimiter(&buffer) else {
                    self.keep(buffer)
                    return
                }
                self.state = next
            case .headers(var lines, var bytes):
                guard let lineEnd = Self.find([13, 10], in: buffer) else {
                    if bytes + buffer.readableBytes > self.maxHeaderBytes { throw .partHeadersTooLarge }
                    self.keep(buffer)
                    return
                }
                bytes += lineEnd + 2
                if bytes > self.maxHeaderBytes { throw .partHeadersTooLarge }
                guard lineEnd > 0 else {
                    buffer.moveReaderIndex(forwardBy: 2)
                    self.state = .content
                    continue
                }
                lines += 1
                if lines > self.maxHeaderLines { throw .tooManyPartHeaders }
                guard let line = buffer.readSlice(length: lineEnd) else { throw .malformed }
                buffer.moveReaderIndex(forwardBy: 2)
                try handle(try Self.header(line))
                self.state = .headers(lines: lines, bytes: bytes)
            case .content:
                if let found = Self.find(self.delimiter, in: buffer) {
                    if found > 0, let content = buffer.readSlice(length: found) { try handle(.content(content)) }
                    buffer.moveReaderIndex(forwardBy: self.delimiter.count)
                    try handle(.partEnd)
                    self.state = .afterDelimiter
                } else {
                    // All but a possible delimiter start is content.
                    let safe = buffer.readableBytes - (self.delimiter.count - 1)
                    if safe > 0, let content = buffer.readSlice(length: safe) { try handle(.content(content)) }
                    self.keep(buffer)
                    return
                }
            case .epilogue:
                return
            }
        }
    }

    /// Keeps the unread rest of `buffer` for the next piece.
    private mutating func keep(_ buffer: ByteBuffer) {
        self.pending = buffer.readableBytes > 0 ? ByteBuffer(buffer.readableBytesView) : ByteBuffer()
    }

    /// After a delimiter: `--` ends the body; optional spaces or tabs and CRLF start a part;
    /// `nil` when more bytes are needed.
    private func readAfterDelimiter(_ buffer: inout ByteBuffer) throws(MultipartCollector.Failure) -> State? {
        let view = buffer.readableBytesView
        guard let first = view.first else { return nil }
        if first == UInt8(ascii: "-") {
            guard view.count >= 2 else { return nil }
            guard view[view.startIndex + 1] == UInt8(ascii: "-") else { throw .malformed }
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return .epilogue
        }
        var index = view.startIndex
        while index < view.endIndex, view[index] == UInt8(ascii: " ") || view[index] == UInt8(ascii: "\t") {
            index += 1
            if index - view.startIndex > 64 { throw .malformed }
        }
        guard index + 1 < view.endIndex else { return nil }
        guard view[index] == 13, view[index + 1] == 10 else { throw .malformed }
        buffer.moveReaderIndex(forwardBy: index + 2 - view.startIndex)
        return .headers(lines: 0, bytes: 0)
    }

    /// `Name: value` (RFC 9110 field syntax; the value trimmed of spaces and tabs).
    private static func header(_ line: ByteBuffer) throws(MultipartCollector.Failure) -> Event {
        let view = line.readableBytesView
        guard let colon = view.firstIndex(of: UInt8(ascii: ":")), colon > view.startIndex else { throw .malformed }
        let name = view[view.startIndex..<colon]
        guard name.allSatisfy(Self.isTokenByte) else { throw .malformed }
        var valueStart = colon + 1
        var valueEnd = view.endIndex
        while valueStart < valueEnd, view[valueStart] == UInt8(ascii: " ") || view[valueStart] == UInt8(ascii: "\t") { valueStart += 1 }
        while valueEnd > valueStart, view[valueEnd - 1] == UInt8(ascii: " ") || view[valueEnd - 1] == UInt8(ascii: "\t") { valueEnd -= 1 }
        return .header(name: String(decoding: name, as: UTF8.self), value: String(decoding: view[valueStart..<valueEnd], as: UTF8.self))
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }

    /// The offset of `needle` in `buffer`'s readable bytes: a scan for its first byte, then a
    /// comparison of the rest.
    static func find(_ needle: [UInt8], in buffer: ByteBuffer) -> Int? {
        needle.withUnsafeBytes { needleBytes -> Int? in
            buffer.withUnsafeReadableBytes { bytes -> Int? in
                guard let first = needleBytes.first, bytes.count >= needleBytes.count, let base = bytes.baseAddress,
                    let needleBase = needleBytes.baseAddress
                else { return nil }
                let last = bytes.count - needleBytes.count
                var index = 0
                while index <= last {
                    guard let hit = memchr(base + index, Int32(first), last - index + 1) else { return nil }
                    let offset = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + offset, needleBase, needleBytes.count) == 0 { return offset }
                    index = offset + 1
                }
                return nil
            }
        }
    }
}
