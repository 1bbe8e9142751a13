import Foundation
import Testing

/// The README's quick start is `Examples/Readme/main.swift` (the `readme-quickstart`
/// executable): the same text, so the README's first Swift block compiles, and it answers as
/// the README's console lines show.
@Suite("README quick start", .timeLimit(.minutes(1)))
struct ReadmeQuickStartTests {
    static func readmeBlock() throws -> String {
        let readme = try String(contentsOf: TestTools.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "## Quick start\n\n```swift\n"),
            let end = readme.range(of: "```\n", range: start.upperBound..<readme.endIndex)
        else { return "" }
        return String(readme[start.upperBound..<end.lowerBound])
    }

    @Test("the README's first Swift block is Examples/Readme/main.swift after its two comment lines")
    func readmeIsCompiled() throws {
        let source = try String(
            contentsOf: TestTools.packageRoot.appendingPathComponent("Examples/Readme/main.swift"), encoding: .utf8)
        let body = source.components(separatedBy: "\n").dropFirst(2).joined(separator: "\n")
        #expect(body == (try Self.readmeBlock()))
    }

    /// `curl -s` as the README's console lines run it, with the status appended.
    static func curl(_ arguments: [String]) async throws -> String {
        let (status, output) = try await TestTools.run("/usr/bin/curl", ["-s", "-w", " %{http_code}"] + arguments, timeout: 20)
        #expect(status == 0)
        return output
    }

    static var curlAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") || ProcessInfo.processInfo.environment["APUS_REQUIRE_TEST_TOOLS"] != nil
    }

    @Test(
        "the quick start answers as the README shows, over a socket, with curl",
        .enabled(if: Self.curlAvailable, "needs curl (apt-get install curl; .ci/run installs it)"))
    func answers() async throws {
        let (server, port) = try await TestTools.launchExample("readme-quickstart")
        defer { server.terminate() }
        let base = "http://127.0.0.1:\(port)"
        #expect(try await Self.curl(["\(base)/items/42?q=hello"]) == #"{"item_id":42,"q":"hello"} 200"#)
        #expect(
            try await Self.curl(["\(base)/items/0?q=hello"])
                == #"{"detail":[{"type":"greater_than","loc":["path","item_id"],"msg":"Input should be greater than 0","input":"0","ctx":{"gt":0}}]} 422"#
        )
        let json = ["-H", "content-type: application/json", "-d"]
        #expect(
            try await Self.curl(["-XPOST"] + json + [#"{"name":"x","price":"oops","tags":[1]}"#, "\(base)/items"])
                == #"{"detail":[{"type":"float_parsing","loc":["body","price"],"msg":"Input should be a valid number, unable to parse string as a number","input":"oops"},{"type":"string_type","loc":["body","tags",0],"msg":"Input should be a valid string","input":1}]} 422"#
        )
        #expect(
            try await Self.curl(["-XPOST"] + json + [#"{"name":"Lamp","price":9.5}"#, "\(base)/items"])
                == #"{"name":"Lamp","price":9.5,"tags":[]} 201"#)
        #expect(
            try await Self.curl(["-XPATCH"] + json + [#"{"tags":["desk"]}"#, "\(base)/items/1"])
                == #"{"name":"Lamp","price":9.5,"tags":["desk"]} 200"#)
        #expect(
            try await Self.curl(["-XPATCH"] + json + [#"{"price":-1}"#, "\(base)/items/1"])
                == #"{"detail":[{"type":"greater_than","loc":["body","price"],"msg":"Input should be greater than 0","input":-1,"ctx":{"gt":0.0}}]} 422"#
        )
        #expect(try await Self.curl(["-XPATCH"] + json + ["{}", "\(base)/items/9"]) == #"{"detail":"Item not found"} 404"#)
    }
}
