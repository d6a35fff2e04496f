import ArgumentParser

/// The `scoot-console` command: `serve`, `plan` and the in-memory demo server; the console comes next.
@main
struct ScootConsoleCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "scoot-console",
        abstract: "Operations console for Scoot clusters (work in progress).",
        discussion: """
            With no command: the interactive console on an embedded demo cluster (or --connect HOST:PORT). \
            `serve` runs a CloudScoot scheduler with process workers, a durable job log and metrics; `plan` \
            runs Scoot's load-based scheduling algorithm on a cluster state given as JSON.
            """,
        version: version,
        subcommands: [ConsoleCommand.self, ServeCommand.self, PlanCommand.self, KeysCommand.self, DemoServerCommand.self],
        defaultSubcommand: ConsoleCommand.self
    )
}
