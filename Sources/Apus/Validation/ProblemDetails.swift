/// The shape of every error response an app gives.
///
/// ```swift
/// let app = App(title: "Orders", errors: .problemDetails)
/// // 404: {"type":"about:blank","title":"Not Found","status":404,"detail":"Not Found"}
/// ```
public enum ErrorFormat: Sendable {
    /// FastAPI's: `{"detail": ...}` as `application/json`; the 422's `detail` lists the entries.
    case fastAPI
    /// RFC 9457's `application/problem+json`: `type`, `title`, `status`, `detail`, and for the
    /// 422 the entries in an `errors` member. The OpenAPI document's 422 says the same.
    case problemDetails
}

extension HTTPError {
    /// The error as RFC 9457 problem details (its headers kept).
    package var problemResponse: Response {
        var members: [(String, JSONValue)] = [
            ("type", "about:blank"), ("title", .string(reasonPhrase(self.status.code))), ("status", .int(Int64(self.status.code))),
        ]
        members.append(("detail", self.detail))
        return self.response(body: .object(members), contentType: "application/problem+json")
    }
}

extension RequestValidationError {
    /// The 422 as RFC 9457 problem details, the entries in `errors`.
    package var problemResponse: Response {
        let count = self.errors.count
        let body: JSONValue = .object([
            ("type", "about:blank"), ("title", .string(reasonPhrase(422))), ("status", 422),
            ("detail", .string(count == 1 ? "1 invalid value in the request" : "\(count) invalid values in the request")),
            ("errors", .array(self.errors.map(\.json))),
        ])
        var response = Response.json(body, status: .unprocessableEntity)
        response.headers.replaceOrAdd(name: "content-type", value: "application/problem+json")
        return response
    }
}
