#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A server process started with `posix_spawn`: it inherits the listening socket (which has no
/// close-on-exec flag) and the terminal.
struct ChildProcess {
    let pid: pid_t

    /// Starts `executable` with `arguments`, the environment plus `environment`.
    static func spawn(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> ChildProcess {
        var merged: [String: String] = [:]
        var index = 0
        while let entry = environ[index] {
            let pair = String(cString: entry)
            if let equals = pair.firstIndex(of: "=") { merged[String(pair[..<equals])] = String(pair[pair.index(after: equals)...]) }
            index += 1
        }
        merged.merge(environment) { _, new in new }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, nil, nil, argv, envp)
        guard status == 0 else { throw ListeningSocket.Failure(description: "cannot start \(executable): errno \(status)") }
        return ChildProcess(pid: pid)
    }

    /// Asks the process to stop (SIGTERM: graceful shutdown), waits up to `seconds`, then kills it.
    func stop(within seconds: Double = 10) {
        kill(self.pid, SIGTERM)
        var waited = 0.0
        var status: Int32 = 0
        while waitpid(self.pid, &status, WNOHANG) == 0 {
            if waited >= seconds {
                kill(self.pid, SIGKILL)
                waitpid(self.pid, &status, 0)
                return
            }
            usleep(20_000)
            waited += 0.02
        }
    }

    /// Whether the process has ended (and reaps it).
    var hasExited: Bool {
        var status: Int32 = 0
        return waitpid(self.pid, &status, WNOHANG) == self.pid
    }
}
