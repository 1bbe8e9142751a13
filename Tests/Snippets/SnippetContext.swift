// What the README's and the DocC articles' snippets use without declaring it: an app, a store,
// a database... Each stands for the user's own code, with the shape the snippets call; none of
// it runs (the target is only built). Snippets.swift is generated from the documents by
// Scripts/extract-snippets.py.
import Apus
import ServiceLifecycle

let app = App(title: "Snippets")

@Model
struct Item {
    var name: String
    var price: Double
}

struct Page: Sendable {
    var skip: Int
    var limit: Int
}

struct Message: Codable, Sendable { var detail: String }

struct Order: Codable, Sendable { var item: String }

struct Signup: Codable, Sendable {
    var email: String
    var age: Int
}

struct ItemCreate: Codable, Sendable { var title: String }

struct SavedItem: Codable, Sendable { var id: Int }

struct User: Codable, Sendable { var name: String }

struct Reply: Codable, Sendable {
    var room: String
    var user: String
    var text: String
}

struct Report: Codable, Sendable { var lines: Int }

/// A store of items, as the user's own code would have.
struct Store: Sendable {
    func item(_ id: Int) async throws -> Item? { nil }
    func items(_ page: Page) throws -> [Item] { [] }
    func insert(_ item: Item) throws -> Item { item }
    func append(_ piece: ByteBuffer) async throws {}
}

let store = Store()
let items: [Int: Item] = [:]
let storage = Store()

/// A database connection's session (a blocking driver).
final class Session: Sendable {
    func user(named name: String) throws -> User { User(name: name) }
    func user(token: String) throws -> User { User(name: token) }
    func save(_ item: ItemCreate, owner: User) throws -> SavedItem { SavedItem(id: 1) }
    func rollback() {}
    func close() {}
    func close(rollingBack: Bool) {}
}

final class Database: Sendable {
    init() {}
    init(path: String) throws {}
    func openSession() throws -> Session { Session() }
    func rows() -> AsyncStream<String> { AsyncStream { $0.finish() } }
    func report(for message: WebSocketMessage) throws -> Report { Report(lines: 0) }
    func close() {}
}

let database = Database()

final class TokenIssuer: Sendable {
    func subject(of token: String) async throws -> String { token }
}

struct Mailer: Sendable {
    func confirm(_ order: Order) throws {}
}

let mailer = Mailer()

struct AuditLog: Sendable {
    func write(_ line: String) throws {}
}

let audit = AuditLog()

struct Users: Sendable {
    func logIn(_ username: String, _ password: String) throws -> User { User(name: username) }
    func register(_ signup: Signup) throws -> User { User(name: signup.email) }
}

let users = Users()

struct Ticker: Sendable {
    var events: AsyncStream<ServerSentEvent> { AsyncStream { $0.finish() } }
}

let ticker = Ticker()
let rows = AsyncStream<String> { $0.finish() }
let updates = AsyncStream<ServerSentEvent> { $0.finish() }

struct InventorySettings: Sendable {
    var databasePath: String
    init(_ reader: SettingsReader) throws { self.databasePath = "" }
}

struct MetricsExporter: Service {
    func run() async throws {}
}

let metricsExporter = MetricsExporter()

let oauth2 = OAuth2PasswordBearer(tokenURL: "token")
let session = Dependency(name: "session", Shared<Database>(), setUp: { db in try db.openSession() }) { session, _ in session.close() }
let currentUser = Dependency(oauth2, Depends(session)) { token, session in try session.user(token: token) }
