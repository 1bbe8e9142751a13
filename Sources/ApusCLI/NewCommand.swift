import ArgumentParser
import Foundation

/// `apus new NAME`: a project that builds and passes its test as generated.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new", abstract: "Make a new Apus project: a package with an app, a test, a Dockerfile and a README.")

    @Argument(help: "The project's name (a folder of that name is made).")
    var name: String

    @Option(help: "Where to make the project's folder.")
    var path: String = "."

    @Option(help: "The Apus checkout the project depends on, by path (default: the one this command was built from).")
    var apusPath: String = ProjectTemplate.defaultApusPath

    func validate() throws {
        guard ProjectTemplate.moduleName(for: self.name) != nil else {
            throw ValidationError("the name must start with a letter and hold letters, digits, '-' or '_': \(self.name)")
        }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: self.path).appendingPathComponent(self.name)
        guard !FileManager.default.fileExists(atPath: folder.path) else {
            throw ValidationError("\(folder.path) exists already")
        }
        let apus = URL(fileURLWithPath: self.apusPath).standardizedFileURL.path
        let template = ProjectTemplate(name: self.name, apusPath: apus)
        for (relativePath, content) in template.files {
            let file = folder.appendingPathComponent(relativePath)
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try content.write(to: file, atomically: true, encoding: .utf8)
        }
        print("Made \(folder.path). Next:\n  cd \(folder.path)\n  swift run \(template.module)    # http://127.0.0.1:8000/docs\n  swift test")
    }
}
