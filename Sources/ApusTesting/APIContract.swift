public import Apus
public import Foundation

/// Guards an API against accidental breaking changes: compares the app's OpenAPI document
/// with a snapshot committed next to the tests and reports, in words, each change that
/// would break an existing client.
///
/// ```swift
/// import Foundation
/// import Testing
///
/// @Test func apiContract() throws {
///     let report = try APIContract.check(makeApp(), snapshot: URL(fileURLWithPath: #filePath)
///         .deletingLastPathComponent().appendingPathComponent("openapi.snapshot.json"))
///     #expect(report.breakingChanges.isEmpty, "\(report)")
/// }
/// ```
///
/// The first run writes the snapshot (and reports that it did); commit it. After an
/// intended change, run once with `APUS_UPDATE_API_SNAPSHOT=1` to accept the new document.
///
/// Breaking: a removed path or operation; a new required parameter, or one that became
/// required; a removed accepted value of an enum; a changed parameter, body or field type;
/// a request body that became required or a new required field in it; a removed success
/// response, a removed response field, or a response field that may now be absent.
/// Additions that old clients can ignore (new operations, optional parameters, new response
/// fields) are listed as non-breaking.
public enum APIContract {
    /// Compares `app`'s document with the snapshot at `snapshot`, writing the snapshot when
    /// it does not exist or when `APUS_UPDATE_API_SNAPSHOT` is set.
    public static func check(_ app: App, snapshot: URL) throws -> APIContractReport {
        let current = try app.openAPIDocument()
        let update = ProcessInfo.processInfo.environment["APUS_UPDATE_API_SNAPSHOT"] != nil
        guard FileManager.default.fileExists(atPath: snapshot.path), !update else {
            try Data(prettyJSON(current).utf8).write(to: snapshot)
            return APIContractReport(breakingChanges: [], otherChanges: [], snapshotWritten: snapshot.path)
        }
        let stored = try JSONValue(parsing: Array(try Data(contentsOf: snapshot)))
        let changes = ContractComparison(old: stored, new: current).changes()
        return APIContractReport(
            breakingChanges: changes.filter(\.isBreaking), otherChanges: changes.filter { !$0.isBreaking }, snapshotWritten: nil)
    }

    /// The changes between two OpenAPI documents, breaking ones first.
    public static func changes(from old: JSONValue, to new: JSONValue) -> [APIChange] {
        let changes = ContractComparison(old: old, new: new).changes()
        return changes.filter(\.isBreaking) + changes.filter { !$0.isBreaking }
    }
}

/// One difference between two versions of an API.
public struct APIChange: Sendable, Equatable, CustomStringConvertible {
    /// The operation it concerns (`GET /items/{item_id}`).
    public var operation: String
    /// What changed, in words (`new required query parameter "limit"`).
    public var message: String
    /// Whether an existing client can break.
    public var isBreaking: Bool

    public var description: String { "\(self.operation): \(self.message)" }
}

/// The outcome of ``APIContract/check(_:snapshot:)``.
public struct APIContractReport: Sendable, CustomStringConvertible {
    /// Changes that can break existing clients; empty when the contract holds.
    public var breakingChanges: [APIChange]
    /// Compatible changes (new operations, optional parameters, new response fields...).
    public var otherChanges: [APIChange]
    /// The path of the snapshot when this check wrote it.
    public var snapshotWritten: String?

    public var description: String {
        var lines: [String] = []
        if let snapshotWritten { lines.append("wrote the API snapshot \(snapshotWritten); commit it") }
        if !self.breakingChanges.isEmpty {
            lines.append("\(self.breakingChanges.count) breaking change(s) against the API snapshot:")
            lines += self.breakingChanges.map { "  - \($0)" }
            lines.append("if intended, accept them with APUS_UPDATE_API_SNAPSHOT=1 swift test")
        }
        if !self.otherChanges.isEmpty {
            lines.append("compatible changes:")
            lines += self.otherChanges.map { "  - \($0)" }
        }
        return lines.isEmpty ? "the API matches its snapshot" : lines.joined(separator: "\n")
    }
}

/// JSON text indented by two spaces, keys in the document's order: readable in a diff.
func prettyJSON(_ value: JSONValue, indent: String = "") -> String {
    let inner = indent + "  "
    switch value {
    case .object(let members) where !members.isEmpty:
        let lines = members.map { "\(inner)\(JSONValue.string($0.0).jsonString): \(prettyJSON($0.1, indent: inner))" }
        return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
    case .array(let elements) where !elements.isEmpty:
        return "[\n" + elements.map { inner + prettyJSON($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
    default:
        return value.jsonString
    }
}
