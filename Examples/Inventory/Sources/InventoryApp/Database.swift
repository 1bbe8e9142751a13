import Foundation
import GRDB

/// The inventory's SQLite database: users, items and the audit log.
public final class InventoryDatabase: Sendable {
    /// The shared pool (WAL mode): short reads and writes outside requests' sessions.
    let pool: DatabasePool
    let path: String

    /// Opens (or creates) the database at `path` and brings its tables up to date.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        self.pool = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "user") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("username", .text).notNull().unique()
                table.column("full_name", .text)
                table.column("password_hash", .text).notNull()
            }
            try db.create(table: "item") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("title", .text).notNull()
                table.column("description", .text)
                table.column("owner_id", .integer).notNull().references("user", onDelete: .cascade)
            }
            try db.create(table: "audit_log") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("username", .text).notNull()
                table.column("action", .text).notNull()
                table.column("created_at", .datetime).notNull()
            }
        }
        try migrator.migrate(self.pool)
    }

    /// A request's session: its own connection and transaction (`write` takes the write lock at once).
    func session(write: Bool) throws -> DatabaseSession {
        try DatabaseSession(path: self.path, write: write)
    }

    /// Appends to the audit log (blocking: call from a sync task).
    func audit(username: String, action: String) throws {
        try self.pool.write { db in
            try db.execute(
                sql: "INSERT INTO audit_log (username, action, created_at) VALUES (?, ?, ?)",
                arguments: [username, action, Date()])
        }
    }
}

/// One request's connection and transaction, SQLAlchemy's session: opened by a session
/// dependency, used by the handler, which commits its work (before the response, so the
/// client's next request sees it); the dependency's teardown rolls back whatever was not
/// committed (after an error, say) and closes the connection. Every call blocks: use it from
/// sync handlers and dependencies.
final class DatabaseSession: Sendable {
    private let connection: DatabaseQueue

    init(path: String, write: Bool) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        // The transaction spans several accesses (setup, handler, teardown): GRDB's documented opt-in.
        configuration.allowsUnsafeTransactions = true
        self.connection = try DatabaseQueue(path: path, configuration: configuration)
        try self.connection.writeWithoutTransaction { db in try db.beginTransaction(write ? .immediate : .deferred) }
    }

    /// Runs statements inside the session's transaction.
    func perform<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try self.connection.writeWithoutTransaction(body)
    }

    /// Runs statements and commits them with the work before: saved before the response is sent.
    func save<T: Sendable>(_ body: @Sendable (Database) throws -> T) throws -> T {
        try self.connection.writeWithoutTransaction { db in
            let result = try body(db)
            try db.commit()
            return result
        }
    }

    /// The teardown: rolls back what was not committed (all of it when the handler threw),
    /// then closes the connection. Returns whether something was rolled back.
    @discardableResult
    func close(after error: (any Error)?) throws -> Bool {
        defer { try? self.connection.close() }
        return try self.connection.writeWithoutTransaction { db in
            guard db.isInsideTransaction else { return false }
            try db.rollback()
            return true
        }
    }
}
