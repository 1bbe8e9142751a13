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
    var note: String?
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
    func bookings(on day: CalendarDate) throws -> [String] { [] }
    func save(_ bytes: ByteBuffer, for user: String) async throws -> SavedItem { SavedItem(id: 1) }
    func items(ownedBy user: User) throws -> [Item] { [] }
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
    func commit() throws {}
    func record(_ order: Order) throws -> Order { order }
    func items() throws -> [Item] { [] }
    func users() throws -> [User] { [] }
}

final class Database: Sendable {
    init() {}
    init(path: String) throws {}
    func openSession() throws -> Session { Session() }
    func rows() -> AsyncStream<String> { AsyncStream { $0.finish() } }
    func report(for message: WebSocketMessage) throws -> Report { Report(lines: 0) }
    func session() throws -> Session { Session() }
    static func open(_ path: String) async throws -> Database { Database() }
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
    func verify(_ username: String, _ password: String) throws -> User? { nil }
    func find(token: String) throws -> User { User(name: token) }
}

let users = Users()

struct Ticker: Sendable {
    var events: AsyncStream<ServerSentEvent> { AsyncStream { $0.finish() } }
}

let ticker = Ticker()

struct Catalog: Sendable {
    func items() -> AsyncStream<SavedItem> { AsyncStream { $0.finish() } }
}

let catalog = Catalog()
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

typealias DatabasePool = Database
let settings = (databasePath: "inventory.sqlite", secret: "s3cret")

struct Token: Codable, Sendable {
    var access_token: String
    var token_type: String
}

struct Tokens: Sendable {
    func issue(for user: User) throws -> String { user.name }
}

let tokens = Tokens()

/// A token a security dependency resolved: what it grants, and whose it is.
struct GrantedToken: Sendable {
    var grants: [String]
    var user: User
}

let token = Dependency(oauth2) { raw in GrantedToken(grants: [], user: User(name: raw)) }
let transaction = Dependency(name: "transaction", setUp: { try database.openSession() }) { session, error in
    if error == nil { try session.commit() } else { session.rollback() }
}

struct OutOfStock: Error {
    var item: String
}

actor AuditRecorder {
    func record(_ status: HTTPResponseStatus, _ path: String) {}
}

let auditLog = AuditRecorder()

func newSession(for user: String) -> String { user }
func makeApp() -> App { app }

/// A service of the user's own (a span exporter's batch processor, a queue consumer).
struct SpanExporterService: Service {
    func run() async throws {}
}

let exporter = SpanExporterService()
