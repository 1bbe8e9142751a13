// Written by Scripts/extract-snippets.py from the README, the DocC articles, docs/ and doc comments: do not edit.
// A snippet that stops compiling fails the build; fix it where it is written, then run the script.

import Apus
import ApusOpenTelemetry

/// docs/observability.md, Swift block 3.
enum Snippet_docs_observability_3 {
    static func run() async throws {

        let app = App(title: "Inventory")
        try app.openTelemetry(endpoint: "http://127.0.0.1:4318")   // traces and metrics, OTLP/HTTP protobuf
        try await app.run()
    }
}

/// Integrations/OpenTelemetry/Sources/ApusOpenTelemetry/App+OpenTelemetry.swift, Swift block 1.
enum Snippet_ApusOpenTelemetry_App_OpenTelemetry_1 {
    static func run() async throws {

        let app = App(title: "Inventory")
        try app.openTelemetry(endpoint: "http://127.0.0.1:4318")
    }
}
