import Apus
import ApusTesting
import Foundation
import Testing

// Golden/security.json holds what FastAPI 0.165 answered for each security scheme and the
// OpenAPI document of Tests/Conformance/fastapi_security.py; `securityApp()` is its Apus twin.

func securityApp() -> App {
    let app = App(title: "Security", version: "1.0.0")
    let oauth2 = OAuth2PasswordBearer(tokenURL: "token", scopes: ["items": "Read items", "me": "Read yourself"])
    let oauth2Optional = OAuth2PasswordBearer(tokenURL: "token", schemeName: "OptionalOAuth2").optional
    let bearer = HTTPBearer()
    let bearerOptional = HTTPBearer(schemeName: "OptionalBearer").optional
    let basic = HTTPBasic()
    let basicRealm = HTTPBasic(schemeName: "RealmBasic", realm: "shop")
    let keyHeader = APIKeyHeader(name: "X-API-Key")
    let keyQuery = APIKeyQuery(name: "api_key")
    let keyCookie = APIKeyCookie(name: "session")
    let keyOptional = APIKeyHeader(name: "X-API-Key", schemeName: "OptionalKey").optional

    @Sendable func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    app.post("/token", name: "login", OAuth2PasswordRequestForm()) { form -> JSONValue in
        [
            "access_token": .string(form.username), "token_type": "bearer", "scopes": .array(form.scopes.map { .string($0) }),
            "password": .string(form.password), "client_id": text(form.clientID),
        ]
    }
    app.get("/oauth2", name: "read_oauth2", oauth2) { token -> JSONValue in ["token": .string(token)] }
    app.get("/oauth2-optional", name: "read_oauth2_optional", oauth2Optional) { token -> JSONValue in ["token": text(token)] }
    app.get("/oauth2-and-query", name: "read_oauth2_and_query", Query<Int>("n"), oauth2) { n, token -> JSONValue in
        ["n": .int(Int64(n)), "token": .string(token)]
    }
    let currentUser = Dependency(name: "current_user", .securityScopes, oauth2) { scopes, token -> JSONValue in
        ["token": .string(token), "scopes": .array(scopes.scopes.map { .string($0) }), "scope_str": .string(scopes.scopeString)]
    }
    app.get("/scoped", name: "read_scoped", Security(currentUser, scopes: ["items", "me"])) { user in user }
    app.get("/bearer", name: "read_bearer", bearer) { credentials -> JSONValue in
        ["scheme": .string(credentials.scheme), "credentials": .string(credentials.credentials)]
    }
    app.get("/bearer-optional", name: "read_bearer_optional", bearerOptional) { credentials -> JSONValue in
        ["present": .bool(credentials != nil)]
    }
    app.get("/basic", name: "read_basic", basic) { credentials -> JSONValue in
        ["username": .string(credentials.username), "password": .string(credentials.password)]
    }
    app.get("/basic-realm", name: "read_basic_realm", basicRealm) { credentials -> JSONValue in
        ["username": .string(credentials.username)]
    }
    app.get("/key-header", name: "read_key_header", keyHeader) { key -> JSONValue in ["key": .string(key)] }
    app.get("/key-query", name: "read_key_query", keyQuery) { key -> JSONValue in ["key": .string(key)] }
    app.get("/key-cookie", name: "read_key_cookie", keyCookie) { key -> JSONValue in ["key": .string(key)] }
    app.get("/key-optional", name: "read_key_optional", keyOptional) { key -> JSONValue in ["key": text(key)] }
    return app
}

@Suite("Security schemes (golden file recorded from FastAPI 0.165)", .timeLimit(.minutes(1)))
struct SecurityConformanceTests {
    struct Golden: Decodable {
        var cases: [GoldenCase]
    }

    static let goldenURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/security.json")

    @Test("every scheme answers as FastAPI's: status, WWW-Authenticate, body; autoError off gives nil")
    func responsesMatchFastAPI() async throws {
        let golden = try JSONDecoder().decode(Golden.self, from: Data(contentsOf: Self.goldenURL))
        #expect(golden.cases.count == 43)
        try await TestClient.run(securityApp()) { client async throws in
            for recorded in golden.cases {
                let response = try await recorded.replay(on: client)
                #expect(response.header("www-authenticate") == recorded.www_authenticate, "\(recorded.name)")
            }
        }
    }

    @Test("the OpenAPI document has FastAPI's securitySchemes, per-operation security with scopes, and the form body")
    func documentMatchesFastAPI() throws {
        let golden = try JSONValue(parsing: Array(try Data(contentsOf: Self.goldenURL)))
        let expected = try #require(golden["openapi"])
        let document = JSONComparison.removingInt64Format(try securityApp().openAPIDocument())
        let differences = JSONComparison.differences(expected: expected, actual: document)
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.joined(separator: "\n"))")
    }
}
