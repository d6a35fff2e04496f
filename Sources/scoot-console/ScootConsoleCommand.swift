import ArgumentParser

/// The `scoot-console` command: for now its version, its help, the in-memory demo server and `plan`.
@main
struct ScootConsoleCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "scoot-console",
        abstract: "Operations console for Scoot clusters (work in progress).",
        discussion: """
            This version provides the CloudScoot wire layer, an in-memory demo server and `plan`, a what-if \
            run of Scoot's load-based scheduling algorithm. The interactive console and `serve` are not built yet.
            """,
        version: version,
        subcommands: [ServeCommand.self, DemoServerCommand.self, PlanCommand.self]
    )
}
