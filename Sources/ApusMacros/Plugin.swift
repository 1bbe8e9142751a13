import SwiftCompilerPlugin
import SwiftSyntaxMacros

/// The compiler plugin that expands `@Model` and `@Field` (declared in `Apus`).
@main
struct ApusMacrosPlugin: CompilerPlugin {
    let providingMacros: [any Macro.Type] = [ModelMacro.self, FieldMacro.self]
}
