/// A use of a dependency that requires OAuth2 scopes: FastAPI's `Security(f, scopes=[...])`.
/// The scopes accumulate from the outermost use down to the security schemes the dependency
/// uses (they appear in the operation's `security` in the OpenAPI document) and to the
/// ``SecurityScopes`` parameters of the dependencies below.
///
/// ```swift
/// app.get("/items", Security(currentUser, scopes: ["items"])) { user in try store.items(ownedBy: user) }
/// ```
public func Security<Value>(_ dependency: Dependency<Value>, scopes: [String], useCache: Bool = true) -> Depends<Value> {
    Depends(dependency, useCache: useCache, scopes: scopes)
}
