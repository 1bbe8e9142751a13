import ArgumentParser
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `apus dev`: builds the package's app, serves it, and on every save rebuilds and swaps the
/// server process while the listening socket stays open (the servers inherit it), so that an
/// open `/docs` tab never sees a refused connection; the docs pages reload themselves when the
/// document changes. A failed build serves the compiler's errors on every route until the
/// next save (FastAPI's `fastapi dev`).
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Serve the package's app and rebuild and swap it on every save.")

    @OptionGroup var package: PackageOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8000

    func run() async throws {
        let root = self.package.root
        let product = try Builder.executableProduct(in: root, named: self.package.product)
        let socket = try ListeningSocket.bind(host: self.host, port: self.port)
        let builder = Builder(root: root, product: product, scratchPath: self.package.scratchPath)
        let watcher = SourceWatcher(root: root)
        let signalSources = Self.stopChildOnSignals()
        defer { withExtendedLifetime(signalSources) {} }
        let watching = watcher.usesFileEvents ? "inotify" : "polling"
        print("apus dev: \(product) on http://\(self.host):\(self.port) (docs on /docs), watching \(root.path)/Sources (\(watching))")
        var snapshot = watcher.snapshot()
        while true {
            let started = ContinuousClock.now
            let outcome = try builder.build()
            let next: ChildProcess
            if outcome.succeeded {
                next = try ChildProcess.spawn(
                    builder.executable, [], environment: ["LISTEN_FD": "\(socket.descriptor)", "DEV_RELOAD": "true"])
                print("apus dev: built in \(Self.seconds(since: started)); serving the new version")
            } else {
                print(outcome.output)
                let messageFile = FileManager.default.temporaryDirectory.appendingPathComponent("apus-dev-\(getpid()).txt")
                try outcome.output.write(to: messageFile, atomically: true, encoding: .utf8)
                next = try ChildProcess.spawn(
                    Self.ownExecutable, ["_error-page", "--listen-fd", "\(socket.descriptor)", "--message-file", messageFile.path],
                    environment: [:])
                print("apus dev: the build failed; every route shows its errors until the next save")
            }
            // The new server accepts on the same socket before the old one stops: connections
            // wait in the backlog meanwhile, none is refused.
            let previous = Self.running.withLock { current in
                defer { current = next }
                return current
            }
            if let previous {
                // It finishes what it serves (up to its grace period) while the next build may start.
                Thread { previous.stop() }.start()
            }
            snapshot = try await watcher.nextChange(after: snapshot)
            print("apus dev: a change; rebuilding")
        }
    }

    /// SIGINT or SIGTERM stop the server too, then `apus dev` itself.
    private static func stopChildOnSignals() -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                Self.running.withLock { $0?.stop() }
                Glibc.exit(0)
            }
            source.resume()
            return source
        }
    }

    /// The server serving now.
    private static let running = Mutex<ChildProcess?>(nil)

    /// This executable's path, to start its error page.
    private static var ownExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    private static func seconds(since start: ContinuousClock.Instant) -> String {
        let elapsed = ContinuousClock.now - start
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        return String(format: "%.1f s", Double(milliseconds) / 1000)
    }
}
