import ArgumentParser
import ClusterObservation
import ConsoleApp
import FlightRecorder
import Foundation
import Logging
import NIOPosix
import SchedulerCore
import ScootAPI
import ScootCLI
import ScootServer
import TUIKit
import TUINcurses
import Thrift

/// `scoot-console` (the default command): the interactive console, on an embedded demo cluster
/// or on a scheduler given by `--connect`.
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console (default): an embedded demo cluster, or --connect HOST:PORT.",
        discussion: "Keys: ? for help, q to quit. See docs/console.md and docs/keys.md."
    )

    @Option(help: "Scheduler to watch (host:port); default: an embedded demo cluster. `default` reads ~/.cloudscootaddr like scootcl.")
    var connect: String?

    @Option(help: "A profile from ~/.config/scoot-console/profiles: connect, label, read-only, theme … for one cluster (docs/console.md#profiles). Options given here win.")
    var profile: String?

    @Option(help: "Seconds between polls (0.1 to 60, default 1; + and - change it while running).")
    var refresh: Double?

    @Option(help: "A label for the endpoint (e.g. prod); it colours the frame.")
    var label: String?

    @Flag(name: .customLong("read-only"), help: "Remove every action that changes the cluster.")
    var readOnly = false

    @Flag(name: .customLong("audit-optional"), help: "Send an action even when its audit entry cannot be written (by default it is not sent).")
    var auditOptional = false

    @Option(help: "Theme name (default-dark, light, high-contrast, mono) or a theme file path; default default-dark.")
    var theme: String?

    @Flag(help: "Nothing but ASCII on screen: box drawing, state glyphs, meters; any other character as ?.")
    var ascii = false

    @Option(name: .customLong("demo-workers"), help: "Simulated workers of the embedded demo cluster.")
    var demoWorkers = 24

    @Option(name: .customLong("demo-rate"), help: "Jobs per minute the demo workload submits.")
    var demoRate = 20.0

    @Option(
        name: .customLong("metrics-addr"),
        help: "The scheduler's HTTP port (host:port) for /admin/metrics.json: worker and class counts when the scheduler is a plain Scoot. Default: the --connect host, port 9091.")
    var metricsAddr: String?

    @Option(
        name: .customLong("track-file"),
        help: "Jobs to follow on a plain Scoot scheduler, which cannot list jobs: one job id per line, # comments and blank lines ignored.")
    var trackFile: String?

    @Option(
        name: .customLong("scoot-workers"),
        help: "Scoot workers to poll (QueryWorker), comma-separated thrift addresses as the scheduler names them (9092 by default; local clusters 10101, 10103, …): lists workers and finds every running job on a plain Scoot scheduler.")
    var scootWorkers: String?

    @Option(name: .customLong("scoot-workers-file"), help: "A file with one Scoot worker address a line (# comments allowed).")
    var scootWorkersFile: String?

    @Option(name: .customLong("record"), help: "Record every poll and action here (default: $XDG_STATE_HOME/scoot-console/recordings); replay with `scoot-console replay` (docs/recording.md).")
    var recordDirectory: String?

    @Flag(name: .customLong("no-record"), help: "Do not record this session.")
    var noRecord = false

    @OptionGroup var tls: ClientTLSOptions

    func validate() throws {
        guard scootWorkers == nil || scootWorkersFile == nil else { throw ValidationError("give --scoot-workers or --scoot-workers-file, not both") }
        try Self.check(connect: connect, metricsAddr: metricsAddr, refresh: refresh, source: "")
        guard demoWorkers > 0 else { throw ValidationError("--demo-workers must be positive") }
        guard !noRecord || recordDirectory == nil else { throw ValidationError("give --record DIR or --no-record, not both") }
        guard demoRate > 0 else { throw ValidationError("--demo-rate must be positive") }
    }

    /// The flight recorder: off with --no-record; a directory given with --record must work, the
    /// default one is skipped with a warning when it cannot be used.
    private func openRecorder() throws -> FlightRecorder? {
        guard !noRecord else { return nil }
        let directory = recordDirectory.map { NSString(string: $0).expandingTildeInPath } ?? FlightRecorder.defaultDirectory()
        if let problem = FlightRecorder.problem(writing: directory) {
            if recordDirectory != nil { throw ValidationError("--record \(directory): \(problem)") }
            FileHandle.standardError.write(Data("scoot-console: not recording this session: \(directory): \(problem)\n".utf8))
            return nil
        }
        return FlightRecorder(directory: directory)
    }

    /// Checks the options a profile can also give; `source` names the profile in messages.
    private static func check(connect: String?, metricsAddr: String?, refresh: Double?, source: String) throws {
        if let connect, connect != "default" {
            do { _ = try HostAndPort(parsing: connect) } catch { throw ValidationError("\(source)--connect: \(error)") }
        }
        if let refresh, !(0.1...60).contains(refresh) {
            throw ValidationError("\(source)--refresh must be between 0.1 and 60 seconds, got \(refresh)")
        }
        if let metricsAddr {
            do { _ = try HostAndPort(parsing: metricsAddr) } catch { throw ValidationError("\(source)--metrics-addr: \(error)") }
        }
    }

    func run() async throws {
        // A profile fills in what the command line leaves out.
        let profile: ConsoleProfile?
        do {
            profile = try self.profile.map { name throws(ConsoleProfile.Failure) in try ConsoleProfile.load(name: name, path: ConsoleProfile.defaultPath()) }
        } catch {
            throw ValidationError(error.description)
        }
        let connect = self.connect ?? profile?.connect
        let metricsAddr = self.metricsAddr ?? profile?.metricsAddress
        let refresh = self.refresh ?? profile?.refreshSeconds ?? 1
        if let profile {
            try Self.check(connect: profile.connect, metricsAddr: profile.metricsAddress, refresh: nil, source: "profile \(profile.name): ")
        }
        let label = self.label ?? profile?.label ?? profile?.name
        let readOnly = self.readOnly || profile?.readOnly == true
        let theme = self.theme ?? profile?.theme ?? "default-dark"
        let trackFile = self.trackFile ?? profile?.trackFile
        let workerAddresses: [HostAndPort]
        do {
            if let list = scootWorkers ?? (scootWorkersFile == nil ? profile?.scootWorkers : nil) {
                workerAddresses = try WorkerAddressList.parse(commaSeparated: list)
            } else if let file = scootWorkersFile ?? profile?.scootWorkersFile {
                workerAddresses = try WorkerAddressList.read(file: file)
            } else {
                workerAddresses = []
            }
        } catch {
            throw ValidationError("--scoot-workers: \(error)")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .critical  // the screen belongs to the console
            return handler
        }
        var trackedJobs: [String] = []
        if let trackFile {
            do { trackedJobs = try TrackFile.read(path: trackFile) } catch { throw ValidationError("--track-file: \(error)") }
        }
        let endpoint: HostAndPort
        var metricsAddress: HostAndPort?
        var tlsLayer: ThriftConnectionLayer?
        var demo: (ServeRuntime, Task<Void, Never>, URL)?
        if let connect {
            do {
                endpoint = connect == "default" ? try CloudScootAddress.resolve() : try HostAndPort(parsing: connect)
            } catch {
                throw ValidationError("--connect: \(error)")
            }
            metricsAddress = HostAndPort(host: endpoint.host, port: 9091)
            do {
                tlsLayer = try await tls.connectionLayer(serverHost: endpoint.host)
            } catch {
                throw ValidationError(error.description)
            }
        } else {
            guard try tls.files() == nil else { throw ValidationError("--tls-cert, --tls-key and --tls-ca need --connect") }
            let data = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-console-demo-\(getpid())")
            let runtime = try await ServeRuntime.start(
                .init(thriftAddress: HostAndPort(host: "127.0.0.1", port: 0), httpAddress: HostAndPort(host: "127.0.0.1", port: 0),
                      processWorkers: 0, simulatedWorkers: demoWorkers, dataDirectory: data, scheduler: SchedulerConfiguration()),
                logger: Logger(label: "demo"))
            let client = CloudScootClient(host: "127.0.0.1", port: runtime.thriftServer.port)
            // Four tasks per worker at most: every worker busy, a short queue in every class.
            let workload = DemoWorkload(jobsPerMinute: demoRate, maximumQueuedTasks: 4 * demoWorkers)
            demo = (runtime, Task.detached { await workload.run(client: client) }, data)
            endpoint = HostAndPort(host: "127.0.0.1", port: runtime.thriftServer.port)
            metricsAddress = HostAndPort(host: "127.0.0.1", port: runtime.metricsServer.port)
        }
        // One event loop for the scheduler connection, and the polls run on it too.
        let pollLoop = MultiThreadedEventLoopGroup.singleton.next()
        let caller = ThriftClient(
            configuration: .init(
                host: endpoint.host, port: endpoint.port, connectTimeout: .seconds(5), callTimeout: .seconds(10), connectionLayer: tlsLayer),
            group: pollLoop)
        var state = ConsoleState(
            endpoint: demo == nil ? endpoint.description : "embedded demo (\(endpoint))", label: label,
            readOnly: readOnly || ProcessInfo.processInfo.environment["SCOOT_CONSOLE_READ_ONLY"] == "1")
        state.refreshInterval = .milliseconds(Int((refresh * 1000).rounded()))
        if let metricsAddr { metricsAddress = try HostAndPort(parsing: metricsAddr) }
        let poller = workerAddresses.isEmpty ? nil : WorkerPoller(configuration: .init(addresses: workerAddresses))
        let dataSource = ThriftDataSource(caller: caller, metricsAddress: metricsAddress, workerPoller: poller)
        await dataSource.track(jobs: trackedJobs)
        let recorder = try openRecorder()
        let initialState = state
        let auditOptional = self.auditOptional || ProcessInfo.processInfo.environment["SCOOT_CONSOLE_AUDIT_OPTIONAL"] == "1"
        // What is queued reaches the disk before the process ends (closing may block).
        let terminalFailure = await TerminalSession.run(theme: theme, ascii: ascii, afterRun: { recorder?.close() }) { backend, characters in
            ConsoleRuntime(
                backend: backend, dataSource: dataSource, state: initialState, characters: characters,
                auditOptional: auditOptional, pollExecutor: EventLoopTaskExecutor(pollLoop), recorder: recorder)
        }
        if let (server, workload, data) = demo {
            workload.cancel()
            await server.shutdown()
            try? FileManager.default.removeItem(at: data)
        }
        if let terminalFailure { throw TerminalSession.failure(terminalFailure) }
    }
}
