// Shared by the fuzz targets (Scripts/fuzz.sh): one app whose routes take every kind of
// parameter, and the steps of the request pipeline that need no socket and run no handler.
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOWebSocket
@testable package import Apus

/// A body model with nesting, optionals, arrays, constraints and every primitive.
struct FuzzItem: Codable, Sendable {
    var name: String
    var price: Double
    var count: Int?
    var ratio: Float?
    var tags: [String]
    var small: Int8?
    var id: UUID?
    var when: Date?
    var lines: [FuzzLine]?
}

/// A nested model.
struct FuzzLine: Codable, Sendable {
    var sku: String
    var qty: UInt16
}

/// The pipeline without a socket: decode (NIO's decoder as the server wraps it), check the
/// head, route, extract and validate every parameter. Handlers never run.
package final class FuzzPipeline {
    package let pipeline: RequestPipeline
    package let limits: MultipartLimits

    package init() {
        let app = App(title: "Fuzz", logger: Logger(label: "fuzz") { _ in SwiftLogNoOpLogHandler() })
        app.get("/items/{item_id}", Path<Int>("item_id", .greaterThan(0)), Query<String?>("q", .maxLength(50)),
            Query<[Int]>("n"), Header<String?>("x-token"), Cookie<String?>("session")) { id, q, n, token, session async in
            PlainText("\(id)\(q ?? "")\(n)\(token ?? "")\(session ?? "")")
        }
        app.get("/files/{path:path}", Path<String>("path"), Query<Bool?>("raw"), Query<Double?>("scale")) { path, raw, scale async in
            PlainText(path)
        }
        app.post("/items", Body<FuzzItem>()) { item async in item }
        app.post("/login", Form<String>("username", .minLength(1)), Form<String>("password"), Form<[String]>("scope"),
            Form<Int?>("age")) { user, _, _, _ async in PlainText(user) }
        app.post("/upload", File<UploadFile>("file"), Form<String?>("note")) { file, _ async in PlainText("\(file.size)") }
        var configuration = ServerConfiguration()
        configuration.eventLoopThreads = 1
        configuration.blockingThreads = 1
        configuration.stallThreshold = nil
        do {
            self.pipeline = try app.makeRuntime(configuration: configuration).pipeline
        } catch {
            fatalError("the fuzz app does not configure: \(error)")
        }
        self.limits = configuration.multipart
    }

    /// Routes `request` and validates its parameters (the body included), as the server does
    /// before it would run the handler.
    package func prepare(_ request: Request) {
        var head = request
        head.body = nil
        guard case .receive(let intake, var admitted) = self.pipeline.admit(head) else { return }
        defer { intake.discard() }
        if let body = request.body, intake.receive(body, into: &admitted) != nil { return }
        guard intake.finish(admitted) == nil else { return }
        _ = (intake as? any RouteIntake)?.validate(admitted)
    }

    /// Feeds raw bytes to the server's request decoder in two pieces, then checks, routes and
    /// validates each request it decodes.
    package func serve(_ bytes: UnsafeRawBufferPointer) {
        let channel = EmbeddedChannel()
        let collector = PartCollector()
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = 32 << 10
        limits.maxHeaderFieldSize = 32 << 10
        do {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(RequestDecoder(limits: limits, link: RequestDecoderLink())))
            try channel.pipeline.syncOperations.addHandler(collector)
        } catch {
            return
        }
        let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
        for piece in [bytes[..<cut], bytes[cut...]] where !piece.isEmpty {
            var buffer = channel.allocator.buffer(capacity: piece.count)
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: piece))
            do { try channel.writeInbound(buffer) } catch { break }
        }
        _ = try? channel.finish(acceptAlreadyClosed: true)
        channel.embeddedEventLoop.run()
        for (head, body) in collector.requests {
            guard case .proceed(let checked, _) = RequestHeadChecks.check(head) else { continue }
            self.prepare(Request(method: checked.method, uri: checked.uri, headers: checked.headers, body: body))
        }
    }

    /// A body sent to `uri` with `contentType`, through routing and validation.
    package func post(_ uri: String, contentType: String, _ bytes: UnsafeRawBufferPointer) {
        var body = ByteBuffer()
        body.writeBytes(bytes)
        self.prepare(Request(method: .POST, uri: uri, headers: ["host": "fuzz", "content-type": contentType], body: body))
    }

    /// A multipart body fed to the collector in pieces cut where its first bytes say.
    package func multipart(_ bytes: UnsafeRawBufferPointer) {
        self.post("/upload", contentType: "multipart/form-data; boundary=B", bytes)
        guard let collector = MultipartCollector(contentType: "multipart/form-data; boundary=B", limits: self.limits, spool: false)
        else { return }
        var offset = 0
        var step = 1
        while offset < bytes.count {
            let size = max(1, Int(bytes[offset]) * step % 97)
            var piece = ByteBuffer()
            piece.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[offset..<min(bytes.count, offset + size)]))
            offset += size
            step += 1
            do { try collector.feed(piece) } catch { return }
        }
        _ = try? collector.finish()
        collector.discard()
    }

    /// Raw bytes into an accepted WebSocket: NIO's frame decoder, then Apus's frame handler
    /// (fragments, limits, UTF-8, control frames, close codes).
    package func webSocket(_ bytes: UnsafeRawBufferPointer) {
        let channel = EmbeddedChannel()
        var configuration = WebSocketConfiguration()
        configuration.pingInterval = nil
        configuration.maxMessageSize = 64 << 10
        let inbox = WebSocketInbox()
        do {
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 32 << 10)))
            try channel.pipeline.syncOperations.addHandler(WebSocketFrameEncoder())
            try channel.pipeline.syncOperations.addHandler(WebSocketChannelHandler(inbox: inbox, configuration: configuration))
        } catch {
            return
        }
        var buffer = channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        _ = try? channel.writeInbound(buffer)
        while (try? channel.readOutbound(as: ByteBuffer.self)) != nil {}
        // The close timeout's timer fires, the channel closes and its pipeline is torn down
        // (a channel left with pending tasks would be reported as a leak).
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        _ = try? channel.finish(acceptAlreadyClosed: true)
        channel.embeddedEventLoop.run()
    }
}

/// Collects decoded requests (head and body).
final class PartCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    var requests: [(HTTPRequestHead, ByteBuffer?)] = []
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            self.body = nil
        case .body(var chunk):
            if self.body == nil { self.body = chunk } else { self.body?.writeBuffer(&chunk) }
        case .end:
            if let head = self.head { self.requests.append((head, self.body)) }
            self.head = nil
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}

#if FUZZING
import CLibFuzzer

/// The input handler libFuzzer's C callback calls. `nonisolated(unsafe)`: set once before
/// libFuzzer starts, then read from its one thread.
nonisolated(unsafe) private var fuzzInput: ((UnsafeRawBufferPointer) -> Void)?

/// libFuzzer's input callback (its runtime's own `main` refers to it by name).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzInput?(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
#endif

/// A fuzz target's main: built by Scripts/fuzz.sh (`-sanitize=fuzzer,address -DFUZZING`) it
/// hands `body` to libFuzzer; otherwise it runs `body` on each file or folder named on the
/// command line (the corpus, a crash to replay).
package func runFuzzTarget(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
    #if FUZZING
    fuzzInput = body
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
    #else
    replayFiles(body)
    exit(0)
    #endif
}

/// Runs `body` on each file named on the command line.
func replayFiles(_ body: (UnsafeRawBufferPointer) -> Void) {
    for path in CommandLine.arguments.dropFirst() {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
        let files = isDirectory.boolValue
            ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { "\(path)/\($0)" } : [path]
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            data.withUnsafeBytes { body($0) }
        }
        print("replayed \(files.count) input(s) from \(path)")
    }
}
