import SwiftSyntax

/// One stored property of a `@Model` type, as the macro reads it.
struct ModelField {
    /// The Swift name.
    let name: String
    /// The type as written (`[String]`, `String?`).
    let type: TypeSyntax
    /// The default value's expression, if the declaration has one (`nil` for an optional without one).
    var defaultValue: ExprSyntax?
    /// The name on the wire: the alias, the key strategy's name, or the Swift name.
    var key: String
    /// The `@Field` attribute, if any.
    let attribute: AttributeSyntax?
    /// The declaration, for diagnostics.
    let node: VariableDeclSyntax

    /// Whether the type is written as an optional (`T?` or `Optional<T>`).
    var isOptional: Bool {
        if self.type.is(OptionalTypeSyntax.self) || self.type.is(ImplicitlyUnwrappedOptionalTypeSyntax.self) { return true }
        if let identifier = self.type.as(IdentifierTypeSyntax.self), identifier.name.text == "Optional" { return true }
        return false
    }

    /// Whether the type is `Patchable<T>` (absent, null or a value).
    var isPatchable: Bool {
        if let identifier = self.type.as(IdentifierTypeSyntax.self) { return identifier.name.text == "Patchable" }
        if let member = self.type.as(MemberTypeSyntax.self) { return member.name.text == "Patchable" }
        return false
    }

    /// The type without its outer optional (`String` for `String?`).
    var wrappedType: TypeSyntax {
        if let optional = self.type.as(OptionalTypeSyntax.self) { return optional.wrappedType }
        if let identifier = self.type.as(IdentifierTypeSyntax.self), identifier.name.text == "Optional",
            let argument = identifier.genericArgumentClause?.arguments.first, case .type(let wrapped) = argument.argument
        {
            return wrapped
        }
        return self.type
    }

    /// The type the field's constraints apply to: the value inside a `Patchable`, without its optional.
    var constrainedType: TypeSyntax {
        var type = self.wrappedType
        if self.isPatchable, let generic = type.as(IdentifierTypeSyntax.self)?.genericArgumentClause
            ?? type.as(MemberTypeSyntax.self)?.genericArgumentClause,
            let argument = generic.arguments.first, case .type(let wrapped) = argument.argument
        {
            type = wrapped
            if let optional = type.as(OptionalTypeSyntax.self) { type = optional.wrappedType }
        }
        return type
    }

    /// The `@Field` argument labelled `label`.
    func argument(_ label: String) -> ExprSyntax? {
        self.attribute.flatMap { ModelMacro.argument(label, of: $0) }
    }

    /// The unlabelled `@Field` arguments: the constraints.
    var constraints: [ExprSyntax] {
        guard case .argumentList(let arguments) = self.attribute?.arguments else { return [] }
        return arguments.filter { $0.label == nil }.map(\.expression)
    }

    /// Whether an accessor block makes a property computed (a `get`, or a bare getter body);
    /// `willSet`/`didSet` observers keep it stored.
    static func isComputed(_ accessors: AccessorBlockSyntax) -> Bool {
        switch accessors.accessors {
        case .getter: return true
        case .accessors(let list):
            return list.contains { ["get", "set", "_read", "_modify", "unsafeAddress"].contains($0.accessorSpecifier.text) }
        }
    }
}

extension String {
    /// pydantic's `to_snake`: `itemID` -> `item_id`, `HTTPStatus` -> `http_status`, `name2` -> `name2`.
    var snakeCased: String {
        let characters = Array(self)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase {
                let previous = index > 0 ? characters[index - 1] : nil
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                let startsWord = previous.map { $0.isLowercase || $0.isNumber } ?? false
                let endsAcronym = (previous?.isUppercase ?? false) && (next?.isLowercase ?? false)
                if index > 0 && (startsWord || endsAcronym) { result.append("_") }
                result.append(Character(character.lowercased()))
            } else {
                result.append(character)
            }
        }
        return result
    }
}
