import HostEnvironment
import ArgumentParser
import Foundation
import Logging
import ProcessWorkers
import SchedulerCore
import ScootServer
import Thrift
import ThriftTLS

/// `scoot-console serve`: a CloudScoot scheduler any Scoot client can use, with real process
/// workers, a durable job log and Scoot's metrics endpoint.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a CloudScoot scheduler: local process workers, a durable job log, metrics.",
        discussion: """
            Thrift: unframed TBinaryProtocol as real Scoot (framed detected per connection), with the \
            CloudScoot API and scoot-console's extension calls. HTTP: GET /admin/metrics.json. \
            Jobs, task results and settings are kept in <data-dir>/jobs.sqlite and recovered after a \
            restart or a crash. SIGINT/SIGTERM stop accepting, finish calls in progress and exit 0. \
            See docs/operations.md.
            """
    )

    @Option(help: "Thrift address (host:port). Binds loopback unless told otherwise.")
    var addr = ServeAccess.defaultThriftAddress

    @Option(name: .customLong("http-addr"), help: "Metrics HTTP address (host:port).")
    var httpAddr = ServeAccess.defaultHTTPAddress

    @Option(name: .customLong("read-only-addr"), help: "A second Thrift address (host:port) that answers read calls only; calls that change the cluster are refused.")
    var readOnlyAddr: String?

    @Option(name: .customLong("tls-addr"), help: "A Thrift address (host:port) over TLS that requires client certificates signed by --tls-ca; needs --tls-cert, --tls-key and --tls-ca.")
    var tlsAddr: String?

    @Option(name: .customLong("tls-cert"), help: "The TLS listener's certificate (PEM).")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "The TLS listener's private key (PEM).")
    var tlsKey: String?

    @Option(name: .customLong("tls-ca"), help: "The certificate authority that signs the operators' client certificates (PEM).")
    var tlsCA: String?

    @Option(help: "Local process workers (default: the number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .customLong("simulated-workers"), help: "Simulated workers besides the process workers.")
    var simulatedWorkers = 0

    @Option(name: .customLong("data-dir"), help: "Job log and run directories (default: $XDG_STATE_HOME/scoot-console, else ~/.local/state/scoot-console).")
    var dataDir: String?

    @Option(name: .customLong("max-retries"), help: "Retries of a failed task (attempts = retries + 1).")
    var maxRetries = 0

    @Option(name: .customLong("default-timeout"), help: "Timeout of tasks that set none: seconds, or a number with s, m or h (e.g. 30m).")
    var defaultTimeout = "30m"

    @Option(help: "maxTasks throttle: enforce (refuse jobs over it) or advisory (Scoot's behaviour).")
    var throttle = "enforce"

    @Option(help: "Requestors allowed to offline and reinstate workers, comma-separated (e.g. alice,bob); default: everyone.")
    var admins: String?

    @Option(name: .customLong("max-tasks-per-job"), help: "Tasks one job may have; a bigger job is refused (InvalidRequest).")
    var maxTasksPerJob = SchedulerConfiguration().maxTasksPerJob

    @Option(name: .customLong("max-queued-tasks"), help: "Unfinished tasks of all jobs together; a job past it waits (CanNotScheduleNow).")
    var maxQueuedTasks = SchedulerConfiguration().maxQueuedTasks

    @Option(name: .customLong("max-job-bytes"), help: "Bytes of text one job definition may carry (argv, environment, ids).")
    var maxJobBytes = SchedulerConfiguration().maxJobDefinitionBytes

    @Option(name: .customLong("max-connections"), help: "Thrift connections open at once; more are closed at once (lowered to fit ulimit -n).")
    var maxConnections = 1_024

    @Option(name: .customLong("max-http-connections"), help: "Metrics port connections open at once; more are closed at once.")
    var maxHTTPConnections = 32

    @Option(name: .customLong("max-output-bytes"), help: "Most bytes each task's stdout and stderr keep, then a marker line: a number, or with K, M or G (binary units, e.g. 64M).")
    var maxOutputBytes = "64M"

    @Option(name: .customLong("disk-reserve"), help: "Free space kept on the data directory's file system; RunJob is refused below it: a size (2G), a percentage (10%) or 0 for none (default: the smaller of 1G and 5%).")
    var diskReserve: String?

    @Option(help: "How a task's processes are held together: auto (a cgroup per run where cgroup v2 is writable, else the process tree) or process-tree.")
    var containment = ProcessContainment.Preference.automatic.rawValue

    @Option(name: .customLong("record"), help: "Keep a flight recording here: a poll a second of what a console sees, and every change any client makes (replay with `scoot-console replay DIR`; docs/recording.md).")
    var recordDirectory: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func validate() throws {
        for (flag, value) in [("--addr", addr), ("--http-addr", httpAddr), ("--read-only-addr", readOnlyAddr), ("--tls-addr", tlsAddr)] {
            guard let value else { continue }
            do { _ = try HostAndPort(parsing: value) } catch { throw ValidationError("\(flag): \(error)") }
        }
        let tlsFiles: ThriftTLSFiles?
        do {
            tlsFiles = try ThriftTLSFiles.fromOptions(certificate: tlsCert, privateKey: tlsKey, certificateAuthority: tlsCA)
        } catch {
            throw ValidationError(error.description)
        }
        guard (tlsAddr == nil) == (tlsFiles == nil) else {
            throw ValidationError("--tls-addr needs --tls-cert, --tls-key and --tls-ca, and they need --tls-addr")
        }
        guard workers >= 0, simulatedWorkers >= 0 else { throw ValidationError("--workers and --simulated-workers must be 0 or more") }
        guard workers + simulatedWorkers > 0 else { throw ValidationError("no workers: give --workers or --simulated-workers a positive number") }
        guard maxTasksPerJob >= 1, maxQueuedTasks >= 1, maxJobBytes >= 1 else {
            throw ValidationError("--max-tasks-per-job, --max-queued-tasks and --max-job-bytes must be 1 or more")
        }
        guard maxConnections >= 1, maxHTTPConnections >= 1 else {
            throw ValidationError("--max-connections and --max-http-connections must be 1 or more")
        }
        guard maxRetries >= 0 else { throw ValidationError("--max-retries must be 0 or more, got \(maxRetries)") }
        guard Self.parseDuration(defaultTimeout) != nil else {
            throw ValidationError("--default-timeout: '\(defaultTimeout)' is not a duration; use seconds or e.g. 90s, 30m, 2h")
        }
        guard SchedulerConfiguration.ThrottleMode(rawValue: throttle) != nil else {
            throw ValidationError("--throttle must be enforce or advisory, got '\(throttle)'")
        }
        if let admins {
            do { _ = try ServeAccess.parseAdmins(admins) } catch { throw ValidationError(error.description) }
        }
        guard let outputBytes = ByteCount.parse(maxOutputBytes), outputBytes > 0 else {
            throw ValidationError("--max-output-bytes: '\(maxOutputBytes)' is not a positive byte count; use e.g. 1048576, 512K, 64M or 1G")
        }
        if let diskReserve, DiskReserve(parsing: diskReserve) == nil {
            throw ValidationError("--disk-reserve: '\(diskReserve)' is not a size or a percentage; use e.g. 2G, 500M, 10% or 0")
        }
        guard ProcessContainment.Preference(rawValue: containment) != nil else {
            throw ValidationError("--containment must be auto or process-tree, got '\(containment)'")
        }
        try ServerLogging.validate(logLevel)
    }

    func run() async throws {
        HeapTrimmer.configureHeap()
        ServerLogging.bootstrap(logLevel)
        let logger = Logger(label: "scoot-console.serve")
        let thrift = try HostAndPort(parsing: addr)
        let http = try HostAndPort(parsing: httpAddr)
        let readOnly = try readOnlyAddr.map { try HostAndPort(parsing: $0) }
        // The TLS listener is not warned about: a peer needs a certificate signed by --tls-ca.
        for warning in ServeAccess.publicAddressWarnings([thrift, http] + (readOnly.map { [$0] } ?? [])) { logger.warning("\(warning)") }
        var scheduler = SchedulerConfiguration()
        scheduler.maxRetriesPerTask = maxRetries
        scheduler.maxTasksPerJob = maxTasksPerJob
        scheduler.maxQueuedTasks = maxQueuedTasks
        scheduler.maxJobDefinitionBytes = maxJobBytes
        scheduler.defaultTaskTimeout = Self.parseDuration(defaultTimeout)!
        scheduler.throttleMode = SchedulerConfiguration.ThrottleMode(rawValue: throttle)!
        if let admins { scheduler.admins = try ServeAccess.parseAdmins(admins) }
        let data = URL(fileURLWithPath: dataDir ?? Self.defaultDataDirectory())
        var configuration = ServeRuntime.Configuration(
            thriftAddress: thrift, httpAddress: http, processWorkers: workers, simulatedWorkers: simulatedWorkers, dataDirectory: data,
            scheduler: scheduler)
        configuration.maximumConnections = maxConnections
        configuration.metricsLimits.maximumConnections = maxHTTPConnections
        configuration.maxOutputBytes = Int64(ByteCount.parse(maxOutputBytes)!)
        configuration.containment = ProcessContainment.Preference(rawValue: containment)!
        configuration.diskReserve = diskReserve.flatMap(DiskReserve.init(parsing:)) ?? .standard
        configuration.readOnlyThriftAddress = readOnly
        if let tlsAddr, let files = try ThriftTLSFiles.fromOptions(certificate: tlsCert, privateKey: tlsKey, certificateAuthority: tlsCA) {
            configuration.tlsListener = .init(address: try HostAndPort(parsing: tlsAddr), files: files)
        }
        let recording = try recordDirectory.map { try ServerRecording(directory: NSString(string: $0).expandingTildeInPath, source: "serve") }
        configuration.changeObserver = recording?.observer
        let runtime: ServeRuntime
        do {
            runtime = try await ServeRuntime.start(configuration, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("scoot-console serve: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let extraListeners =
            (runtime.readOnlyThriftServer.map { ", read-only on \($0.address)" } ?? "") + (runtime.tlsThriftServer.map { ", TLS on \($0.address)" } ?? "")
        print("""
            scoot-console serve: CloudScoot on \(runtime.thriftServer.address)\(extraListeners), metrics on \
            http://\(runtime.metricsServer.address)/admin/metrics.json, \(workers) process and \
            \(simulatedWorkers) simulated workers, data in \(data.path). Ctrl-C to stop.
            """)
        fflush(nil)
        recording?.startPolling(host: thrift.host, port: runtime.thriftServer.port)
        await TerminationSignal.wait()
        await recording?.stop()
        await runtime.shutdown()
    }

    /// `$XDG_STATE_HOME/scoot-console`, else `~/.local/state/scoot-console`.
    static func defaultDataDirectory() -> String {
        HostEnvironment.stateDirectory()
    }

    /// Seconds (`90`), or a number with `s`, `m` or `h`.
    static func parseDuration(_ text: String) -> Duration? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        var number = Substring(text)
        var scale = 1.0
        if let last = text.last, let unit = units[last] {
            number = number.dropLast()
            scale = unit
        }
        guard let value = Double(number), value > 0, value.isFinite else { return nil }
        return .milliseconds(Int64(value * scale * 1000))
    }
}
