// The Apus contestant of the load harness in ../shared/bench: its five endpoints with the
// exact bodies the harness checks. Run by Benchmarks/load/apus.json.
import Apus
import Foundation

var configuration = ServerConfiguration()
configuration.port = 8080
configuration.maxBodySize = 4 << 20  // the growth endpoints post up to 1 MiB
let app = App(title: "Apus bench", configuration: configuration)

registerBenchEndpoints(on: app)
registerGrowthEndpoints(on: app, routes: ProcessInfo.processInfo.environment["ROUTES"].flatMap { Int($0) } ?? 0)

// WebSocket echo, for Benchmarks/load/websocket_load.py.
app.webSocket("/ws/echo") { ws in
    try await ws.accept()
    for try await message in ws.messages { try await ws.send(message) }
}

do {
    try await app.run()
} catch {
    print("apus: \(error)")
    exit(1)
}
