import ArgumentParser

/// The `scoot-console` command: for now its version, its help and the in-memory demo server.
@main
struct ScootConsoleCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "scoot-console",
        abstract: "Operations console for Scoot clusters (work in progress).",
        discussion: """
            This version provides the CloudScoot wire layer and an in-memory demo server. \
            The interactive console, the scheduler core and `serve` are not built yet.
            """,
        version: version,
        subcommands: [DemoServerCommand.self]
    )
}
