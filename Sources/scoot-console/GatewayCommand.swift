import ArgumentParser
import ClusterObservation
import Foundation
import Logging
import ScootGateway
import ScootServer
import Thrift

/// `scoot-console gateway`: a CloudScoot proxy in front of a real Scoot scheduler that sees every
/// client's jobs and actions, so the console can show a real cluster whole.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Run a CloudScoot proxy in front of a Scoot scheduler that records jobs and serves the console.",
        discussion: """
            Point Scoot clients (scootcl, CI) and the console at the gateway instead of the scheduler. \
            Every CloudScoot call is forwarded to --upstream and its answer or error passed back unchanged; \
            every job, kill and settings change is recorded in <data-dir>/gateway.sqlite with the caller's \
            address. The console extension calls (ListJobs, ListTasks, ListWorkers, GetClusterLoad) are \
            answered from that record, from polling the Scoot workers (--scoot-workers) and from reading \
            unfinished jobs' statuses upstream within a budget. See docs/production.md.
            """
    )

    @Option(help: "The Scoot scheduler's thrift address (host:port).")
    var upstream: String

    @Option(help: "Where clients connect (host:port). Binds loopback unless told otherwise.")
    var addr = ServeAccess.defaultThriftAddress

    @Option(name: .customLong("http-addr"), help: "The gateway's metrics HTTP address (host:port).")
    var httpAddr = ServeAccess.defaultHTTPAddress

    @Option(name: .customLong("data-dir"), help: "Where the record lives (default: $XDG_STATE_HOME/scoot-console/gateway, else ~/.local/state/scoot-console/gateway).")
    var dataDir: String?

    @Option(name: .customLong("scoot-workers"), help: "The Scoot workers' thrift addresses, comma-separated (9092 by default; local clusters 10101, 10103, …).")
    var scootWorkers: String?

    @Option(name: .customLong("scoot-workers-file"), help: "A file with one Scoot worker address a line.")
    var scootWorkersFile: String?

    @Option(name: .customLong("status-reads"), help: "The most GetStatus calls a second the gateway makes upstream on its own.")
    var statusReads = 10

    @Option(name: .customLong("status-interval"), help: "Seconds between two status reads of one job.")
    var statusInterval = 5.0

    @Option(name: .customLong("record"), help: "Keep a flight recording here: a poll a second of what a console sees, and every change any client makes (replay with `scoot-console replay DIR`; docs/recording.md).")
    var recordDirectory: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        for (flag, value) in [("--upstream", upstream), ("--addr", addr), ("--http-addr", httpAddr)] {
            do { _ = try HostAndPort(parsing: value) } catch { throw ValidationError("\(flag): \(error)") }
        }
        guard scootWorkers == nil || scootWorkersFile == nil else { throw ValidationError("give --scoot-workers or --scoot-workers-file, not both") }
        _ = try workerAddresses()
        guard statusReads >= 1 else { throw ValidationError("--status-reads must be 1 or more, got \(statusReads)") }
        guard statusInterval >= 0.1, statusInterval.isFinite else { throw ValidationError("--status-interval must be at least 0.1 s, got \(statusInterval)") }
        try ServerLogging.validate(logLevel)
    }

    /// The workers to poll, from whichever option was given.
    func workerAddresses() throws -> [HostAndPort] {
        do {
            if let scootWorkers { return try WorkerAddressList.parse(commaSeparated: scootWorkers) }
            if let scootWorkersFile { return try WorkerAddressList.read(file: scootWorkersFile) }
        } catch {
            throw ValidationError(error.description)
        }
        return []
    }

    func run() async throws {
        ServerLogging.bootstrap(logLevel)
        let logger = Logger(label: "scoot-console.gateway")
        let thrift = try HostAndPort(parsing: addr)
        let http = try HostAndPort(parsing: httpAddr)
        for warning in ServeAccess.publicAddressWarnings([thrift, http]) { logger.warning("\(warning)") }
        let workers = try workerAddresses()
        if workers.isEmpty {
            logger.warning("no --scoot-workers: the gateway cannot see workers, the tasks they run or jobs other clients submit straight to the scheduler")
        }
        let data = URL(fileURLWithPath: dataDir ?? ServeCommand.defaultDataDirectory() + "/gateway")
        let recording = try recordDirectory.map { try ServerRecording(directory: NSString(string: $0).expandingTildeInPath, source: "gateway") }
        var configuration = GatewayRuntime.Configuration(
            upstream: try HostAndPort(parsing: upstream), thriftAddress: thrift, httpAddress: http, dataDirectory: data, workers: workers,
            statusReadsPerSecond: statusReads, statusReadInterval: .milliseconds(Int64(statusInterval * 1000)))
        configuration.changeObserver = recording?.observer
        let runtime: GatewayRuntime
        do {
            runtime = try await GatewayRuntime.start(configuration, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("scoot-console gateway: \(error)\n".utf8))
            throw ExitCode(1)
        }
        print("""
            scoot-console gateway: CloudScoot on \(runtime.thriftServer.address) forwarding to \(upstream), \
            metrics on http://\(runtime.metricsServer.address)/admin/metrics.json, \(workers.count) Scoot workers polled, \
            record in \(data.path). Ctrl-C to stop.
            """)
        fflush(nil)
        recording?.startPolling(host: thrift.host, port: runtime.thriftServer.port)
        await TerminationSignal.wait()
        await recording?.stop()
        await runtime.shutdown()
    }
}
