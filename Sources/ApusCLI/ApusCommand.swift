import ArgumentParser

/// `apus`: the command that makes, develops and runs Apus apps (FastAPI's `fastapi` command).
///
/// ```sh
/// swift run apus new todo        # a project that builds and passes its test
/// cd todo && apus dev            # rebuilds and swaps the server on every save
/// ```
@main
struct ApusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apus",
        abstract: "Make, develop and run Apus apps.",
        subcommands: [NewCommand.self, DevCommand.self, RunCommand.self, ErrorPageCommand.self])
}
