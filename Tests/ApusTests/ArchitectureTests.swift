import Foundation
import Testing

/// The structure docs/architecture.md describes, checked so that it stays true.
@Suite("Architecture")
struct ArchitectureTests {
    static func runScript(_ name: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let script = TestTools.packageRoot.appendingPathComponent("Scripts/\(name)").path
        return try await TestTools.run("/usr/bin/python3", [script] + arguments, timeout: 60)
    }

    @Test("the folders of Sources/Apus use only folders of their own layer or below (Scripts/layers.py)")
    func layersPointOneWay() async throws {
        let (status, output) = try await Self.runScript("layers.py", ["--check"])
        #expect(status == 0, "\(output)")
        #expect(output.isEmpty, "\(output)")
    }

    @Test("the registration methods and RouteOptions are what their generator writes from its one table")
    func generatedSourcesAreCurrent() async throws {
        let (status, output) = try await Self.runScript("generate-route-methods.py", ["--check"])
        #expect(status == 0, "\(output)")
        #expect(output.isEmpty, "\(output)")
    }

    @Test("every Swift snippet of the README and the DocC articles is in the snippets target that `swift build` compiles")
    func snippetsAreCurrent() async throws {
        let (status, output) = try await Self.runScript("extract-snippets.py", ["--check"])
        #expect(status == 0, "\(output)")
        #expect(output.isEmpty, "\(output)")
    }
}
