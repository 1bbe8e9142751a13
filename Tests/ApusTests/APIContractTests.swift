import Apus
import ApusTesting
import Foundation
import QuickStartApp
import Testing

@Suite("API contract guard", .timeLimit(.minutes(1)))
struct APIContractTests {
    @Test("the quick start app's API matches its committed snapshot")
    func quickStartContract() throws {
        let snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Snapshots/quickstart.openapi.json")
        let report = try APIContract.check(makeQuickStartApp(), snapshot: snapshot)
        #expect(report.snapshotWritten == nil, "\(report)")
        #expect(report.breakingChanges.isEmpty, "\(report)")
    }

    enum V1 {
        enum Size: String, Codable, CaseIterable, ParameterValue { case small, medium, large }
        struct Item: Codable, Sendable {
            var name: String
            var price: Double
            var note: String?
        }
        struct Order: Codable, Sendable {
            var item: String
            var quantity: Int?
        }
    }

    enum V2 {
        enum Size: String, Codable, CaseIterable, ParameterValue { case small, large }
        struct Item: Codable, Sendable {
            var name: String
            var price: Double?
            var label: String
        }
        struct Order: Codable, Sendable {
            var item: String
            var quantity: Int
            var coupon: String
        }
    }

    static func version1() -> App {
        let app = App()
        app.get("/items/{item_id}", name: "read_item", Path<Int>("item_id"), Query<String?>("q")) { _, _ in
            V1.Item(name: "a", price: 1, note: nil)
        }
        app.get("/sizes/{size}", name: "read_size", Path<V1.Size>("size")) { size in size.rawValue }
        app.post("/orders", name: "create_order", Body<V1.Order>()) { order in order }
        app.delete("/items/{item_id}", name: "delete_item", Path<Int>("item_id")) { _ in }
        return app
    }

    static func version2() -> App {
        let app = App()
        app.get("/items/{item_id}", name: "read_item", Path<String>("item_id"), Query<String>("q"), Query<Int?>("page")) {
            _, _, _ in V2.Item(name: "a", price: 1, label: "b")
        }
        app.get("/sizes/{size}", name: "read_size", Path<V2.Size>("size")) { size in size.rawValue }
        app.post("/orders", name: "create_order", Body<V2.Order>()) { order in order }
        app.get("/health", name: "health") { "ok" }
        return app
    }

    @Test("breaking changes are reported in words; compatible ones are listed apart")
    func detectsChanges() throws {
        let changes = APIContract.changes(
            from: try Self.version1().openAPIDocument(), to: try Self.version2().openAPIDocument())
        #expect(
            changes.filter(\.isBreaking).map(\.description) == [
                "GET /items/{item_id}: path parameter \"item_id\": type changed from integer to string",
                "GET /items/{item_id}: query parameter \"q\" is now required",
                "GET /items/{item_id}: query parameter \"q\": null is no longer accepted",
                "GET /items/{item_id}: response 200 field \"price\" may now be absent",
                "GET /items/{item_id}: response 200 field \"price\" may now be null",
                "GET /items/{item_id}: response 200 field \"note\" removed",
                "DELETE /items/{item_id}: operation removed",
                "GET /sizes/{size}: path parameter \"size\": the value \"medium\" is no longer accepted",
                "POST /orders: request body field \"quantity\" is now required",
                "POST /orders: request body field \"quantity\": null is no longer accepted",
                "POST /orders: new required request body field \"coupon\"",
            ])
        #expect(
            changes.filter { !$0.isBreaking }.map(\.description) == [
                "GET /items/{item_id}: new optional query parameter \"page\"",
                "GET /items/{item_id}: new response 200 field \"label\"",
                "POST /orders: new response 200 field \"coupon\"",
                "GET /health: new operation",
            ])
    }

    @Test("a missing snapshot is written and reported, then the same app matches it")
    func writesSnapshot() throws {
        let snapshot = FileManager.default.temporaryDirectory.appendingPathComponent("apus-contract-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: snapshot) }
        let first = try APIContract.check(Self.version1(), snapshot: snapshot)
        #expect(first.snapshotWritten == snapshot.path)
        #expect(first.breakingChanges.isEmpty)
        let second = try APIContract.check(Self.version1(), snapshot: snapshot)
        #expect(second.snapshotWritten == nil)
        #expect(second.breakingChanges.isEmpty && second.otherChanges.isEmpty)
        #expect(second.description == "the API matches its snapshot")
        let third = try APIContract.check(Self.version2(), snapshot: snapshot)
        #expect(third.breakingChanges.count == 11)
        #expect(third.description.hasPrefix("11 breaking change(s) against the API snapshot:\n  - GET /items/{item_id}: path parameter"))
    }
}
