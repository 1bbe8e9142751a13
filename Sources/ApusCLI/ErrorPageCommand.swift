import Apus
import ArgumentParser
import Foundation

/// What `apus dev` serves while the build fails: the compiler's output as a page on every route
/// (500), which reloads itself when the next build replaces it.
struct ErrorPageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "_error-page", shouldDisplay: false)

    @Option(help: "The inherited listening socket.")
    var listenFd: Int32

    @Option(help: "The file with the compiler's output.")
    var messageFile: String

    func run() async throws {
        let message = (try? String(contentsOfFile: self.messageFile, encoding: .utf8)) ?? "(no output)"
        var docs = DocsConfiguration()
        docs.openAPIURL = nil
        docs.swaggerUIURL = nil
        docs.redocURL = nil
        docs.oauth2RedirectURL = nil
        var configuration = ServerConfiguration()
        configuration.listeningSocket = self.listenFd
        configuration.stallThreshold = nil
        let app = App(title: "Build failed", configuration: configuration, docs: docs)
        let page = Response(
            status: .internalServerError, headers: ["content-type": "text/html; charset=utf-8", "cache-control": "no-store"],
            body: Self.page(message))
        // No route: every request is routing's 404, which this handler answers with the page.
        app.onError(HTTPError.self) { _, _ in page }
        try await app.run()
    }

    static func page(_ message: String) -> String {
        let escaped = DocsPages.escapeHTML(message)
        return """
            <!DOCTYPE html>
            <html>
            <head><meta charset="utf-8"><title>Build failed - apus dev</title></head>
            <body style="font-family: sans-serif; margin: 2em">
            <h1>The build failed</h1>
            <p>Fix the error and save: this page reloads itself when the app is back.</p>
            <pre style="background: #f6f6f6; padding: 1em; overflow: auto">\(escaped)</pre>
            <script>
            (function () {
                setInterval(async function () {
                    try {
                        const response = await fetch(window.location.href, {cache: 'no-store'});
                        if (response.status !== 500) { window.location.reload(); }
                    } catch (error) {}
                }, 1000);
            })();
            </script>
            </body>
            </html>

            """
    }
}
