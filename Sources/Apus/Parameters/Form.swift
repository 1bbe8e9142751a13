/// A form field, from an `application/x-www-form-urlencoded` or `multipart/form-data` body
/// (FastAPI's `Form()`). Converted and validated like a ``Query``; errors at `["body", name]`.
/// An empty field counts as absent, as in FastAPI.
///
/// ```swift
/// app.post("/login", Form<String>("username"), Form<String>("password")) { username, password in
///     try users.logIn(username, password)
/// }
/// ```
public struct Form<Value: Sendable>: DocumentableParameter {
    @_documentation(visibility: internal)
    public var info: ParameterInfo
    let read: @Sendable (ExtractionContext, ParameterInfo) -> Value?

    init(name: String, converter: ValueConverter<Value>) {
        self.info = ParameterInfo(location: .body, name: name, isRequired: converter.isRequired, embed: true)
        self.info.formMediaType = "application/x-www-form-urlencoded"
        self.info.describe(converter)
        self.read = { context, info in
            var errors: [ValidationErrorDetail] = []
            let value = converter.run(context.formValues(info.name), pick: .last, loc: ["body", .key(info.name)], errors: &errors)
            if !errors.isEmpty { context.record(errors, group: .body) }
            return value
        }
    }

    /// Every field of the form as one `Decodable` model (FastAPI's `Annotated[Model, Form()]`):
    /// a list field takes every occurrence, another the last; errors at `["body", "<field>"]`.
    ///
    /// ```swift
    /// struct Signup: Codable, Sendable { var email: String; var age: Int; var tags: [String] }
    /// app.post("/signup", Form<Signup>()) { signup in signup }
    /// ```
    public init() where Value: Decodable {
        self.info = ParameterInfo(location: .body, name: "form", isRequired: true)
        self.info.formMediaType = "application/x-www-form-urlencoded"
        self.info.schema = { components in components.schema(for: Value.self) }
        // The model's list fields take every value of their key, even a single one.
        let components = SchemaComponents()
        let reference = components.schema(for: Value.self)
        let model = reference["$ref"].flatMap { ref -> JSONValue? in
            guard case .string(let path) = ref, let name = path.split(separator: "/").last else { return nil }
            return components.schemas[String(name)]
        } ?? reference
        var listFields: Set<String> = []
        if case .object(let properties)? = model["properties"] {
            for (name, property) in properties {
                let branches: [JSONValue] = if case .array(let options)? = property["anyOf"] { options } else { [property] }
                if branches.contains(where: { $0["type"] == "array" }) { listFields.insert(name) }
            }
        }
        let reader = ParameterModelReader(listFields: listFields, location: .body, pick: .last)
        self.read = { context, _ in reader.read(Value.self, pairs: context.allFormFields(), context: context) }
    }

    /// A required field, or one with a default.
    public init(_ name: String, default defaultValue: Value? = nil, _ constraints: Constraint...) where Value: ParameterValue {
        self.init(name: name, converter: .scalar(default: defaultValue, constraints: constraints))
    }

    /// An optional field: `nil` (or `default`) when absent.
    public init<Wrapped: ParameterValue>(_ name: String, default defaultValue: Wrapped? = nil, _ constraints: Constraint...)
    where Value == Wrapped? {
        self.init(name: name, converter: .optional(default: defaultValue, constraints: constraints))
    }

    /// Every value of a repeated field; required unless it has a default.
    public init<Element: ParameterValue>(_ name: String, default defaultValue: [Element]? = nil, _ constraints: Constraint...)
    where Value == [Element] {
        self.init(name: name, converter: .list(default: defaultValue, constraints: constraints))
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? { self.read(context, self.info) }
}

/// A file of a `multipart/form-data` body (FastAPI's `UploadFile` / `File()`): one
/// ``UploadFile``, an optional one, or every file sent under the name.
///
/// ```swift
/// app.post("/avatars", Form<String>("user"), File<UploadFile>("avatar")) { user, avatar async throws in
///     try await store.save(avatar.read(), for: user)
/// }
/// ```
public struct File<Value: Sendable>: DocumentableParameter {
    @_documentation(visibility: internal)
    public var info: ParameterInfo
    let pick: @Sendable ([UploadFile]) -> Value?

    init(name: String, isRequired: Bool, isList: Bool, nullable: Bool, pick: @escaping @Sendable ([UploadFile]) -> Value?) {
        self.info = ParameterInfo(location: .body, name: name, isRequired: isRequired, embed: true)
        self.info.formMediaType = "multipart/form-data"
        self.info.schema = { _ in
            let file: JSONValue = ["type": "string", "contentMediaType": "application/octet-stream"]
            let schema: JSONValue = isList ? ["type": "array", "items": file] : file
            return nullable ? ["anyOf": [schema, ["type": "null"]]] : schema
        }
        self.pick = pick
    }

    /// A required file.
    public init(_ name: String) where Value == UploadFile {
        self.init(name: name, isRequired: true, isList: false, nullable: false) { $0.last }
    }

    /// An optional file: `nil` when none was sent.
    public init(_ name: String) where Value == UploadFile? {
        self.init(name: name, isRequired: false, isList: false, nullable: true) { .some($0.last) }
    }

    /// Every file sent under `name` (at least one).
    public init(_ name: String) where Value == [UploadFile] {
        self.init(name: name, isRequired: true, isList: true, nullable: false) { $0.isEmpty ? nil : $0 }
    }

    /// The whole content of a required file, as bytes (FastAPI's `bytes = File()`): the
    /// route's uploads are then kept in memory (within `maxFileSize`), not spooled to disk.
    public init(_ name: String) where Value == ByteBuffer {
        self.init(name: name, isRequired: true, isList: false, nullable: false) { files in
            guard case .memory(let buffer)? = files.last?.storage else { return nil }
            return buffer
        }
        self.info.uploadsInMemory = true
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> Value? {
        let name = self.info.name
        let files = context.uploads(name)
        if let value = self.pick(files) { return value }
        let loc: [LocationComponent] = ["body", .key(name)]
        if let text = context.formValues(name).last {
            // A plain field where a file was expected, worded as FastAPI's.
            context.record(
                [ValueIssue.valueError("Expected UploadFile, received: <class 'str'>").detail(at: loc, input: .string(text))],
                group: .body)
        } else {
            context.record([ValueIssue.missing.detail(at: loc, input: .null)], group: .body)
        }
        return nil
    }
}
