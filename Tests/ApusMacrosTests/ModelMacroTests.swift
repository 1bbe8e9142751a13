import ApusMacros
import SwiftSyntaxBuilder
import SwiftSyntaxMacroExpansion
import SwiftSyntaxMacrosGenericTestSupport
import Testing

/// `@Model` and `@Field` expanded as the compiler expands them.
@Suite("@Model expansion")
struct ModelMacroTests {
    static let macros: [String: MacroSpec] = [
        "Model": MacroSpec(type: ModelMacro.self, conformances: ["Codable", "Sendable", "ModelDefinition"]),
        "Field": MacroSpec(type: FieldMacro.self),
    ]

    func expand(_ source: String, _ expanded: String, diagnostics: [DiagnosticSpec] = [], sourceLocation: SourceLocation = #_sourceLocation) {
        assertMacroExpansion(
            source, expandedSource: expanded, diagnostics: diagnostics, macroSpecs: Self.macros,
            failureHandler: { failure in Issue.record("\(failure.message)", sourceLocation: sourceLocation) })
    }

    @Test("defaults, optionals, an alias, field documentation and constraints")
    func fullModel() {
        self.expand(
            """
            @Model(description: "An item for sale.")
            public struct Item {
                @Field(description: "Shown to customers", .minLength(1), .maxLength(80)) var name: String
                @Field(.greaterThan(0), examples: [9.99]) var price: Double
                var tags: [String] = []
                var note: String?
                @Field(alias: "item-id") var itemID: Int
                var label: String { name }
                static let kind = "item"
            }
            """,
            """
            public struct Item {
                var name: String
                var price: Double
                var tags: [String] = []
                var note: String?
                var itemID: Int
                var label: String { name }
                static let kind = "item"

                var _fieldsSet = ModelFieldsSet()
            }

            extension Item: Codable, Sendable, ModelDefinition {
                enum CodingKeys: String, CodingKey {
                    case name
                    case price
                    case tags
                    case note
                    case itemID = "item-id"
                }

                public init(from decoder: any Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                    var fieldsSet = ModelFieldsSet(decoded: 19)
                    self.name = try container.decodeField(forKey: .name)
                    self.price = try container.decodeField(forKey: .price)
                    self.tags = try container.decodeField(forKey: .tags, default: [], at: 2, into: &fieldsSet)
                    self.note = try container.decodeOptionalField(forKey: .note, default: nil, at: 3, into: &fieldsSet)
                    self.itemID = try container.decodeField(forKey: .itemID)
                    self._fieldsSet = fieldsSet
                }

                public var modelFieldsSet: ModelFieldsSet {
                    self._fieldsSet
                }

                public func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(self.name, forKey: .name)
                    try container.encode(self.price, forKey: .price)
                    try container.encode(self.tags, forKey: .tags)
                    try container.encode(self.note, forKey: .note)
                    try container.encode(self.itemID, forKey: .itemID)
                }

                public static var schemaDescription: String? {
                    "An item for sale."
                }

                public static let modelFields: [ModelField]? = [
                    ModelField("name", key: "name", of: \\Self.name, isRequired: true, schema: FieldSchema(description: "Shown to customers", .minLength(1), .maxLength(80))),
                    ModelField("price", key: "price", of: \\Self.price, isRequired: true, schema: FieldSchema(examples: [9.99], .greaterThan(0))),
                    ModelField("tags", key: "tags", of: \\Self.tags, isRequired: false, schema: FieldSchema(default: FieldSchema.encodedDefault(of: \\Self.tags, []))),
                    ModelField("note", key: "note", of: \\Self.note, isRequired: false, schema: FieldSchema(default: FieldSchema.encodedDefault(of: \\Self.note, nil))),
                    ModelField("itemID", key: "item-id", of: \\Self.itemID, isRequired: true),
                ]
            }
            """)
    }

    @Test("keys: .snakeCase names the fields as pydantic's to_snake does; an alias still wins")
    func snakeCaseKeys() {
        self.expand(
            """
            @Model(keys: .snakeCase)
            struct Order {
                var orderID: Int
                var HTTPStatus: Int
                @Field(alias: "when") var createdAt: String
            }
            """,
            """
            struct Order {
                var orderID: Int
                var HTTPStatus: Int
                var createdAt: String

                var _fieldsSet = ModelFieldsSet()
            }

            extension Order: Codable, Sendable, ModelDefinition {
                enum CodingKeys: String, CodingKey {
                    case orderID = "order_id"
                    case HTTPStatus = "http_status"
                    case createdAt = "when"
                }

                init(from decoder: any Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                    self.orderID = try container.decodeField(forKey: .orderID)
                    self.HTTPStatus = try container.decodeField(forKey: .HTTPStatus)
                    self.createdAt = try container.decodeField(forKey: .createdAt)
                    self._fieldsSet = ModelFieldsSet(decoded: 7)
                }

                var modelFieldsSet: ModelFieldsSet {
                    self._fieldsSet
                }

                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(self.orderID, forKey: .orderID)
                    try container.encode(self.HTTPStatus, forKey: .HTTPStatus)
                    try container.encode(self.createdAt, forKey: .createdAt)
                }

                static let modelFields: [ModelField]? = [
                    ModelField("orderID", key: "order_id", of: \\Self.orderID, isRequired: true),
                    ModelField("HTTPStatus", key: "http_status", of: \\Self.HTTPStatus, isRequired: true),
                    ModelField("createdAt", key: "when", of: \\Self.createdAt, isRequired: true),
                ]
            }
            """)
    }

    @Test("extra: .forbid, a Patchable field, and a generic model (whose fields are computed: no stored statics)")
    func forbidPatchableGeneric() {
        self.expand(
            """
            @Model(extra: .forbid)
            struct Page<Item: Codable & Sendable> {
                var items: [Item]
                @Field(.minLength(1)) var note: Patchable<String>
            }
            """,
            """
            struct Page<Item: Codable & Sendable> {
                var items: [Item]
                var note: Patchable<String>

                var _fieldsSet = ModelFieldsSet()
            }

            extension Page: Codable, Sendable, ModelDefinition {
                enum CodingKeys: String, CodingKey {
                    case items
                    case note
                }

                init(from decoder: any Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                    var fieldsSet = ModelFieldsSet(decoded: 1)
                    self.items = try container.decodeField(forKey: .items)
                    self.note = try container.decodePatchable(forKey: .note, at: 1, into: &fieldsSet)
                    self._fieldsSet = fieldsSet
                }

                var modelFieldsSet: ModelFieldsSet {
                    self._fieldsSet
                }

                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(self.items, forKey: .items)
                    try container.encodePatchable(self.note, forKey: .note)
                }

                static var extraFields: ExtraFields {
                    .forbid
                }

                static var modelFields: [ModelField]? {
                    [
                        ModelField("items", key: "items", of: \\Self.items, isRequired: true),
                        ModelField("note", key: "note", of: \\Self.note, isRequired: false, schema: FieldSchema(.minLength(1))),
                    ]
                }
            }
            """)
    }

    @Test("@Field's title and deprecated go to the field's schema")
    func titleAndDeprecated() {
        self.expand(
            """
            @Model
            struct Item {
                @Field(title: "Label", deprecated: true) var name: String
            }
            """,
            """
            struct Item {
                var name: String

                var _fieldsSet = ModelFieldsSet()
            }

            extension Item: Codable, Sendable, ModelDefinition {
                enum CodingKeys: String, CodingKey {
                    case name
                }

                init(from decoder: any Decoder) throws {
                    let container = try decoder.container(keyedBy: CodingKeys.self)
                    self.name = try container.decodeField(forKey: .name)
                    self._fieldsSet = ModelFieldsSet(decoded: 1)
                }

                var modelFieldsSet: ModelFieldsSet {
                    self._fieldsSet
                }

                func encode(to encoder: any Encoder) throws {
                    var container = encoder.container(keyedBy: CodingKeys.self)
                    try container.encode(self.name, forKey: .name)
                }

                static let modelFields: [ModelField]? = [
                    ModelField("name", key: "name", of: \\Self.name, isRequired: true, schema: FieldSchema(title: "Label", deprecated: true)),
                ]
            }
            """)
    }

    @Test("a constraint that does not fit the field's type is a compile error at the constraint")
    func constraintMismatch() {
        self.expand(
            """
            @Model
            struct Item {
                @Field(.maxLength(3)) var price: Double
            }
            """,
            """
            struct Item {
                var price: Double

                var _fieldsSet = ModelFieldsSet()
            }
            """,
            diagnostics: [DiagnosticSpec(message: ".maxLength applies to strings ('price' is Double)", line: 3, column: 12)])
        self.expand(
            """
            @Model
            struct Item {
                @Field(.greaterThan(0)) var name: String
            }
            """,
            """
            struct Item {
                var name: String

                var _fieldsSet = ModelFieldsSet()
            }
            """,
            diagnostics: [DiagnosticSpec(message: ".greaterThan applies to numbers ('name' is String)", line: 3, column: 12)])
        self.expand(
            """
            @Model
            struct Item {
                @Field(.minLength(1)) var tags: [String]
                @Field(.greaterThan(0)) var name: Patchable<String?>
            }
            """,
            """
            struct Item {
                var tags: [String]
                var name: Patchable<String?>

                var _fieldsSet = ModelFieldsSet()
            }
            """,
            diagnostics: [
                DiagnosticSpec(
                    message: ".minLength applies to strings (use .minItems/.maxItems for arrays) ('tags' is [String])", line: 3,
                    column: 12, fixIts: [FixItSpec(message: "use .minItems")])
            ])
        self.expand(
            """
            @Model
            struct Item {
                @Field(.greaterThan(0)) var name: Patchable<String?>
            }
            """,
            """
            struct Item {
                var name: Patchable<String?>

                var _fieldsSet = ModelFieldsSet()
            }
            """,
            diagnostics: [DiagnosticSpec(message: ".greaterThan applies to numbers ('name' is Patchable<String?>)", line: 3, column: 12)])
    }

    @Test("two fields with one wire name, a let with a default and a field without a type are compile errors")
    func declarationMistakes() {
        self.expand(
            """
            @Model
            struct Item {
                @Field(alias: "id") var itemID: Int
                var id: Int
            }
            """,
            """
            struct Item {
                var itemID: Int
                var id: Int

                var _fieldsSet = ModelFieldsSet()
            }
            """,
            diagnostics: [DiagnosticSpec(message: "'id' and 'itemID' both appear as \"id\" in JSON: give one another alias", line: 4, column: 5)])
        self.expand(
            """
            @Model
            struct Item {
                let kind: String = "item"
            }
            """,
            """
            struct Item {
                let kind: String = "item"

                var _fieldsSet = ModelFieldsSet()
            }
            """,
            diagnostics: [
                DiagnosticSpec(
                    message: "'kind' is a `let` with a value, which decoding cannot set: make it a `var` to give it a default", line: 3,
                    column: 9, fixIts: [FixItSpec(message: "make it a `var`")])
            ])
        self.expand(
            """
            @Model
            struct Item {
                var count = 0
            }
            """,
            """
            struct Item {
                var count = 0

                var _fieldsSet = ModelFieldsSet()
            }
            """,
            diagnostics: [DiagnosticSpec(message: "@Model needs the type of 'count' written (`var count: Type = ...`)", line: 3, column: 9)])
    }

    @Test("@Field on a computed property is a compile error")
    func fieldOnComputedProperty() {
        self.expand(
            """
            struct Item {
                var name: String
                @Field(description: "x") var label: String { name }
            }
            """,
            """
            struct Item {
                var name: String
                var label: String { name }
            }
            """,
            diagnostics: [DiagnosticSpec(message: "@Field applies to a stored property; 'label' is computed", line: 3, column: 5)])
    }
}
