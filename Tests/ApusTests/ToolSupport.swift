import Apus
import Foundation
import NIOCore
import Testing

// Shared by the tests of Apus and of the example packages under Examples/ (their test
// targets link this file): the tools live at the repository's root, each package's
// executables in its own `.build`.

/// The external tools some tests drive (openapi-spec-validator, schemathesis, a headless
/// Chromium through playwright), installed by `Scripts/install-test-tools.sh`.
///
/// Without them the tests that need them are skipped with a note saying how to install
/// them, except where `APUS_REQUIRE_TEST_TOOLS` is set (`.ci/run` installs the tools and sets
/// it), so that in CI a missing tool fails instead of skipping.
enum TestTools {
    /// The repository's root: where `Scripts/`, `Tests/Tools/` and the tools' `.venv` are.
    static let repositoryRoot = ancestor(of: URL(fileURLWithPath: #filePath), containing: "Scripts/install-test-tools.sh")
    /// The root of the package under test (the repository's, or an example's), whose `.build` has its executables.
    static let packageRoot = ancestor(of: URL(fileURLWithPath: #filePath), containing: "Package.swift")
    /// Where this build's executables are: beside the test bundle (`<scratch>/debug`), so that a
    /// package built with `--scratch-path` elsewhere (CI shares one for the examples) finds them.
    static let products: URL = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if bundle.lastPathComponent == "debug" || bundle.lastPathComponent == "release" { return bundle }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    /// The executable `name` built with the package.
    static func executable(_ name: String) -> URL { products.appendingPathComponent(name) }

    /// The nearest folder above `file` that holds `entry`.
    private static func ancestor(of file: URL, containing entry: String) -> URL {
        var folder = file.deletingLastPathComponent()
        while folder.path != "/" {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(entry).path) { return folder }
            folder = folder.deletingLastPathComponent()
        }
        return file.deletingLastPathComponent()
    }

    static var python: String {
        ProcessInfo.processInfo.environment["APUS_TEST_PYTHON"] ?? repositoryRoot.appendingPathComponent(".venv/bin/python").path
    }

    static let chromium = "/usr/bin/chromium"

    static var installed: Bool {
        FileManager.default.isExecutableFile(atPath: python) && FileManager.default.isExecutableFile(atPath: chromium)
    }

    /// The condition of the tool tests: installed, or required (then a missing tool fails).
    static var enabled: Bool { installed || ProcessInfo.processInfo.environment["APUS_REQUIRE_TEST_TOOLS"] != nil }

    static let skipNote: Comment = "needs the test tools: Scripts/install-test-tools.sh"

    static func script(_ name: String) -> String { repositoryRoot.appendingPathComponent("Tests/Tools/\(name)").path }

    /// The Swagger UI and ReDoc builds that drf-spectacular-sidecar ships, in the venv.
    static func sidecarAssets() throws -> URL {
        let lib = URL(fileURLWithPath: python).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lib")
        let versions = try FileManager.default.contentsOfDirectory(atPath: lib.path).filter { $0.hasPrefix("python") }
        for version in versions {
            let folder = lib.appendingPathComponent("\(version)/site-packages/drf_spectacular_sidecar/static/drf_spectacular_sidecar")
            if FileManager.default.fileExists(atPath: folder.path) { return folder }
        }
        throw ToolFailure("drf-spectacular-sidecar is not installed in \(lib.path)")
    }

    /// Serves Swagger UI's and ReDoc's files from drf-spectacular-sidecar at `/assets/` of `app`
    /// and points its documentation pages there (the browser in the tests has no internet).
    static func serveAssets(_ app: App) throws {
        let sidecar = try Self.sidecarAssets()
        let files: [String: (path: String, type: String)] = [
            "swagger-ui-bundle.js": ("swagger-ui-dist/swagger-ui-bundle.js", "text/javascript"),
            "swagger-ui.css": ("swagger-ui-dist/swagger-ui.css", "text/css"),
            "redoc.standalone.js": ("redoc/bundles/redoc.standalone.js", "text/javascript"),
            "favicon.png": ("swagger-ui-dist/favicon-32x32.png", "image/png"),
        ]
        app.docs.loadAssets(from: "/assets/")
        app.get("/assets/{name}", includeInSchema: false, Path<String>("name")) { name in
            guard let file = files[name] else { throw HTTPError(.notFound) }
            let data = try Data(contentsOf: sidecar.appendingPathComponent(file.path))
            return Response(headers: ["content-type": file.type], body: ByteBuffer(bytes: data))
        }
    }

    /// Runs a program to completion (killed after `timeout` seconds) and returns its status and output.
    static func run(
        _ executable: String, _ arguments: [String], timeout: Double = 120, in directory: URL? = nil
    ) async throws -> (status: Int32, output: String) {
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("apus-tool-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let handle = try FileHandle(forWritingTo: outputFile)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        // Tools that keep state (schemathesis, hypothesis) write it here, not into the package.
        process.currentDirectoryURL = directory ?? FileManager.default.temporaryDirectory
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                throw ToolFailure("\(executable) \(arguments.joined(separator: " ")) ran longer than \(Int(timeout)) s")
            }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, output)
    }

    /// Starts an example executable on a port the kernel picks; stop it with `terminate()`.
    static func launchExample(_ name: String, environment: [String: String] = [:]) async throws -> (process: Process, port: Int) {
        let executable = executable(name)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw ToolFailure("build the examples first (swift build): \(executable.path) is missing")
        }
        return try await ServingProcess.launch(executable, environment: environment)
    }
}

/// An Apus executable started with `--port 0`: the kernel picks the port when the server
/// binds, and the port is read from its "Apus serving on http://127.0.0.1:PORT" log line
/// (stderr). A port found free beforehand could be taken by another test's connection in the
/// moment before the server binds it (seen as EADDRINUSE in a parallel run).
enum ServingProcess {
    static func launch(_ executable: URL, environment: [String: String] = [:]) async throws -> (process: Process, port: Int) {
        try await Self.launch(executable, arguments: ["--port", "0"], environment: environment, port: Self.servingPort(in:))
    }

    /// Starts `executable` and waits (20 s at most) until `port` finds the port in what it
    /// wrote: to standard error, or to standard output with `readsStandardOutput`.
    static func launch(
        _ executable: URL, arguments: [String], environment: [String: String] = [:], readsStandardOutput: Bool = false,
        port: @escaping (String) -> Int?
    ) async throws -> (process: Process, port: Int) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let output = Pipe()
        if readsStandardOutput {
            process.standardOutput = output
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = output
        }
        let head = LockedText()
        // Keeps draining the pipe for the process's whole life (a full pipe would block its
        // logging); only the first 64 KiB are kept, enough for the start-up lines.
        output.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { head.append(data, limit: 65_536) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, process.isRunning {
            if let port = port(head.text) { return (process, port) }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        if process.isRunning { process.terminate() }
        throw ToolFailure("\(executable.lastPathComponent) did not tell its port within 20 s: \(head.text)")
    }

    static func servingPort(in log: String) -> Int? {
        guard let range = log.range(of: "serving on http://127.0.0.1:") ?? log.range(of: "serving on https://127.0.0.1:") else { return nil }
        let digits = log[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }
}

/// Text appended from another thread (a pipe's reader).
final class LockedText: @unchecked Sendable {
    // Safe: `bytes` is only touched with `lock` held.
    private let lock = NSLock()
    private var bytes = Data()

    func append(_ data: Data, limit: Int) {
        self.lock.withLock { if self.bytes.count < limit { self.bytes.append(data.prefix(limit - self.bytes.count)) } }
    }

    var text: String { self.lock.withLock { String(decoding: self.bytes, as: UTF8.self) } }
}

struct ToolFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
