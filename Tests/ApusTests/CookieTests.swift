import Apus
import ApusTesting
import Foundation
import Testing

/// `.response` and `Set-Cookie` as Starlette writes it, recorded from FastAPI 0.165 by
/// `Tests/Conformance/fastapi_cookies.py`.
@Suite("Response changes and cookies")
struct CookieTests {
    static func makeApp() -> App {
        let app = App(title: "Cookies")
        app.get("/set", .response) { response async throws in
            try response.setCookie("plain", "v")
            try response.setCookie(
                "full", "a b", maxAge: 3600, path: "/api", domain: "example.com", secure: true, httpOnly: true, sameSite: .strict)
            try response.setCookie("exp", "x", expires: Date(timeIntervalSince1970: 1_893_553_445), sameSite: nil)
            try response.setCookie("quoted", #"a;b,"c""#)
            response.status = .created
            response.headers.add(name: "x-extra", value: "1")
            return ["ok": true]
        }
        app.get("/del", .response) { response async throws in
            try response.deleteCookie("plain")
            try response.deleteCookie("full", path: "/api", domain: "example.com", secure: true, httpOnly: true, sameSite: SameSite.none)
            return ["ok": true]
        }
        app.get("/bad", .response) { response async throws in
            try response.setCookie("bad name", "v")
            return ["ok": true]
        }
        app.get("/fail", .response) { response async throws -> [String: Bool] in
            try response.setCookie("never", "sent")
            throw HTTPError(.forbidden, detail: "No")
        }
        return app
    }

    @Test("the handler sets status, headers and cookies while returning a model; Set-Cookie is Starlette's")
    func setCookies() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let response = try await client.get("/set")
            #expect(response.status == .created)
            #expect(response.text == #"{"ok":true}"#)
            #expect(
                response.headers[canonicalForm: "set-cookie"].map(String.init) == [
                    "plain=v; Path=/; SameSite=lax",
                    #"full="a b"; Domain=example.com; HttpOnly; Max-Age=3600; Path=/api; SameSite=strict; Secure"#,
                    "exp=x; expires=Wed, 02 Jan 2030 03:04:05 GMT; Path=/",
                    #"quoted="a\073b\054\"c\""; Path=/; SameSite=lax"#,
                ])
            #expect(response.header("x-extra") == "1")
            #expect(response.header("content-type") == "application/json")
        }
    }

    @Test("deleteCookie expires the cookie now with Max-Age=0, as Starlette's delete_cookie")
    func deleteCookies() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            let cookies = try await client.get("/del").headers[canonicalForm: "set-cookie"].map(String.init)
            #expect(cookies.count == 2)
            #expect(cookies.first?.hasPrefix(#"plain=""; expires="#) == true)
            #expect(cookies.first?.hasSuffix(" GMT; Max-Age=0; Path=/; SameSite=lax") == true)
            #expect(cookies.last?.hasPrefix(#"full=""; Domain=example.com; expires="#) == true)
            #expect(cookies.last?.hasSuffix(" GMT; HttpOnly; Max-Age=0; Path=/api; SameSite=none; Secure") == true)
        }
    }

    @Test("an invalid cookie name is a 500, as in Starlette; a thrown error's response has none of the changes")
    func refusals() async throws {
        try await TestClient.run(Self.makeApp()) { client in
            #expect(try await client.get("/bad").status == .internalServerError)
            let failed = try await client.get("/fail")
            #expect(failed.status == .forbidden)
            #expect(failed.header("set-cookie") == nil)
            #expect(failed.text == #"{"detail":"No"}"#)
        }
    }

    @Test("a cookie attribute that could split the header is refused")
    func headerInjection() {
        var headers = HTTPHeaders()
        #expect(throws: CookieError.self) { try headers.setCookie("a", "b", path: "/x\r\nSet-Cookie: evil=1") }
        #expect(throws: CookieError.self) { try headers.setCookie("a", "b", domain: "example.com; Secure") }
        #expect(headers.isEmpty)
    }
}
