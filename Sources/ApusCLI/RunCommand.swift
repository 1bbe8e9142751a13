import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `apus run`: builds the app in release mode and runs it with production settings.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Build the package's app in release mode and serve it: 0.0.0.0:8000, JSON logs at info, no stall watchdog by default.")

    @OptionGroup var package: PackageOptions

    @Option(help: "The address to listen on.")
    var host = "0.0.0.0"

    @Option(help: "The port to listen on.")
    var port = 8000

    @Option(help: "Event loop threads (default: one per core).")
    var eventLoopThreads: Int?

    @Option(help: "Threads of the blocking pool (default: 40).")
    var blockingThreads: Int?

    @Option(help: "The log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(help: "The log format: json (one object per line) or text.")
    var logFormat = "json"


    func run() throws {
        let root = self.package.root
        let product = try Builder.executableProduct(in: root, named: self.package.product)
        let builder = Builder(root: root, product: product, scratchPath: self.package.scratchPath, configuration: "release")
        let outcome = try builder.build()
        let (status, output) = (outcome.succeeded ? Int32(0) : 1, outcome.output)
        guard status == 0 else {
            print(output)
            throw ExitCode(status)
        }
        var arguments = ["--host", self.host, "--port", "\(self.port)", "--stall-threshold-ms", "0"]
        if let threads = self.eventLoopThreads { arguments += ["--event-loop-threads", "\(threads)"] }
        if let threads = self.blockingThreads { arguments += ["--blocking-threads", "\(threads)"] }
        let executable = builder.executable
        setenv("LOG_LEVEL", self.logLevel, 1)
        setenv("LOG_FORMAT", self.logFormat, 1)
        // The app replaces this process: signals go straight to it.
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        execv(executable, argv)
        throw ListeningSocket.Failure(description: "cannot run \(executable): errno \(errno)")
    }
}
