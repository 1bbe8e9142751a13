import Apus

/// What a client sends to register.
@Model(description: "A new account.")
struct UserCreate {
    @Field(description: "Lower-case letters, digits and _", .minLength(3), .maxLength(50), .pattern("^[a-z0-9_]+$"))
    var username: String
    @Field(description: "Stored only as a PBKDF2 hash", .minLength(8), .maxLength(200))
    var password: String
    var full_name: String?
}

/// A user as the API shows it: never with a password or hash.
struct UserOut: Codable, Sendable {
    var username: String
    var full_name: String?
}

/// A user as the database holds it.
struct StoredUser: Sendable {
    var id: Int64
    var username: String
    var fullName: String?
    var passwordHash: String

    var profile: UserOut { UserOut(username: self.username, full_name: self.fullName) }
}

/// What a client sends to create an item.
@Model
struct ItemCreate {
    @Field(.minLength(1), .maxLength(100)) var title: String
    var description: String?
}

/// An item.
struct Item: Codable, Sendable {
    var id: Int64
    var title: String
    var description: String?
    var owner: String
}

/// An entry of the audit log, written by a background task.
struct AuditEntry: Codable, Sendable {
    var action: String
    var created_at: String
}

/// The answer of `POST /token`, as OAuth2 defines it.
struct Token: Codable, Sendable {
    var access_token: String
    var token_type: String
}
