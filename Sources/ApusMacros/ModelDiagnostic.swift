import SwiftDiagnostics
import SwiftSyntax

/// A mistake in a `@Model` declaration, reported at the syntax that has it.
struct ModelDiagnostic: DiagnosticMessage, Error {
    let message: String
    let diagnosticID = MessageID(domain: "ApusMacros", id: "model")
    let severity = DiagnosticSeverity.error

    /// The error as a diagnostic at `node` (thrown from an expansion, the compiler shows it
    /// there), with the fix-it `fix` when one is obvious.
    static func error(_ node: some SyntaxProtocol, _ message: String, fix: FixIt? = nil) -> DiagnosticsError {
        DiagnosticsError(diagnostics: [
            Diagnostic(node: Syntax(node), message: ModelDiagnostic(message: message), fixIts: fix.map { [$0] } ?? [])
        ])
    }
}

/// The text of a fix-it `@Model` offers.
struct ModelFixIt: FixItMessage {
    let message: String
    let fixItID = MessageID(domain: "ApusMacros", id: "model-fix")

    /// A fix-it that puts the token `replacement` where `token` is.
    static func replace(_ token: TokenSyntax, with replacement: TokenSyntax, _ message: String) -> FixIt {
        FixIt(
            message: ModelFixIt(message: message),
            changes: [.replace(oldNode: Syntax(token), newNode: Syntax(replacement.with(\.leadingTrivia, token.leadingTrivia).with(\.trailingTrivia, token.trailingTrivia)))])
    }
}
