import NIOHTTP1

/// The `info` object of an OpenAPI document.
package struct OpenAPIInfo: Sendable {
    package var title: String
    package var version: String
    package var summary: String?
    package var description: String?
    package var metadata = OpenAPIMetadata()
}

/// Builds the OpenAPI 3.1 document of a set of routes, as FastAPI's `get_openapi` does
/// (FASTAPI_SEMANTICS.md section 9): paths in registration order, FastAPI's names,
/// parameters grouped by location, embedded bodies as `Body_<operationId>` components,
/// the automatic 422 and its two components.
package struct OpenAPIDocumentBuilder {
    private let components = SchemaComponents()
    private var usesValidationError = false
    /// The shape the 422 is documented in.
    private var errorFormat = ErrorFormat.fastAPI
    /// The app's unique-id function, for operations without an explicit id.
    private var uniqueID: (@Sendable (RouteDescription) -> String)?
    private var securitySchemes: [(String, JSONValue)] = []

    /// The document of `routes` (those with `includeInSchema`).
    package static func document(
        info: OpenAPIInfo, routes: [RouteDefinition], errorFormat: ErrorFormat = .fastAPI, servers: [OpenAPIServer] = []
    ) -> JSONValue {
        var builder = OpenAPIDocumentBuilder()
        builder.errorFormat = errorFormat
        builder.uniqueID = info.metadata.uniqueID
        var paths: [(String, JSONValue)] = []
        for route in routes where route.options.includeInSchema && route.webSocket == nil {
            let pathKey = Self.documentedPath(route.path)
            for method in route.methods {
                let operation = builder.operation(route, method: method, pathKey: pathKey)
                if let index = paths.firstIndex(where: { $0.0 == pathKey }) {
                    paths[index].1.set(method.rawValue.lowercased(), operation)
                } else {
                    paths.append((pathKey, .object([(method.rawValue.lowercased(), operation)])))
                }
            }
        }
        if builder.usesValidationError {
            builder.components.set("ValidationError", Self.validationErrorSchema)
            switch errorFormat {
            case .fastAPI: builder.components.set("HTTPValidationError", Self.httpValidationErrorSchema)
            case .problemDetails: builder.components.set("ValidationProblem", Self.validationProblemSchema)
            }
        }
        var infoObject: JSONValue = ["title": .string(info.title)]
        if let summary = info.summary { infoObject.set("summary", .string(summary)) }
        if let description = info.description { infoObject.set("description", .string(description)) }
        if let terms = info.metadata.termsOfService { infoObject.set("termsOfService", .string(terms)) }
        if let contact = info.metadata.contact { infoObject.set("contact", contact.json) }
        if let license = info.metadata.license { infoObject.set("license", license.json) }
        infoObject.set("version", .string(info.version))
        var document: JSONValue = ["openapi": "3.1.0", "info": infoObject]
        if !servers.isEmpty { document.set("servers", .array(servers.map(\.json))) }
        document.set("paths", .object(paths))
        var components: JSONValue = [:]
        if !builder.components.schemas.isEmpty { components.set("schemas", builder.components.sortedSchemas) }
        if !builder.securitySchemes.isEmpty { components.set("securitySchemes", .object(builder.securitySchemes)) }
        if components != [:] { document.set("components", components) }
        if !info.metadata.tags.isEmpty { document.set("tags", .array(info.metadata.tags.map(\.json))) }
        if let externalDocs = info.metadata.externalDocs { document.set("externalDocs", externalDocs.json) }
        return document
    }

    /// A path template as OpenAPI writes it: convertors removed (`{id:int}` -> `{id}`).
    static func documentedPath(_ path: String) -> String {
        var result = ""
        var inBraces = false
        var inConvertor = false
        for character in path {
            switch character {
            case "{":
                inBraces = true
                result.append(character)
            case "}":
                inBraces = false
                inConvertor = false
                result.append(character)
            case ":" where inBraces:
                inConvertor = true
            default:
                if !inConvertor { result.append(character) }
            }
        }
        return result
    }

    private mutating func operation(_ route: RouteDefinition, method: HTTPMethod, pathKey: String) -> JSONValue {
        let options = route.options
        let methodName = method.rawValue
        let operationID: String
        if let explicit = options.operationID {
            operationID = explicit
        } else if let uniqueID = self.uniqueID {
            let name = options.name ?? PythonNaming.defaultRouteName(path: pathKey, method: methodName)
            operationID = uniqueID(RouteDescription(name: name, path: pathKey, method: methodName, tags: options.tags))
        } else if let name = options.name {
            operationID = PythonNaming.operationID(name: name, path: pathKey, method: methodName)
        } else {
            operationID = String(PythonNaming.wordCharacters(methodName.lowercased() + pathKey).trimmingTrailingUnderscores())
        }
        let name = options.name ?? PythonNaming.defaultRouteName(path: pathKey, method: methodName)
        var operation: JSONValue = [:]
        if !options.tags.isEmpty { operation.set("tags", .array(options.tags.map { .string($0) })) }
        operation.set("summary", .string(options.summary ?? PythonNaming.humanTitle(name)))
        if let description = options.description { operation.set("description", .string(description)) }
        operation.set("operationId", .string(operationID))
        if options.deprecated { operation.set("deprecated", true) }

        let declared = route.options.dependencies.map(\.info) + route.endpoint.parameters
        let infos = declared.flattened
        let parameters = self.parameters(infos)
        if !parameters.isEmpty { operation.set("parameters", .array(parameters)) }
        if let body = self.requestBody(infos.filter { $0.location == .body }, operationID: operationID) {
            operation.set("requestBody", body)
        }
        // A streamed body is read by the handler: no 422 comes of it.
        let validates = infos.contains { $0.location != .other && !$0.streamsBody }
        operation.set("responses", self.responses(route, operationID: operationID, validates: validates))
        let security = self.security(declared)
        if !security.isEmpty { operation.set("security", .array(security)) }
        return operation
    }

    /// One requirement per security scheme the route uses (through its dependencies too),
    /// with the scopes of the ``Security`` uses above it; the schemes join the components.
    private mutating func security(_ infos: [ParameterInfo]) -> [JSONValue] {
        var requirements: [(name: String, scopes: [String])] = []
        func walk(_ infos: [ParameterInfo], scopes: [String], depth: Int) {
            guard depth < 64 else { return }
            for info in infos {
                if let scheme = info.securityScheme {
                    if !self.securitySchemes.contains(where: { $0.0 == scheme.name }) {
                        self.securitySchemes.append((scheme.name, scheme.definition))
                    }
                    if let index = requirements.firstIndex(where: { $0.name == scheme.name }) {
                        requirements[index].scopes += scopes.filter { !requirements[index].scopes.contains($0) }
                    } else {
                        requirements.append((scheme.name, scopes))
                    }
                }
                if info.dependencyID != nil {
                    walk(info.nested, scopes: scopes + info.scopes.filter { !scopes.contains($0) }, depth: depth + 1)
                }
            }
        }
        walk(infos, scopes: [], depth: 0)
        return requirements.map { .object([($0.name, .array($0.scopes.map { .string($0) }))]) }
    }

    /// Path, query, header and cookie parameters, grouped in that order; a repeated
    /// `(in, name)` keeps its first position and its last required definition.
    private func parameters(_ infos: [ParameterInfo]) -> [JSONValue] {
        var result: [(key: String, info: ParameterInfo)] = []
        for location in [ParameterLocation.path, .query, .header, .cookie] {
            for info in infos where info.location == location {
                let key = "\(location.rawValue) \(info.name)"
                if let index = result.firstIndex(where: { $0.key == key }) {
                    if info.isRequired || !result[index].info.isRequired { result[index].info = info }
                } else {
                    result.append((key, info))
                }
            }
        }
        return result.map { self.parameter($0.info) }
    }

    private func parameter(_ info: ParameterInfo) -> JSONValue {
        var schema = info.schema?(self.components) ?? [:]
        if info.title != nil || !schema.isReferenceOrNullableReference {
            schema.set("title", .string(info.title ?? PythonNaming.humanTitle(info.name)))
        }
        var parameter: JSONValue = ["name": .string(info.name), "in": .string(info.location.rawValue)]
        parameter.set("required", .bool(info.isRequired))
        if let description = info.description {
            schema.set("description", .string(description))
            parameter.set("description", .string(description))
        }
        if info.deprecated {
            schema.set("deprecated", true)
            parameter.set("deprecated", true)
        }
        parameter.set("schema", schema)
        return parameter
    }

    private func requestBody(_ bodies: [ParameterInfo], operationID: String) -> JSONValue? {
        guard let first = bodies.first else { return nil }
        if first.streamsBody {
            // Raw octets, read as they arrive.
            let schema = first.schema?(self.components) ?? [:]
            return ["content": ["application/octet-stream": ["schema": schema]], "required": true]
        }
        let schema: JSONValue
        let required: Bool
        let mediaType =
            bodies.contains { $0.formMediaType == "multipart/form-data" }
            ? "multipart/form-data" : (bodies.lazy.compactMap(\.formMediaType).first ?? "application/json")
        if bodies.count == 1, first.formMediaType != nil, !first.embed,
            let model = first.schema?(self.components), model.isReference
        {
            // A form read as one model: the model's own component.
            schema = model
            required = first.isRequired
        } else if bodies.count == 1, first.formMediaType != nil, !first.embed {
            // A form: its fields are the properties of a `Body_<operationId>` component.
            let componentName = "Body_" + operationID
            var component = first.schema?(self.components) ?? [:]
            component.set("title", .string(componentName))
            self.components.set(componentName, component)
            schema = ["$ref": .string("#/components/schemas/\(componentName)")]
            required = first.isRequired
        } else if bodies.count == 1 && !first.embed {
            var single = first.schema?(self.components) ?? [:]
            if first.title != nil || !single.isReference {
                single.set("title", .string(first.title ?? PythonNaming.humanTitle(first.name)))
            }
            if let description = first.description { single.set("description", .string(description)) }
            schema = single
            required = first.isRequired
        } else {
            let componentName = "Body_" + operationID
            var properties: [(String, JSONValue)] = []
            var requiredNames: [JSONValue] = []
            for body in bodies {
                var property = body.schema?(self.components) ?? [:]
                if body.title != nil || !property.isReferenceOrNullableReference {
                    property.set("title", .string(body.title ?? PythonNaming.humanTitle(body.name)))
                }
                if let description = body.description { property.set("description", .string(description)) }
                properties.append((body.name, property))
                if body.isRequired { requiredNames.append(.string(body.name)) }
            }
            self.components.set(componentName, .objectSchema(properties: properties, required: requiredNames, title: componentName))
            schema = ["$ref": .string("#/components/schemas/\(componentName)")]
            required = !requiredNames.isEmpty
        }
        var body: JSONValue = ["content": .object([(mediaType, .object([("schema", schema)]))])]
        if required { body.set("required", true) }
        return body
    }

    private mutating func responses(_ route: RouteDefinition, operationID: String, validates: Bool) -> JSONValue {
        let options = route.options
        let documentation = route.endpoint.response
        let status = options.statusIsExplicit ? options.status : (documentation.defaultStatus ?? options.status)
        var success: JSONValue = ["description": .string(options.responseDescription)]
        let forbidsBody = status.code < 200 || status.code == 204 || status.code == 304
        if !forbidsBody, case .body(let mediaType, let makeSchema, let titled) = documentation.content {
            var schema = makeSchema(self.components)
            if titled && !schema.isReference && schema != [:] {
                schema.set("title", .string("Response " + PythonNaming.humanTitle(operationID)))
            }
            success.set("content", .object([(mediaType, .object([("schema", schema)]))]))
        }
        if !forbidsBody, case .items(let mediaType, let makeSchema) = documentation.content {
            success.set("content", .object([(mediaType, .object([("itemSchema", makeSchema(self.components))]))]))
        }
        var responses: JSONValue = .object([("\(status.code)", success)])
        for (code, response) in options.responses.sorted(by: { $0.key < $1.key }) {
            let phrase = reasonPhrase(UInt(clamping: code))
            var object: JSONValue = ["description": .string(response.description ?? (phrase.isEmpty ? "Additional Response" : phrase))]
            if let makeSchema = response.schema {
                object.set("content", .object([(response.mediaType, .object([("schema", makeSchema(self.components))]))]))
            }
            responses.set("\(code)", object)
        }
        if validates && options.responses[422] == nil {
            self.usesValidationError = true
            responses.set(
                "422",
                [
                    "description": "Validation Error",
                    "content": self.errorFormat == .fastAPI
                        ? ["application/json": ["schema": ["$ref": "#/components/schemas/HTTPValidationError"]]]
                        : ["application/problem+json": ["schema": ["$ref": "#/components/schemas/ValidationProblem"]]],
                ])
        }
        return responses
    }

    static let validationErrorSchema: JSONValue = [
        "properties": [
            "loc": [
                "items": ["anyOf": [["type": "string"], ["type": "integer"]]], "title": "Location", "type": "array",
            ],
            "msg": ["title": "Message", "type": "string"],
            "type": ["title": "Error Type", "type": "string"],
            "input": ["title": "Input"],
            "ctx": ["title": "Context", "type": "object"],
        ],
        "required": ["loc", "msg", "type"],
        "title": "ValidationError",
        "type": "object",
    ]

    /// RFC 9457 problem details with the 422's entries in `errors`.
    static let validationProblemSchema: JSONValue = [
        "properties": [
            "type": ["title": "Type", "type": "string", "default": "about:blank"],
            "title": ["title": "Title", "type": "string"],
            "status": ["title": "Status", "type": "integer"],
            "detail": ["title": "Detail", "type": "string"],
            "errors": ["items": ["$ref": "#/components/schemas/ValidationError"], "title": "Errors", "type": "array"],
        ],
        "required": ["type", "title", "status", "errors"],
        "title": "ValidationProblem",
        "type": "object",
    ]

    static let httpValidationErrorSchema: JSONValue = [
        "properties": [
            "detail": ["items": ["$ref": "#/components/schemas/ValidationError"], "title": "Detail", "type": "array"]
        ],
        "title": "HTTPValidationError",
        "type": "object",
    ]
}

extension String {
    func trimmingTrailingUnderscores() -> Substring {
        var end = self.endIndex
        while end > self.startIndex, self[self.index(before: end)] == "_" { end = self.index(before: end) }
        return self[..<end]
    }
}
