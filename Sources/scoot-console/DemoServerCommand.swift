import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Logging
import ScootAPI
import Thrift

/// `scoot-console demo-server`: a CloudScoot server backed by the in-memory handler.
struct DemoServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-server",
        abstract: "Serve the CloudScoot API from memory (stores jobs and settings, runs nothing).",
        discussion: """
            Any Scoot client (scootcl, Apache Thrift clients) can connect: unframed TBinaryProtocol as \
            real Scoot, framed transport detected per connection. Jobs are validated as Scoot validates \
            them and stay queued until killed; no task ever runs.
            """
    )

    @Option(name: .long, help: "Address to listen on (host:port). Binds loopback unless told otherwise.")
    var addr = "127.0.0.1:9090"

    @Flag(name: .long, help: "Require framed transport instead of detecting it per connection.")
    var framed = false

    @Option(name: .long, help: "Number of in-memory workers (inmemory0 …).")
    var workers = 10

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        do {
            _ = try HostAndPort(parsing: addr)
        } catch {
            throw ValidationError("--addr: \(error)")
        }
        guard workers >= 0 else { throw ValidationError("--workers must be 0 or more, got \(workers)") }
        try ServerLogging.validate(logLevel)
    }

    func run() async throws {
        let endpoint = try HostAndPort(parsing: addr)
        ServerLogging.bootstrap(logLevel)
        let server = try await CloudScootServer.start(
            handler: InMemoryCloudScoot(workerCount: workers),
            configuration: .init(host: endpoint.host, port: endpoint.port, framing: framed ? .framed : .automatic))
        print("""
            scoot-console demo-server: in-memory CloudScoot API on \(server.address) \
            (\(framed ? "framed" : "unframed TBinaryProtocol, framed detected")).
            Jobs and settings are kept in memory; no task runs. The console itself is not built yet.
            Press Ctrl-C to stop.
            """)
        fflush(nil)  // stdout may be a file or pipe: show the banner now
        await TerminationSignal.wait()
        await server.shutdown()
    }
}
