public import SwiftSyntax
public import SwiftSyntaxMacros

/// `@Field(...)` only marks a stored property for `@Model`, which reads its arguments; on its
/// own it adds nothing, and it refuses what is not a stored property.
public struct FieldMacro: PeerMacro {
    public static func expansion(
        of node: AttributeSyntax, providingPeersOf declaration: some DeclSyntaxProtocol, in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        guard let variable = declaration.as(VariableDeclSyntax.self) else {
            throw ModelDiagnostic.error(node, "@Field applies to a stored property (a `var` or `let` of a @Model type)")
        }
        if let binding = variable.bindings.first, let accessors = binding.accessorBlock, ModelField.isComputed(accessors) {
            throw ModelDiagnostic.error(node, "@Field applies to a stored property; '\(binding.pattern.trimmedDescription)' is computed")
        }
        return []
    }
}
