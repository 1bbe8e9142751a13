// The shared harness's Hummingbird 2 contestant (../shared/bench/swift/Sources/HummingbirdServer:
// /plaintext and /json) served over h2c with prior knowledge (HummingbirdHTTP2's
// `.plaintextHTTP2()`), for h2load. Env: PORT (default 8080).

import Foundation
import Hummingbird
import HummingbirdHTTP2

struct Message: ResponseEncodable {
    let message: String
}

let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 8080
let router = Router()
router.get("plaintext") { _, _ -> String in
    "Hello, World!"
}
router.get("json") { _, _ -> Message in
    Message(message: "Hello, World!")
}
let app = Application(
    router: router,
    server: .plaintextHTTP2(),
    configuration: .init(address: .hostname("127.0.0.1", port: port))
)
try await app.runService()
