// The shared harness's Hummingbird 2 contestant (../shared/bench/swift/Sources/HummingbirdServer:
// /plaintext and /json) served over h2c with prior knowledge (HummingbirdHTTP2's
// `.plaintextHTTP2()`), for h2load; with TLS_CERTIFICATE and TLS_KEY (PEM files), over TLS with
// ALPN h2 and http/1.1 (`.http2Upgrade(tlsConfiguration:)`), for the handshake figures.
// Env: PORT (default 8080).

import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdHTTP2

struct Message: ResponseEncodable {
    let message: String
}

let environment = ProcessInfo.processInfo.environment
let port = Int(environment["PORT"] ?? "") ?? 8080
let router = Router()
router.get("plaintext") { _, _ -> String in
    "Hello, World!"
}
router.get("json") { _, _ -> Message in
    Message(message: "Hello, World!")
}
let server: HTTPServerBuilder
if let certificate = environment["TLS_CERTIFICATE"], let key = environment["TLS_KEY"] {
    let tls = TLSConfiguration.makeServerConfiguration(
        certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
        privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
    server = try .http2Upgrade(tlsConfiguration: tls)
} else {
    server = .plaintextHTTP2()
}
let app = Application(
    router: router,
    server: server,
    configuration: .init(address: .hostname("127.0.0.1", port: port))
)
try await app.runService()
