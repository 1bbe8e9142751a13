public import Apus
import Foundation
import GRDB

/// The inventory app: users register, log in with OAuth2's password flow to get a JWT, and
/// keep items in SQLite. Database calls block, so they live in sync handlers and sync
/// dependencies (FastAPI's `def`), which run on the blocking pool; token signing and checking
/// is async. See `Examples/Inventory/README.md`.
public func makeInventoryApp(settings: InventorySettings) -> App {
    let app = App(
        title: "Inventory", version: "1.0.0", summary: "Users and their items on SQLite",
        description: "Register with `POST /users`, get a token from `POST /token` (or the Authorize button), then manage your items.")

    app.onStartup { app in
        app.state.set(try InventoryDatabase(path: settings.databasePath))
        app.state.set(await TokenIssuer(secret: settings.tokenSecret, minutes: settings.tokenMinutes))
    }

    // Sessions: a connection and a transaction per request; handlers commit, the teardown rolls
    // back what was not committed (after an error) and closes the connection.
    let readSession = Dependency(name: "read_session", Shared<InventoryDatabase>(), setUp: { database in
        try database.session(write: false)
    }) { session, error in try session.close(after: error) }
    let writeSession = Dependency(name: "write_session", Shared<InventoryDatabase>(), setUp: { database in
        try database.session(write: true)
    }) { session, error in try session.close(after: error) }

    let oauth2 = OAuth2PasswordBearer(tokenURL: "token")
    let credentialsError = HTTPError(.unauthorized, detail: "Could not validate credentials", headers: ["www-authenticate": "Bearer"])
    // Checking the token is async (no blocking); finding the user is a blocking database call.
    let tokenSubject = Dependency(name: "token_subject", oauth2, Shared<TokenIssuer>()) { token, issuer async throws in
        guard let username = await issuer.username(from: token) else { throw credentialsError }
        return username
    }
    let currentUser = Dependency(name: "current_user", Depends(tokenSubject), Depends(readSession)) { username, session in
        guard let user = try session.perform({ db in try UserQueries.find(username, in: db) }) else { throw credentialsError }
        return user
    }
    let pagination = Dependency(
        name: "pagination", Query<Int>("skip", default: 0, .greaterThanOrEqual(0)),
        Query<Int>("limit", default: 20, .greaterThanOrEqual(1), .lessThanOrEqual(100))
    ) { skip, limit async in (skip: skip, limit: limit) }

    let auth = Router(tags: ["auth"])
    auth.post(
        "/users", status: .created, name: "register", responses: [400: APIResponse("Username already registered")],
        Body<UserCreate>(), Depends(writeSession)
    ) { user, session in
        let hash = try PasswordHasher.hash(user.password, rounds: settings.passwordRounds)  // CPU-heavy: on the pool
        return try session.save { db -> UserOut in
            guard try UserQueries.find(user.username, in: db) == nil else {
                throw HTTPError(.badRequest, detail: "Username already registered")
            }
            try db.execute(
                sql: "INSERT INTO user (username, full_name, password_hash) VALUES (?, ?, ?)",
                arguments: [user.username, user.full_name, hash])
            return UserOut(username: user.username, full_name: user.full_name)
        }
    }
    let authenticatedUser = Dependency(name: "authenticated_user", OAuth2PasswordRequestForm(), Depends(readSession)) {
        form, session in
        let user = try session.perform { db in try UserQueries.find(form.username, in: db) }
        let hash = user?.passwordHash ?? PasswordHasher.dummyHash(rounds: settings.passwordRounds)
        guard PasswordHasher.verify(form.password, against: hash), let user else {
            throw HTTPError(.unauthorized, detail: "Incorrect username or password", headers: ["www-authenticate": "Bearer"])
        }
        return user
    }
    auth.post(
        "/token", name: "login", responses: [401: APIResponse("Incorrect username or password")],
        Depends(authenticatedUser), Shared<TokenIssuer>()
    ) { user, issuer async throws in
        Token(access_token: try await issuer.issue(for: user.username), token_type: "bearer")
    }
    auth.get("/users/me", name: "read_me", Depends(currentUser)) { user async in user.profile }
    app.include(auth)

    let items = Router(tags: ["items"])
    items.post(
        "/users/me/items", status: .created, name: "create_item", Body<ItemCreate>(), Depends(currentUser),
        Depends(writeSession), Shared<InventoryDatabase>(), .backgroundTasks
    ) { item, user, session, database, tasks in
        let id = try session.save { db -> Int64 in
            try db.execute(
                sql: "INSERT INTO item (title, description, owner_id) VALUES (?, ?, ?)",
                arguments: [item.title, item.description, user.id])
            return db.lastInsertedRowID
        }
        // After the response: the audit record (a blocking write, so a sync task on the pool).
        tasks.add { try database.audit(username: user.username, action: "created item \(id)") }
        return Item(id: id, title: item.title, description: item.description, owner: user.username)
    }
    items.get("/users/me/items", name: "read_my_items", Depends(currentUser), Depends(readSession), Depends(pagination)) {
        user, session, page in
        try session.perform { db in try ItemQueries.list(ownerID: user.id, skip: page.skip, limit: page.limit, in: db) }
    }
    items.get("/items", name: "read_items", Depends(readSession), Depends(pagination)) { session, page in
        try session.perform { db in try ItemQueries.list(ownerID: nil, skip: page.skip, limit: page.limit, in: db) }
    }
    items.get("/users/me/audit", name: "read_my_audit", Depends(currentUser), Depends(readSession)) { user, session in
        try session.perform { db in
            try Row.fetchAll(
                db, sql: "SELECT action, created_at FROM audit_log WHERE username = ? ORDER BY id", arguments: [user.username]
            ).map { AuditEntry(action: $0["action"], created_at: $0["created_at"]) }
        }
    }
    app.include(items)
    return app
}

enum UserQueries {
    static func find(_ username: String, in db: Database) throws -> StoredUser? {
        try Row.fetchOne(db, sql: "SELECT * FROM user WHERE username = ?", arguments: [username]).map { row in
            StoredUser(id: row["id"], username: row["username"], fullName: row["full_name"], passwordHash: row["password_hash"])
        }
    }
}

enum ItemQueries {
    static func list(ownerID: Int64?, skip: Int, limit: Int, in db: Database) throws -> [Item] {
        let filter = ownerID == nil ? "" : "WHERE item.owner_id = ?"
        var arguments: StatementArguments = ownerID.map { [$0] } ?? []
        arguments += [limit, skip]
        return try Row.fetchAll(
            db,
            sql: """
                SELECT item.id, item.title, item.description, user.username FROM item
                JOIN user ON user.id = item.owner_id \(filter) ORDER BY item.id LIMIT ? OFFSET ?
                """, arguments: arguments
        ).map { Item(id: $0["id"], title: $0["title"], description: $0["description"], owner: $0["username"]) }
    }
}
