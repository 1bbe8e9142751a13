import Configuration
public import Foundation

/// Reads typed settings from the command line and the environment (the command line wins),
/// through swift-configuration: FastAPI's pydantic-settings. A key `databasePath` is read
/// from `--database-path` or `DATABASE_PATH`.
///
/// ```swift
/// struct InventorySettings {
///     var databasePath: String
///     var tokenMinutes: Int
///     init(_ settings: SettingsReader = SettingsReader()) throws(SettingsError) {
///         databasePath = try settings.string("databasePath")
///         tokenMinutes = try settings.int("tokenMinutes", default: 30)
///     }
/// }
/// ```
///
/// A missing or malformed setting throws a ``SettingsError`` naming the setting, the flag
/// and the variable, so that an app can stop at start-up with a clear message.
public struct SettingsReader: Sendable {
    private let commandLine: ConfigReader
    private let environment: ConfigReader

    /// Reads from `arguments` and `environment` (by default the process's).
    public init(
        arguments: [String] = CommandLine.arguments, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.commandLine = ConfigReader(provider: CommandLineArgumentsProvider(arguments: arguments))
        self.environment = ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment))
    }

    /// A text setting; `default` when absent (else a ``SettingsError``).
    public func string(_ key: String, default defaultValue: String? = nil) throws(SettingsError) -> String {
        guard let (text, _) = self.raw(key) else {
            if let defaultValue { return defaultValue }
            throw SettingsError.missing(key)
        }
        return text
    }

    /// A text setting that may be absent.
    public func optionalString(_ key: String) -> String? { self.raw(key)?.text }

    /// An integer setting.
    public func int(_ key: String, default defaultValue: Int? = nil) throws(SettingsError) -> Int {
        try self.converted(key, defaultValue, kind: "an integer") { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// A number setting.
    public func double(_ key: String, default defaultValue: Double? = nil) throws(SettingsError) -> Double {
        try self.converted(key, defaultValue, kind: "a number") { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// A boolean setting: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`.
    public func bool(_ key: String, default defaultValue: Bool? = nil) throws(SettingsError) -> Bool {
        try self.converted(key, defaultValue, kind: "a boolean (true or false)") { text in
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: return nil
            }
        }
    }

    private func converted<T>(_ key: String, _ defaultValue: T?, kind: String, _ convert: (String) -> T?) throws(SettingsError) -> T {
        guard let (text, source) = self.raw(key) else {
            if let defaultValue { return defaultValue }
            throw SettingsError.missing(key)
        }
        guard let value = convert(text) else { throw SettingsError.malformed(key, text: text, source: source, expected: kind) }
        return value
    }

    /// The setting's text and where it came from.
    private func raw(_ key: String) -> (text: String, source: String)? {
        if let text = self.commandLine.string(forKey: ConfigKey(key)) { return (text, SettingsError.flag(key)) }
        if let text = self.environment.string(forKey: ConfigKey(key)) { return (text, SettingsError.variable(key)) }
        return nil
    }
}

/// A setting that is missing or cannot be read, with a message naming it and where to set it.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    /// The setting's key (`databasePath`).
    public var key: String
    /// The message: `missing setting databasePath: pass --database-path or set DATABASE_PATH`.
    public var description: String

    /// An error about the setting `key` (for checks an app makes itself, such as a minimum length).
    public init(key: String, description: String) {
        self.key = key
        self.description = description
    }

    static func missing(_ key: String) -> SettingsError {
        SettingsError(key: key, description: "missing setting \(key): pass \(flag(key)) or set \(variable(key))")
    }

    static func malformed(_ key: String, text: String, source: String, expected: String) -> SettingsError {
        SettingsError(key: key, description: "malformed setting \(key): \"\(text)\" (from \(source)) is not \(expected)")
    }

    /// `databasePath` -> `--database-path`.
    static func flag(_ key: String) -> String { "--" + words(key).joined(separator: "-") }

    /// `databasePath` -> `DATABASE_PATH`.
    static func variable(_ key: String) -> String { words(key).joined(separator: "_").uppercased() }

    private static func words(_ key: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in key {
            if character == "." || character == "-" || character == "_" {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else if character.isUppercase, !current.isEmpty, current.last?.isUppercase == false {
                words.append(current)
                current = String(character).lowercased()
            } else {
                current.append(contentsOf: character.lowercased())
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
