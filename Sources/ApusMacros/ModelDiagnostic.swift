import SwiftDiagnostics
import SwiftSyntax

/// A mistake in a `@Model` declaration, reported at the syntax that has it.
struct ModelDiagnostic: DiagnosticMessage, Error {
    let message: String
    let diagnosticID = MessageID(domain: "ApusMacros", id: "model")
    let severity = DiagnosticSeverity.error

    /// The error as a diagnostic at `node` (thrown from an expansion, the compiler shows it there).
    static func error(_ node: some SyntaxProtocol, _ message: String) -> DiagnosticsError {
        DiagnosticsError(diagnostics: [Diagnostic(node: Syntax(node), message: ModelDiagnostic(message: message))])
    }
}
