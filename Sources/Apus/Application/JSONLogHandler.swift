public import Logging
package import Foundation

/// A swift-log handler that writes one JSON object per line to standard error (`timestamp`,
/// `level`, `label`, `message`, the metadata), for log collectors; `apus run` turns it on with
/// `LOG_FORMAT=json`. ``App`` uses it when `LOG_FORMAT` is `json`, and `LOG_LEVEL` (`trace`...
/// `critical`) sets its default logger's level.
///
/// ```swift
/// LoggingSystem.bootstrap(JSONLogHandler.init)
/// ```
public struct JSONLogHandler: LogHandler {
    /// The logger's label.
    public let label: String
    /// Metadata added to every message.
    public var metadata: Logger.Metadata = [:]
    /// The lowest level written.
    public var logLevel: Logger.Level = .info
    /// Metadata read when each message is written (a trace's `trace_id` and `span_id`).
    public var metadataProvider: Logger.MetadataProvider?

    /// A handler for the logger `label`.
    public init(label: String) {
        self.label = label
    }

    /// A handler for the logger `label` whose messages carry `metadataProvider`'s metadata
    /// (`LoggingSystem.bootstrap(JSONLogHandler.init, metadataProvider: ...)`).
    public init(label: String, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        FileHandle.standardError.write(Data(self.line(for: event, at: Date()).utf8))
    }

    /// The line for `event`.
    package func line(for event: LogEvent, at date: Date) -> String {
        var members: [(String, JSONValue)] = [
            ("timestamp", .string(date.formatted(.iso8601))), ("level", .string(event.level.rawValue)),
            ("label", .string(self.label)), ("message", .string(event.message.description)),
        ]
        var merged = self.metadata
        if let provided = self.metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        merged.merge(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) { members.append((key, .string(value.description))) }
        return JSONValue.object(members).jsonString + "\n"
    }

    /// The logger ``App`` makes when none is given: JSON lines under `LOG_FORMAT=json`, the
    /// level of `LOG_LEVEL`.
    package static func appLogger(label: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> Logger {
        var logger =
            environment["LOG_FORMAT"]?.lowercased() == "json"
            ? Logger(label: label, factory: { JSONLogHandler(label: $0) }) : Logger(label: label)
        if let level = environment["LOG_LEVEL"].flatMap({ Logger.Level(rawValue: $0.lowercased()) }) { logger.logLevel = level }
        return logger
    }
}
