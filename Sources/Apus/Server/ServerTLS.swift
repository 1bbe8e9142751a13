public import NIOSSL
import NIOConcurrencyHelpers

/// TLS for the server (swift-nio-ssl): the certificate and key the server answers with, so
/// that it serves `https://` itself, without a proxy in front. Set
/// ``ServerConfiguration/tls``, or pass `--tls-certificate` and `--tls-key` (`TLS_CERTIFICATE`,
/// `TLS_KEY`), as uvicorn's `--ssl-certfile` and `--ssl-keyfile`.
///
/// ```swift
/// var configuration = ServerConfiguration()
/// configuration.tls = .files(certificate: "/etc/apus/cert.pem", key: "/etc/apus/key.pem")
/// let app = App(title: "Inventory", configuration: configuration)
/// ```
///
/// Certificates from files are read again on SIGHUP (a renewed certificate): connections
/// opened from then on get the new one, open connections keep theirs and are not dropped; a
/// file that does not load leaves the current certificate in place and is logged.
public struct ServerTLS: Sendable {
    enum Source: Sendable {
        case files(certificate: String, key: String)
        case context(NIOSSLContext)
    }

    let source: Source

    /// A PEM certificate chain (the server's certificate first, then its intermediates) and a
    /// PEM private key, read at start and on SIGHUP.
    public static func files(certificate: String, key: String) -> ServerTLS {
        ServerTLS(source: .files(certificate: certificate, key: key))
    }

    /// A context made by the app from its own `TLSConfiguration` (client certificates, cipher
    /// suites, a key in memory); it is used as is and not reloaded. Its `applicationProtocols`
    /// decide the versions: `["h2", "http/1.1"]` for both (without ALPN, HTTP/1.1).
    public static func context(_ context: NIOSSLContext) -> ServerTLS {
        ServerTLS(source: .context(context))
    }
}

/// Why TLS could not be set up.
public struct TLSSetupError: Error, CustomStringConvertible {
    /// What failed, naming the file.
    public let description: String
}

/// The TLS context new connections get; reloaded from the files on SIGHUP.
final class TLSContextStore: Sendable {
    let tls: ServerTLS
    /// ALPN offers `h2` first.
    let offersHTTP2: Bool
    private let current: NIOLockedValueBox<NIOSSLContext>

    init(_ tls: ServerTLS, offersHTTP2: Bool) throws(TLSSetupError) {
        self.tls = tls
        self.offersHTTP2 = offersHTTP2
        self.current = NIOLockedValueBox(try Self.context(tls, offersHTTP2: offersHTTP2))
    }

    /// The context for a connection accepted now.
    var context: NIOSSLContext { self.current.withLockedValue { $0 } }

    /// Whether the connection's protocol comes from ALPN (`h2` offered, or a context of the app's, whose protocols it chose).
    var negotiatesProtocol: Bool {
        if case .context = self.tls.source { return true }
        return self.offersHTTP2
    }

    /// Whether ``reload()`` reads anything (files, not a context of the app's).
    var reloads: Bool {
        if case .files = self.tls.source { return true }
        return false
    }

    /// Reads the files again; on failure the current context stays.
    func reload() throws(TLSSetupError) {
        let context = try Self.context(self.tls, offersHTTP2: self.offersHTTP2)
        self.current.withLockedValue { $0 = context }
    }

    private static func context(_ tls: ServerTLS, offersHTTP2: Bool) throws(TLSSetupError) -> NIOSSLContext {
        switch tls.source {
        case .context(let context):
            return context
        case .files(let certificatePath, let keyPath):
            let chain: [NIOSSLCertificate]
            do {
                chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
            } catch {
                throw TLSSetupError(description: "TLS: cannot read the certificate chain \(certificatePath): \(error)")
            }
            guard !chain.isEmpty else { throw TLSSetupError(description: "TLS: no PEM certificate in \(certificatePath)") }
            let key: NIOSSLPrivateKey
            do {
                key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            } catch {
                throw TLSSetupError(description: "TLS: cannot read the private key \(keyPath): \(error)")
            }
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            configuration.applicationProtocols = offersHTTP2 ? ["h2", "http/1.1"] : ["http/1.1"]
            do {
                return try NIOSSLContext(configuration: configuration)
            } catch {
                throw TLSSetupError(description: "TLS: the certificate \(certificatePath) and key \(keyPath) do not make a context: \(error)")
            }
        }
    }
}
