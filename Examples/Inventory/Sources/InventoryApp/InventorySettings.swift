public import Apus

/// The inventory app's settings, from flags or environment variables.
public struct InventorySettings: Sendable {
    /// The SQLite file (`--database-path`, `DATABASE_PATH`); created with its tables if missing.
    public var databasePath: String
    /// The secret that signs access tokens (`--token-secret`, `TOKEN_SECRET`), at least 32 characters.
    public var tokenSecret: String
    /// How long an access token is valid (`--token-minutes`, `TOKEN_MINUTES`), 30 by default.
    public var tokenMinutes: Int
    /// PBKDF2-SHA256 rounds for new password hashes (`--password-rounds`, `PASSWORD_ROUNDS`),
    /// 600,000 by default (OWASP's advice); never below 210,000.
    public var passwordRounds: Int

    /// Reads the settings.
    /// - Throws: a ``SettingsError`` naming the first missing or malformed setting.
    public init(_ settings: SettingsReader = SettingsReader()) throws(SettingsError) {
        self.databasePath = try settings.string("databasePath")
        self.tokenSecret = try settings.string("tokenSecret")
        self.tokenMinutes = try settings.int("tokenMinutes", default: 30)
        self.passwordRounds = try settings.int("passwordRounds", default: 600_000)
        guard self.tokenSecret.count >= 32 else {
            throw SettingsError(key: "tokenSecret", description: "malformed setting tokenSecret: use at least 32 characters")
        }
        guard self.passwordRounds >= 210_000 else {
            throw SettingsError(key: "passwordRounds", description: "malformed setting passwordRounds: use at least 210000")
        }
    }
}
