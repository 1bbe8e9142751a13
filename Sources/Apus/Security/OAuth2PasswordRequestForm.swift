/// The form of OAuth2's password flow (FastAPI's `OAuth2PasswordRequestForm`), read from an
/// `application/x-www-form-urlencoded` body: `username` and `password` (required),
/// `grant_type` (if present, `password`), `scope` (space-separated, as ``scopes``),
/// `client_id`, `client_secret`. Missing or invalid fields are reported in the 422 at
/// `["body", "<field>"]`; an empty field counts as missing, as FastAPI's forms do.
///
/// ```swift
/// app.post("/token", OAuth2PasswordRequestForm()) { form in
///     guard let user = try users.verify(form.username, form.password) else { throw HTTPError(.badRequest, detail: "Incorrect username or password") }
///     return Token(access_token: try tokens.issue(for: user), token_type: "bearer")
/// }
/// ```
public struct OAuth2PasswordRequestForm: RequestParameter, Sendable {
    public var username: String
    public var password: String
    /// The requested scopes (`scope` split at spaces).
    public var scopes: [String]
    public var grantType: String?
    public var clientID: String?
    public var clientSecret: String?

    /// The marker that stands for the form in a parameter list.
    public init() {
        self.username = ""
        self.password = ""
        self.scopes = []
    }

    @_documentation(visibility: internal)
    public var info: ParameterInfo {
        var info = ParameterInfo(location: .body, name: "form", isRequired: true)
        info.formMediaType = "application/x-www-form-urlencoded"
        info.schema = { _ in
            [
                "properties": [
                    "grant_type": ["anyOf": [["type": "string", "pattern": "^password$"], ["type": "null"]], "title": "Grant Type"],
                    "username": ["type": "string", "title": "Username"],
                    "password": ["type": "string", "format": "password", "title": "Password"],
                    "scope": ["type": "string", "title": "Scope", "default": ""],
                    "client_id": ["anyOf": [["type": "string"], ["type": "null"]], "title": "Client Id"],
                    "client_secret": [
                        "anyOf": [["type": "string"], ["type": "null"]], "format": "password", "title": "Client Secret",
                    ],
                ],
                "type": "object",
                "required": ["username", "password"],
            ]
        }
        return info
    }

    @_documentation(visibility: internal)
    public func extract(from context: ExtractionContext) -> OAuth2PasswordRequestForm? {
        func values(_ name: String) -> [String] { context.formValues(name) }
        var errors: [ValidationErrorDetail] = []
        let required = ValueConverter<String>.scalar(default: nil, constraints: [])
        let optional = ValueConverter<String?>.optional(default: nil, constraints: [])
        let grantType = ValueConverter<String?>.optional(default: nil, constraints: [.pattern("^password$")])
        let username = required.run(values("username"), pick: .last, loc: ["body", "username"], errors: &errors)
        let password = required.run(values("password"), pick: .last, loc: ["body", "password"], errors: &errors)
        let grant = grantType.run(values("grant_type"), pick: .last, loc: ["body", "grant_type"], errors: &errors)
        let scope = values("scope").last ?? ""
        let clientID = optional.run(values("client_id"), pick: .last, loc: ["body", "client_id"], errors: &errors)
        let clientSecret = optional.run(values("client_secret"), pick: .last, loc: ["body", "client_secret"], errors: &errors)
        guard errors.isEmpty, let username, let password else {
            context.record(errors, group: .body)
            return nil
        }
        var form = OAuth2PasswordRequestForm()
        form.username = username
        form.password = password
        form.scopes = scope.split(separator: " ").map(String.init)
        form.grantType = grant ?? nil
        form.clientID = clientID ?? nil
        form.clientSecret = clientSecret ?? nil
        return form
    }
}
