import Apus
import ApusTesting
import Foundation
import Testing

@testable import Apus

@Suite("Multipart parsing: streaming, binary content, part header limits")
struct MultipartParserTests {
    /// Content that is hard on a parser: every byte value, line ends, dashes and near-misses of
    /// the delimiter (`\r\n--Boundar`), ending in a CR.
    static let hostileContent: [UInt8] = {
        var bytes = [UInt8](0...255)
        bytes += Array("\r\n--Boundar\r\n--\r\r\n-\r\n--Boundarx\n\r".utf8)
        bytes += (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 13) }
        bytes.append(13)
        return bytes
    }()

    static func body(_ content: [UInt8], boundary: String = "Boundary") -> ByteBuffer {
        var body = ByteBuffer(string: "preamble\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n")
        body.writeString("--\(boundary)  \r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(content)
        body.writeString("\r\n--\(boundary)--\r\nepilogue")
        return body
    }

    static func collect(_ body: ByteBuffer, pieces: [Int], limits: MultipartLimits = MultipartLimits()) throws -> FormData {
        let collector = try #require(
            MultipartCollector(contentType: "multipart/form-data; boundary=Boundary", limits: limits, spool: false))
        var rest = body
        for size in pieces {
            guard let piece = rest.readSlice(length: min(size, rest.readableBytes)) else { break }
            try collector.feed(piece)
        }
        if rest.readableBytes > 0 { try collector.feed(rest) }
        return try collector.finish()
    }

    static func content(of form: FormData) async throws -> [UInt8] {
        let file = try #require(form.files.first { $0.name == "file" }?.file)
        return Array(try await file.read().readableBytesView)
    }

    @Test("binary content with line ends and delimiter near-misses comes back intact, however the body is split")
    func splitsAnywhere() async throws {
        let body = Self.body(Self.hostileContent)
        let whole = try Self.collect(body, pieces: [body.readableBytes])
        #expect(try await Self.content(of: whole) == Self.hostileContent)
        #expect(whole.fields.map(\.value) == ["hi"])
        #expect(whole.files.first?.file.filename == "b.bin")
        #expect(whole.files.first?.file.contentType == "application/octet-stream")
        for cut in 1..<body.readableBytes {
            let form = try Self.collect(body, pieces: [cut])
            #expect(try await Self.content(of: form) == Self.hostileContent, "cut at \(cut)")
            #expect(form.fields.map(\.value) == ["hi"], "cut at \(cut)")
        }
        let byteByByte = try Self.collect(body, pieces: Array(repeating: 1, count: body.readableBytes))
        #expect(try await Self.content(of: byteByByte) == Self.hostileContent)
    }

    @Test("a part's content reaches the collector in one piece per read, not split at each CR")
    func contentInLargePieces() throws {
        var parser = MultipartParser(boundary: "Boundary", maxHeaderBytes: 16 << 10, maxHeaderLines: 64)
        var random = SystemRandomNumberGenerator()
        let content = (0..<(256 << 10)).map { _ in UInt8.random(in: 0...255, using: &random) }
        var body = Self.body(content)
        var pieces = 0
        var received = 0
        while let chunk = body.readSlice(length: min(64 << 10, body.readableBytes)), chunk.readableBytes > 0 {
            try parser.feed(chunk) { event throws(MultipartCollector.Failure) in
                if case .content(let piece) = event {
                    pieces += 1
                    received += piece.readableBytes
                }
            }
        }
        #expect(parser.isComplete)
        #expect(received == content.count + 2)  // the file and the field "hi"
        #expect(pieces <= 7, "\(pieces) pieces for 5 reads")
    }

    @Test("part headers past 16 KiB or 64 lines answer 400 in words (over HTTP, in both modes)")
    func headerLimits() async throws {
        let app = makeApp()
        app.post("/upload", File<UploadFile>("file")) { file async in file.size }
        let longHeader = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\nX-Long: \(String(repeating: "h", count: 17 << 10))\r\n\r\nxx\r\n--B--\r\n"
        let manyLines = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n"
            + (0..<64).map { "X-\($0): v\r\n" }.joined() + "\r\nxx\r\n--B--\r\n"
        let fits = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n"
            + (0..<63).map { "X-\($0): v\r\n" }.joined() + "\r\nxx\r\n--B--\r\n"
        for mode in [TestClient.Mode.inProcess, .live] {
            try await TestClient.run(app, mode: mode) { client async throws in
                let multipart: HTTPHeaders = ["content-type": "multipart/form-data; boundary=B"]
                let long = try await client.request(.POST, "/upload", headers: multipart, body: ByteBuffer(string: longHeader))
                #expect(long.status == .badRequest)
                #expect(long.header("content-type") == "application/json")
                #expect(long.text == #"{"detail":"Part headers exceeded maximum size of 16KB."}"#)
                let many = try await client.request(.POST, "/upload", headers: multipart, body: ByteBuffer(string: manyLines))
                #expect(many.status == .badRequest)
                #expect(many.text == #"{"detail":"Too many part headers. Maximum number is 64."}"#)
                let ok = try await client.request(.POST, "/upload", headers: multipart, body: ByteBuffer(string: fits))
                #expect(ok.status == .ok)
                #expect(ok.text == "2")
            }
        }
    }

    @Test("2,000,000 header lines in one part stop at the limit: nothing is kept")
    func millionsOfHeaderLines() throws {
        var parser = MultipartParser(boundary: "B", maxHeaderBytes: 16 << 10, maxHeaderLines: 64)
        let line = ByteBuffer(string: String(repeating: "X: v\r\n", count: 10_000))
        var failure: MultipartCollector.Failure?
        do {
            try parser.feed(ByteBuffer(string: "--B\r\n")) { _ throws(MultipartCollector.Failure) in }
            for _ in 0..<200 { try parser.feed(line) { _ throws(MultipartCollector.Failure) in } }
        } catch {
            failure = error
        }
        #expect(failure == .tooManyPartHeaders)
    }
}
