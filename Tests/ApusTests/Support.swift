import Apus
import ApusTesting
import Logging
import NIOConcurrencyHelpers
import Testing

/// A log handler that keeps every message, for tests that assert on logs.
final class CapturingLogHandler: LogHandler, Sendable {
    let messages = NIOLockedValueBox<[(level: Logger.Level, message: String, metadata: Logger.Metadata)]>([])

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }

    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    private let provider = NIOLockedValueBox<Logger.MetadataProvider?>(nil)

    var metadataProvider: Logger.MetadataProvider? {
        get { self.provider.withLockedValue { $0 } }
        set { self.provider.withLockedValue { $0 = newValue } }
    }

    func log(event: LogEvent) {
        let metadata = (self.metadataProvider?.get() ?? [:]).merging(event.metadata ?? [:]) { $1 }
        self.messages.withLockedValue { $0.append((event.level, event.message.description, metadata)) }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
        function: String, line: UInt
    ) {
        self.messages.withLockedValue { $0.append((level, message.description, metadata ?? [:])) }
    }

    var logged: [(level: Logger.Level, message: String, metadata: Logger.Metadata)] { self.messages.withLockedValue { $0 } }
}

extension Logger {
    /// A logger that writes into `handler`.
    static func capturing(_ handler: CapturingLogHandler) -> Logger {
        Logger(label: "apus.test") { _ in handler }
    }
}

/// An app with quiet logs unless a test passes its own logger.
func makeApp(_ configure: (inout ServerConfiguration) -> Void = { _ in }, logger: Logger? = nil) -> App {
    var configuration = ServerConfiguration()
    configuration.eventLoopThreads = 1
    configuration.blockingThreads = 4
    configuration.stallThreshold = nil
    configure(&configuration)
    return App(
        title: "Test", configuration: configuration,
        logger: logger ?? Logger(label: "apus.test") { _ in SwiftLogNoOpLogHandler() })
}

struct Message: Codable, Sendable, Equatable {
    var message: String
}

/// A request recorded from FastAPI and what FastAPI answered (the `cases` of `Golden/*.json`).
struct GoldenCase: Decodable {
    var method: String
    var url: String
    var headers: [[String]]
    var body: String?
    var status: Int
    var content_type: String?
    var location: String?
    var allow: String?
    var www_authenticate: String?
    var response: String

    var name: String { "\(self.method) \(self.url) \(self.headers) \(self.body ?? "")" }

    /// Sends the recorded request to `client` and checks status, content type and body bytes.
    func replay(on client: TestClient) async throws -> TestResponse {
        var headers = HTTPHeaders()
        for pair in self.headers where pair.count == 2 { headers.add(name: pair[0], value: pair[1]) }
        let response = try await client.request(
            HTTPMethod(rawValue: self.method), self.url, headers: headers, body: self.body.map { ByteBuffer(string: $0) })
        #expect(Int(response.status.code) == self.status, "\(self.name)")
        #expect(response.header("content-type") == self.content_type, "\(self.name)")
        #expect(response.text == self.response, "\(self.name)")
        return response
    }
}
