import Foundation

/// Runs `swift build` for one product of a package and keeps what it printed.
struct Builder {
    let root: URL
    let product: String
    var scratchPath: String? = nil
    var configuration = "debug"

    struct Outcome {
        var succeeded: Bool
        var output: String
    }

    /// The build folder.
    private var scratch: URL {
        self.scratchPath.map { URL(fileURLWithPath: $0, relativeTo: self.root).standardizedFileURL }
            ?? self.root.appendingPathComponent(".build")
    }

    /// The built executable.
    var executable: String { self.scratch.appendingPathComponent("\(self.configuration)/\(self.product)").path }

    func build() throws -> Outcome {
        let arguments = ["build", "-c", self.configuration, "--product", self.product, "--scratch-path", self.scratch.path]
        let (status, output) = try Self.swift(arguments, in: self.root)
        return Outcome(succeeded: status == 0, output: output)
    }

    /// The package's only executable product (from `swift package describe`), unless `named`.
    static func executableProduct(in root: URL, named: String?) throws -> String {
        if let named { return named }
        let (status, output) = try Self.swift(["package", "describe", "--type", "json"], in: root)
        guard status == 0, let start = output.firstIndex(of: "{"),
            let json = try JSONSerialization.jsonObject(with: Data(output[start...].utf8)) as? [String: Any],
            let products = json["products"] as? [[String: Any]]
        else { throw ListeningSocket.Failure(description: "cannot read the package at \(root.path):\n\(output)") }
        let executables = products.filter { ($0["type"] as? [String: Any])?["executable"] != nil }.compactMap { $0["name"] as? String }
        guard executables.count == 1, let only = executables.first else {
            throw ListeningSocket.Failure(
                description: "the package has \(executables.count) executable products (\(executables.joined(separator: ", "))): name one with --product")
        }
        return only
    }

    /// Runs `swift ARGUMENTS` in `root`; its status and what it printed (both streams).
    static func swift(_ arguments: [String], in root: URL) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift"] + arguments
        process.currentDirectoryURL = root
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
