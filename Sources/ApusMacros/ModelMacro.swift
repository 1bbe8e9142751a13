import SwiftDiagnostics
public import SwiftSyntax
import SwiftSyntaxBuilder
public import SwiftSyntaxMacros

/// `@Model`: a struct's `Codable` conformance written from its declaration, with pydantic's
/// meaning: a field with a default may be absent (it takes the default, which the schema
/// shows), `@Field(alias:)` or `keys: .snakeCase` names it on the wire, and `@Field`'s
/// description, title, examples, deprecation and constraints go to the schema and to
/// validation, keyed by the fields themselves (no string keys to mistype). Also `Sendable`
/// and `ModelDefinition` (the fields described for the schema and for parameter models).
public struct ModelMacro: ExtensionMacro, MemberMacro {
    /// The one stored member: which fields a decoded value's request sent (`.unset` responses).
    public static func expansion(
        of node: AttributeSyntax, providingMembersOf declaration: some DeclGroupSyntax, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [DeclSyntax] {
        guard declaration.is(StructDeclSyntax.self) else { return [] }
        return ["var _fieldsSet = ModelFieldsSet()"]
    }

    public static func expansion(
        of node: AttributeSyntax, attachedTo declaration: some DeclGroupSyntax,
        providingExtensionsOf type: some TypeSyntaxProtocol, conformingTo protocols: [TypeSyntax],
        in context: some MacroExpansionContext
    ) throws -> [ExtensionDeclSyntax] {
        guard let structure = declaration.as(StructDeclSyntax.self) else {
            throw ModelDiagnostic.error(node, "@Model applies to a struct")
        }
        let snakeCase = Self.argument("keys", of: node)?.trimmedDescription.hasSuffix("snakeCase") == true
        let fields = try Self.fields(of: structure, snakeCase: snakeCase)
        try Self.check(fields)
        let access = Self.accessModifier(of: structure)
        let conformances = protocols.map(\.trimmedDescription)
        let inheritance = conformances.isEmpty ? "" : ": " + conformances.joined(separator: ", ")
        var members: [String] = []
        members.append(Self.codingKeys(fields))
        members.append(Self.decoder(fields, access: access))
        members.append("\(access)var modelFieldsSet: ModelFieldsSet { self._fieldsSet }")
        members.append(Self.encoder(fields, access: access))
        if let description = Self.argument("description", of: node) {
            members.append("\(access)static var schemaDescription: String? { \(description.trimmedDescription) }")
        }
        if Self.argument("extra", of: node)?.trimmedDescription.hasSuffix("forbid") == true {
            members.append("\(access)static var extraFields: ExtraFields { .forbid }")
        }
        members.append(
            Self.modelFields(fields, access: access, isGeneric: structure.genericParameterClause != nil))
        let source = "extension \(type.trimmed)\(inheritance) {\n" + members.joined(separator: "\n\n") + "\n}"
        return [try ExtensionDeclSyntax("\(raw: source)")]
    }

    /// The labelled argument `label` of an attribute.
    static func argument(_ label: String, of attribute: AttributeSyntax) -> ExprSyntax? {
        guard case .argumentList(let arguments) = attribute.arguments else { return nil }
        return arguments.first { $0.label?.text == label }?.expression
    }

    /// `public ` or `package ` when the struct is, so that the conformance's members are as visible.
    static func accessModifier(of structure: StructDeclSyntax) -> String {
        for modifier in structure.modifiers {
            switch modifier.name.tokenKind {
            case .keyword(.public), .keyword(.open): return "public "
            case .keyword(.package): return "package "
            default: continue
            }
        }
        return ""
    }

    /// The stored instance properties, in declaration order.
    static func fields(of structure: StructDeclSyntax, snakeCase: Bool) throws -> [ModelField] {
        var fields: [ModelField] = []
        for member in structure.memberBlock.members {
            guard let variable = member.decl.as(VariableDeclSyntax.self) else { continue }
            if variable.modifiers.contains(where: { $0.name.tokenKind == .keyword(.static) || $0.name.tokenKind == .keyword(.class) }) {
                continue
            }
            let attribute = variable.attributes.compactMap { $0.as(AttributeSyntax.self) }
                .first { $0.attributeName.trimmedDescription == "Field" }
            for binding in variable.bindings {
                if let accessors = binding.accessorBlock, ModelField.isComputed(accessors) { continue }
                guard let name = binding.pattern.as(IdentifierPatternSyntax.self)?.identifier.text else { continue }
                guard let type = binding.typeAnnotation?.type else {
                    throw ModelDiagnostic.error(binding, "@Model needs the type of '\(name)' written (`var \(name): Type = ...`)")
                }
                if variable.bindingSpecifier.tokenKind == .keyword(.let), binding.initializer != nil {
                    throw ModelDiagnostic.error(
                        binding, "'\(name)' is a `let` with a value, which decoding cannot set: make it a `var` to give it a default",
                        fix: ModelFixIt.replace(variable.bindingSpecifier, with: .keyword(.var), "make it a `var`"))
                }
                var field = ModelField(
                    name: name, type: type.trimmed, defaultValue: binding.initializer?.value.trimmed,
                    key: snakeCase ? name.snakeCased : name, attribute: attribute, node: variable)
                if let alias = field.argument("alias")?.as(StringLiteralExprSyntax.self) {
                    field.key = alias.segments.trimmedDescription
                }
                if field.defaultValue == nil, field.isOptional {
                    // `var note: String?` has Swift's implicit default: absent or null is nil.
                    field.defaultValue = ExprSyntax("nil")
                }
                if field.defaultValue == nil, field.isPatchable {
                    field.defaultValue = ExprSyntax(".absent")
                }
                fields.append(field)
            }
        }
        return fields
    }

    /// Mistakes the compiler would not see: two fields with one wire name, a constraint that
    /// does not fit the field's type.
    static func check(_ fields: [ModelField]) throws {
        var seen: [String: String] = [:]
        for field in fields {
            if let other = seen[field.key] {
                throw ModelDiagnostic.error(
                    field.attribute.map(Syntax.init) ?? Syntax(field.node),
                    "'\(field.name)' and '\(other)' both appear as \"\(field.key)\" in JSON: give one another alias")
            }
            seen[field.key] = field.name
            for constraint in field.constraints {
                guard let member = constraint.as(FunctionCallExprSyntax.self)?.calledExpression.as(MemberAccessExprSyntax.self)
                else { continue }
                let name = member.declName.baseName.text
                let subject = field.constrainedType
                if let problem = Self.mismatch(constraint: name, type: subject) {
                    // `.minLength` on an array means `.minItems`: offer it.
                    let itemCount = ["minLength": "minItems", "maxLength": "maxItems"][name]
                    let fix = subject.is(ArrayTypeSyntax.self) ? itemCount.map { replacement in
                        ModelFixIt.replace(member.declName.baseName, with: .identifier(replacement), "use .\(replacement)")
                    } : nil
                    throw ModelDiagnostic.error(constraint, "\(problem) ('\(field.name)' is \(field.type.trimmedDescription))", fix: fix)
                }
            }
        }
    }

    static let numericTypes: Set<String> = [
        "Int", "Int8", "Int16", "Int32", "Int64", "UInt", "UInt8", "UInt16", "UInt32", "UInt64", "Double", "Float", "Decimal",
    ]

    /// Why a constraint does not apply to values of `type`, or `nil` when it does (or the type is unknown to the macro).
    static func mismatch(constraint: String, type: TypeSyntax) -> String? {
        let name = type.trimmedDescription
        let isString = name == "String" || name == "Substring"
        let isNumber = Self.numericTypes.contains(name)
        let isArray = type.is(ArrayTypeSyntax.self)
        switch constraint {
        case "greaterThan", "greaterThanOrEqual", "lessThan", "lessThanOrEqual", "multipleOf":
            return isString || isArray ? ".\(constraint) applies to numbers" : nil
        case "minLength", "maxLength", "pattern":
            return isNumber || isArray ? ".\(constraint) applies to strings" + (isArray ? " (use .minItems/.maxItems for arrays)" : "") : nil
        case "minItems", "maxItems":
            return isString || isNumber ? ".\(constraint) applies to arrays" : nil
        default:
            return nil
        }
    }

    static func codingKeys(_ fields: [ModelField]) -> String {
        let cases = fields.map { field in
            field.key == field.name ? "    case \(field.name)" : "    case \(field.name) = \"\(field.key)\""
        }
        return "enum CodingKeys: String, CodingKey {\n" + cases.joined(separator: "\n") + "\n}"
    }

    /// `init(from:)`. The field types are never written: the calls infer them from the
    /// property, so a type nested next to the model (`enum API { struct Tag; @Model struct
    /// Item { var tags: [Tag] } }`) needs no qualification in the top-level extension.
    static func decoder(_ fields: [ModelField], access: String) -> String {
        var lines = ["\(access)init(from decoder: any Decoder) throws {", "    let container = try decoder.container(keyedBy: CodingKeys.self)"]
        var required: UInt64 = 0
        for (index, field) in fields.enumerated() where field.defaultValue == nil && index < 64 { required |= 1 << UInt64(index) }
        // Only fields with a default (or Patchable) may be absent: without one, every field is set.
        let tracks = fields.contains { $0.defaultValue != nil }
        if tracks { lines.append("    var fieldsSet = ModelFieldsSet(decoded: \(required))") }
        for (index, field) in fields.enumerated() {
            let call: String
            let tracking = "at: \(index), into: &fieldsSet"
            if field.isPatchable {
                call = "decodePatchable(forKey: .\(field.name), \(tracking))"
            } else if let defaultValue = field.defaultValue {
                let method = field.isOptional ? "decodeOptionalField" : "decodeField"
                call = "\(method)(forKey: .\(field.name), default: \(defaultValue.trimmedDescription), \(tracking))"
            } else {
                call = "decodeField(forKey: .\(field.name))"
            }
            lines.append("    self.\(field.name) = try container.\(call)")
        }
        lines.append(tracks ? "    self._fieldsSet = fieldsSet" : "    self._fieldsSet = ModelFieldsSet(decoded: \(required))")
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    static func encoder(_ fields: [ModelField], access: String) -> String {
        var lines = ["\(access)func encode(to encoder: any Encoder) throws {", "    var container = encoder.container(keyedBy: CodingKeys.self)"]
        for field in fields {
            let method = field.isPatchable ? "encodePatchable" : "encode"
            lines.append("    try container.\(method)(self.\(field.name), forKey: .\(field.name))")
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// `modelFields`: each field's Swift name, wire name, type, whether it is required, and its
    /// `@Field` documentation with the default as JSON. A `static let` (made once) unless the
    /// type is generic, where Swift has no stored statics.
    static func modelFields(_ fields: [ModelField], access: String, isGeneric: Bool) -> String {
        var entries: [String] = []
        for field in fields {
            var arguments: [String] = []
            for label in ["title", "description"] {
                if let value = field.argument(label) { arguments.append("\(label): \(value.trimmedDescription)") }
            }
            if let defaultValue = field.defaultValue, !field.isPatchable {
                arguments.append("default: FieldSchema.encodedDefault(of: \\Self.\(field.name), \(defaultValue.trimmedDescription))")
            }
            if let examples = field.argument("examples") { arguments.append("examples: \(examples.trimmedDescription)") }
            if let deprecated = field.argument("deprecated") { arguments.append("deprecated: \(deprecated.trimmedDescription)") }
            arguments += field.constraints.map(\.trimmedDescription)
            let schema = arguments.isEmpty ? "" : ", schema: FieldSchema(\(arguments.joined(separator: ", ")))"
            let required = field.defaultValue == nil ? "true" : "false"
            entries.append(
                "    ModelField(\"\(field.name)\", key: \"\(field.key)\", of: \\Self.\(field.name), isRequired: \(required)\(schema)),")
        }
        let body = entries.isEmpty ? "[]" : "[\n" + entries.joined(separator: "\n") + "\n]"
        return isGeneric
            ? "\(access)static var modelFields: [ModelField]? {\n\(body)\n}"
            : "\(access)static let modelFields: [ModelField]? = \(body)"
    }
}
