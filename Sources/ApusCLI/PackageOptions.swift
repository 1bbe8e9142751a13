import ArgumentParser
import Foundation

/// The package `apus dev` and `apus run` build and serve.
struct PackageOptions: ParsableArguments {
    @Option(help: "The executable product (default: the package's only one).")
    var product: String?

    @Option(help: "The package's folder.")
    var packagePath = "."

    @Option(help: "The build folder (swift build's --scratch-path; default: the package's .build).")
    var scratchPath: String?

    var root: URL { URL(fileURLWithPath: self.packagePath).standardizedFileURL }
}
