import ArgumentParser

/// The `scoot-console` command: `serve`, `plan` and the in-memory demo server; the console comes next.
@main
struct ScootConsoleCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "scoot-console",
        abstract: "Operations console for Scoot clusters (work in progress).",
        discussion: """
            This version provides `serve` (a CloudScoot scheduler with process workers, a durable job log \
            and metrics), `plan` (a what-if run of Scoot's load-based scheduling algorithm) and an in-memory \
            demo server. The interactive console is not built yet.
            """,
        version: version,
        subcommands: [ServeCommand.self, DemoServerCommand.self, PlanCommand.self]
    )
}
