import Apus
import ApusTesting
import Foundation
import NIOCore
import Testing

/// The OpenAPI documents checked by independent tools: openapi-spec-validator, schemathesis
/// against live servers, and Swagger UI rendered by a headless Chromium.
@Suite("OpenAPI checked by real tools", .serialized, .timeLimit(.minutes(3)), .enabled(if: TestTools.enabled, TestTools.skipNote))
struct OpenAPIToolTests {
    @Test("openapi-spec-validator accepts the documents of the example apps, of the conformance app, and of one with problem details")
    func validatorAcceptsDocuments() async throws {
        let conformance = FileManager.default.temporaryDirectory.appendingPathComponent("apus-conformance-openapi.json")
        try Data(try OpenAPIConformance.app().openAPIDocument().jsonString.utf8).write(to: conformance)
        defer { try? FileManager.default.removeItem(at: conformance) }
        let problems = FileManager.default.temporaryDirectory.appendingPathComponent("apus-problem-details-openapi.json")
        try Data(try ProblemDetailsTests.problemApp().openAPIDocument().jsonString.utf8).write(to: problems)
        defer { try? FileManager.default.removeItem(at: problems) }
        let metadata = FileManager.default.temporaryDirectory.appendingPathComponent("apus-metadata-openapi.json")
        try Data(try OpenAPIMetadataTests.app().openAPIDocument().jsonString.utf8).write(to: metadata)
        defer { try? FileManager.default.removeItem(at: metadata) }
        var sources = [conformance.path, problems.path, metadata.path]
        var examples: [Process] = []
        defer { examples.forEach { $0.terminate() } }
        for example in ["quickstart", "apus-bench-server"] {
            let (process, port) = try await TestTools.launchExample(example)
            examples.append(process)
            sources.append("http://127.0.0.1:\(port)/openapi.json")
        }
        let (status, output) = try await TestTools.run(TestTools.python, [TestTools.script("validate_openapi.py")] + sources)
        #expect(status == 0, "\(output)")
        #expect(output.components(separatedBy: ": OK").count - 1 == sources.count, "\(output)")
    }

    @Test("stream routes' itemSchema (JSON Lines, server-sent events) is valid OpenAPI 3.2; the 3.1 schema alone refuses it, FastAPI's too")
    func itemSchemaIsValidOpenAPI32() async throws {
        let sources = [try JSONLinesTests.app().openAPIDocument(), try EventStreamDocumentTests.app().openAPIDocument()]
        for document in sources {
            #expect(document["openapi"] == "3.1.0")
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("apus-stream-openapi-\(UUID().uuidString).json")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data(document.jsonString.utf8).write(to: file)
            let (status, output) = try await TestTools.run(TestTools.python, [TestTools.script("validate_openapi.py"), file.path])
            #expect(status == 0 && output.contains("itemSchema: validated as OpenAPI 3.2.0"), "\(output)")
            // What the script works around: the 3.1 schema itself.
            let strict = "import json,sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1])))"
            let (strictStatus, strictOutput) = try await TestTools.run(TestTools.python, ["-c", strict, file.path])
            #expect(strictStatus != 0 && strictOutput.contains("'itemSchema' was unexpected"), "\(strictOutput)")
        }
    }

    @Test("schemathesis finds no 5xx and no response that contradicts the document of the example app")
    func schemathesisOnExample() async throws {
        let (process, port) = try await TestTools.launchExample("quickstart")
        defer { process.terminate() }
        // `/clock` is a server-sent event stream that lasts seconds by design: left out for time.
        try await Self.schemathesis("http://127.0.0.1:\(port)/openapi.json", extra: ["--exclude-path", "/clock"])
    }

    @Test("schemathesis finds no 5xx and no response that contradicts the document of the conformance app")
    func schemathesisOnConformanceApp() async throws {
        try await TestClient.run(OpenAPIConformance.app(), mode: .live) { client async throws in
            let port = try #require(client.port)
            // Without the stateful phase: its link inference feeds `Item.id` (a UUID) into `{item_id}` (an integer).
            try await Self.schemathesis("http://127.0.0.1:\(port)/openapi.json", phases: "examples,coverage,fuzzing")
        }
    }

    @Test("Swagger UI, rendered by Chromium with local assets, shows every operation and Try it out works")
    func swaggerUIInBrowser() async throws {
        let app = OpenAPIConformance.app()
        try TestTools.serveAssets(app)
        try await TestClient.run(app, mode: .live) { client async throws in
            let port = try #require(client.port)
            let (status, output) = try await TestTools.run(
                TestTools.python,
                [
                    TestTools.script("docs_in_browser.py"), "http://127.0.0.1:\(port)", "--chromium", TestTools.chromium,
                    "--try", "GET", "/items/{item_id}", "200", "--param", "item_id=7", "--param", "q=lamp",
                ])
            #expect(status == 0, "\(output)")
            let report = try JSONValue(parsing: String(output.drop { $0 != "{" }))
            guard case .array(let expected)? = report["expected"], case .array(let shown)? = report["shown"] else {
                Issue.record("no report: \(output)")
                return
            }
            #expect(expected.count == 19)
            #expect(expected.allSatisfy { shown.contains($0) })
            #expect(report["title"] == "Conformance - Swagger UI")
            #expect(report["tried"]?["status"] == "200")
        }
    }

    /// Runs schemathesis with every check except `negative_data_rejection`: like FastAPI, Apus
    /// accepts pydantic's lax conversions (`false` for a float), which that check counts as a failure.
    static func schemathesis(_ url: String, phases: String = "examples,coverage,fuzzing,stateful", extra: [String] = []) async throws {
        let schemathesis = URL(fileURLWithPath: TestTools.python).deletingLastPathComponent().appendingPathComponent("schemathesis").path
        let (status, output) = try await TestTools.run(
            schemathesis,
            [
                "run", url, "--checks", "all", "--exclude-checks", "negative_data_rejection", "--max-examples", "25",
                "--phases", phases, "--seed", "20261128", "--no-color",
            ] + extra, timeout: 150)
        #expect(status == 0, "\(output)")
        #expect(output.contains("No issues found"), "\(output)")
    }
}
