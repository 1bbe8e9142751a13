import Apus
import Testing

@Suite("Settings", .timeLimit(.minutes(1)))
struct SettingsTests {
    @Test("settings come from flags or environment variables, the flag winning; defaults fill the rest")
    func sources() throws {
        let settings = SettingsReader(
            arguments: ["app", "--database-path", "/tmp/flag.sqlite", "--token-minutes", "15"],
            environment: ["DATABASE_PATH": "/tmp/env.sqlite", "TOKEN_SECRET": "s3cret", "DEBUG": "yes"])
        #expect(try settings.string("databasePath") == "/tmp/flag.sqlite")
        #expect(try settings.string("tokenSecret") == "s3cret")
        #expect(try settings.int("tokenMinutes", default: 30) == 15)
        #expect(try settings.int("workers", default: 4) == 4)
        #expect(try settings.bool("debug") == true)
        #expect(settings.optionalString("absent") == nil)
    }

    @Test("a missing or malformed setting is an error naming it, its flag and its variable")
    func errors() {
        let settings = SettingsReader(arguments: ["app"], environment: ["TOKEN_MINUTES": "thirty", "DEBUG": "maybe"])
        #expect(throws: SettingsError.self) { try settings.string("databasePath") }
        do {
            _ = try settings.string("databasePath")
        } catch {
            #expect(error.description == "missing setting databasePath: pass --database-path or set DATABASE_PATH")
        }
        do {
            _ = try settings.int("tokenMinutes", default: 30)
            Issue.record("a malformed setting was accepted")
        } catch {
            #expect(error.description == #"malformed setting tokenMinutes: "thirty" (from TOKEN_MINUTES) is not an integer"#)
        }
        do {
            _ = try settings.bool("debug")
            Issue.record("a malformed setting was accepted")
        } catch {
            #expect(error.description == #"malformed setting debug: "maybe" (from DEBUG) is not a boolean (true or false)"#)
        }
    }
}
