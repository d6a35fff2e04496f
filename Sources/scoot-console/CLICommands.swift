import ArgumentParser
import Foundation
import ScootAPI
import ScootCLI
import Thrift
import ThriftTLS

/// The options every CLI command shares: which scheduler, and how long to wait for it.
struct SchedulerOptions: ParsableArguments {
    @Option(help: "Scheduler (host:port). Default: the first line of ~/.cloudscootaddr$SCOOT_ID, else 127.0.0.1:9090.")
    var addr: String?

    @Option(help: "Seconds to wait for the connection and for each call (scootcl: 60).")
    var timeout: Double = 60

    @Flag(name: .customLong("audit-optional"), help: "Send a change even when its audit entry cannot be written (by default it is not sent).")
    var auditOptional = false

    @OptionGroup var tls: ClientTLSOptions

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds, got \(timeout)") }
        if let addr {
            do { _ = try HostAndPort(parsing: addr) } catch { throw ValidationError("--addr: \(error)") }
        }
    }

    /// Resolves the address, runs `body` on a session, and turns a failure into its message on
    /// stderr and its exit code.
    func run(_ command: String, _ body: (CLISession) async throws(CLIFailure) -> Void) async throws {
        do {
            let endpoint = try CloudScootAddress.resolve(flag: addr)
            let layer = try await tls.connectionLayerForCLI(serverHost: endpoint.host)
            var session = CLISession(endpoint: endpoint, timeoutSeconds: timeout, connectionLayer: layer)
            if auditOptional { session.auditOptional = true }
            try await body(session)
        } catch {
            CLISession.writeToStandardError("scoot-console \(command): \(error.message)")
            throw ExitCode(error.exitCode.rawValue)
        }
    }
}

/// `--tls-cert`, `--tls-key`, `--tls-ca`: connect over TLS with a client certificate, to
/// `serve --tls-addr`. All three or none.
struct ClientTLSOptions: ParsableArguments {
    @Option(name: .customLong("tls-cert"), help: "Connect over TLS with this client certificate (PEM); needs --tls-key and --tls-ca.")
    var certificate: String?

    @Option(name: .customLong("tls-key"), help: "The client certificate's private key (PEM).")
    var privateKey: String?

    @Option(name: .customLong("tls-ca"), help: "The certificate authority that signed the scheduler's certificate (PEM).")
    var certificateAuthority: String?

    func validate() throws {
        do { _ = try files() } catch { throw ValidationError(error.description) }
    }

    /// The three files, or nil when none was given.
    func files() throws(ThriftTLSError) -> ThriftTLSFiles? {
        try ThriftTLSFiles.fromOptions(certificate: certificate, privateKey: privateKey, certificateAuthority: certificateAuthority)
    }

    /// The TLS layer for a connection to `serverHost`, or nil without the options.
    func connectionLayer(serverHost: String) async throws(ThriftTLSError) -> ThriftConnectionLayer? {
        guard let files = try files() else { return nil }
        return try await ThriftTLS.clientLayer(files, serverHost: serverHost)
    }

    /// `connectionLayer(serverHost:)` with an unusable file as a usage error (exit 2).
    func connectionLayerForCLI(serverHost: String) async throws(CLIFailure) -> ThriftConnectionLayer? {
        do {
            return try await connectionLayer(serverHost: serverHost)
        } catch {
            throw CLIFailure.usage(error.description)
        }
    }
}

/// Help text shared by the CLI commands.
enum CLIHelp {
    /// `extra`, then the exit codes.
    static func discussion(_ extra: String = "") -> String {
        (extra.isEmpty ? "" : extra + "\n\n") + CLIExitCode.summary + " See docs/cli.md."
    }
}

/// `scoot-console run-job`: scootcl's `run_job`.
struct RunJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-job",
        abstract: "Submit a job: a command line (one task, task1) or --job-def FILE. Prints the job id.",
        discussion: CLIHelp.discussion("""
            The file is scootcl's JSON: {"Tasks":[{"Args":[…],"EnvVars":{…},"SnapshotID":"","TimeoutMs":0,"TaskID":""}], \
            "DefaultTaskTimeoutMs":0,"Priority":0,"Tag":"","Basis":"","JobType":"","Requestor":""}; keys match \
            case-insensitively. With a file, --tag, --requestor, --priority and --snapshot-id fill in what it leaves empty. \
            Put -- before a command that starts with '-'.
            """),
        aliases: ["run_job"])

    @OptionGroup var scheduler: SchedulerOptions

    @Option(name: [.customLong("job-def"), .customLong("job_def")], help: "A job definition file in scootcl's JSON format (- for stdin).")
    var jobDef: String?

    @Option(name: [.customLong("snapshot-id"), .customLong("snapshot_id")], help: "The snapshot the task runs in.")
    var snapshotID: String?

    @Option(help: "A tag to trace the job by (default: the job id).")
    var tag: String?

    @Option(help: "Who submits the job; it selects the job's scheduling class.")
    var requestor: String?

    @Option(parsing: .unconditional, help: "0, 1 or 2 (highest).")
    var priority: Int32?

    @Argument(parsing: .captureForPassthrough, help: "The command to run, e.g. echo hello.")
    var command: [String] = []

    /// `--help` or `-h` before any `--` asks for help (the command is captured as it is typed, so
    /// ArgumentParser does not see them); after `--` they are the command's own.
    func validate() throws {
        if let first = command.first, ["--help", "-h", "-help"].contains(first) { throw CleanExit.helpRequest(self) }
    }

    func run() async throws {
        try await scheduler.run("run-job") { session throws(CLIFailure) in
            var argv = command
            if argv.first == "--" {
                argv.removeFirst()
            } else if let first = argv.first, first.hasPrefix("-") {
                throw .usage("unknown option '\(first)'; to run a command that starts with '-', put -- before it")
            }
            let file = try jobDef.map { path throws(CLIFailure) in JobDefinitionInput.File(path: path, contents: try InputFile.read(path, flag: "--job-def")) }
            let input = JobDefinitionInput(argv: argv, file: file, snapshotID: snapshotID, tag: tag, requestor: requestor, priority: priority)
            try await session.runJob(try input.jobDefinition())
        }
    }
}

/// `scoot-console get-job-status ID`: scootcl's `get_job_status`.
struct GetJobStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get-job-status", abstract: "Print a job's status and its tasks' latest runs.",
        discussion: CLIHelp.discussion(), aliases: ["get_job_status"])

    @OptionGroup var scheduler: SchedulerOptions
    @Flag(help: "One line of JSON, as scootcl --json.") var json = false
    @Argument(help: "The job id.") var jobID: String

    func run() async throws {
        try await scheduler.run("get-job-status") { session throws(CLIFailure) in
            try await session.getJobStatus(jobID: jobID, format: json ? .json : .text)
        }
    }
}

/// `scoot-console watch-job ID`: scootcl's `watch_job`, with an exit code that says how the job ended.
struct WatchJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-job",
        abstract: "Poll a job until it ends; print its task changes to stderr and its final status to stdout.",
        discussion: CLIHelp.discussion("Exit 0 only when every task ended COMPLETE with exit code 0."), aliases: ["watch_job"])

    @OptionGroup var scheduler: SchedulerOptions
    @Option(help: "Seconds between polls.") var interval: Double = 3
    @Flag(help: "Print the final status as one line of JSON.") var json = false
    @Argument(help: "The job id.") var jobID: String

    func validate() throws {
        guard interval > 0, interval.isFinite else { throw ValidationError("--interval must be a positive number of seconds, got \(interval)") }
    }

    func run() async throws {
        var outcome = CLIExitCode.ok
        try await scheduler.run("watch-job") { session throws(CLIFailure) in
            outcome = try await session.watchJob(jobID: jobID, interval: .milliseconds(Int64(interval * 1000)), format: json ? .json : .text)
        }
        if outcome != .ok { throw ExitCode(outcome.rawValue) }
    }
}

/// `scoot-console kill-job ID`: scootcl's `kill_job`.
struct KillJobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill-job", abstract: "Kill a job; print the status the scheduler answers with.",
        discussion: CLIHelp.discussion("Audited; refused in read-only mode."), aliases: ["kill_job"])

    @OptionGroup var scheduler: SchedulerOptions
    @Flag(help: "One line of JSON, as scootcl --json.") var json = false
    @Argument(help: "The job id.") var jobID: String

    func run() async throws {
        try await scheduler.run("kill-job") { session throws(CLIFailure) in
            try await session.killJob(jobID: jobID, format: json ? .json : .text)
        }
    }
}

/// `scoot-console offline-worker ID`: scootcl's `offline_worker`.
struct OfflineWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offline-worker", abstract: "Stop scheduling tasks on a worker (requestor: your OS user name).",
        discussion: CLIHelp.discussion("Audited; refused in read-only mode."), aliases: ["offline_worker"])

    @OptionGroup var scheduler: SchedulerOptions
    @Argument(help: "The worker (node) id.") var workerID: String

    func run() async throws {
        try await scheduler.run("offline-worker") { session throws(CLIFailure) in try await session.offlineWorker(id: workerID) }
    }
}

/// `scoot-console reinstate-worker ID`: scootcl's `reinstate_worker`.
struct ReinstateWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reinstate-worker", abstract: "Put an offlined worker back (requestor: your OS user name).",
        discussion: CLIHelp.discussion("Audited; refused in read-only mode."), aliases: ["reinstate_worker"])

    @OptionGroup var scheduler: SchedulerOptions
    @Argument(help: "The worker (node) id.") var workerID: String

    func run() async throws {
        try await scheduler.run("reinstate-worker") { session throws(CLIFailure) in try await session.reinstateWorker(id: workerID) }
    }
}

/// `scoot-console get-scheduler-status`: scootcl's `get_scheduler_status`.
struct GetSchedulerStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get-scheduler-status", abstract: "Print the number of unfinished tasks and the task throttle.",
        discussion: CLIHelp.discussion(), aliases: ["get_scheduler_status"])

    @OptionGroup var scheduler: SchedulerOptions
    @Flag(help: "One line of JSON, as scootcl --json.") var json = false

    func run() async throws {
        try await scheduler.run("get-scheduler-status") { session throws(CLIFailure) in
            try await session.getSchedulerStatus(format: json ? .json : .text)
        }
    }
}

/// `scoot-console set-scheduler-status --task-throttle N`: scootcl's `set_scheduler_status`.
struct SetSchedulerStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-scheduler-status", abstract: "Set the task throttle (maxTasks; -1 = unlimited).",
        discussion: CLIHelp.discussion("Audited with the value before and after; refused in read-only mode."),
        aliases: ["set_scheduler_status"])

    @OptionGroup var scheduler: SchedulerOptions
    @Option(name: [.customLong("task-throttle"), .customLong("task_throttle")], parsing: .unconditional, help: "Most tasks at once; -1 = unlimited. Required.")
    var taskThrottle: Int
    @Flag(help: "Accepted for scootcl compatibility; this command prints nothing.") var json = false

    func run() async throws {
        try await scheduler.run("set-scheduler-status") { session throws(CLIFailure) in try await session.setSchedulerStatus(taskThrottle: taskThrottle) }
    }
}

/// `scoot-console get-scheduling-alg-params`: scootcl's `get_scheduling_alg_params`.
struct GetSchedulingAlgParamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get-scheduling-alg-params", abstract: "Print class load percents, the requestor map and the rebalance settings.",
        discussion: CLIHelp.discussion(), aliases: ["get_scheduling_alg_params"])

    @OptionGroup var scheduler: SchedulerOptions
    @Flag(help: "One line of JSON, as scootcl --json.") var json = false

    func run() async throws {
        try await scheduler.run("get-scheduling-alg-params") { session throws(CLIFailure) in
            try await session.getSchedulingAlgorithmParameters(format: json ? .json : .text)
        }
    }
}

/// `scoot-console set-scheduling-alg-params`: scootcl's `set_scheduling_alg_params`.
struct SetSchedulingAlgParamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set-scheduling-alg-params",
        abstract: "Change class load percents, the requestor map and the rebalance settings.",
        discussion: CLIHelp.discussion("""
            Files are read and checked before anything is sent. The files replace the whole tables, as scootcl's do; \
            with --merge they change or add only the classes and patterns they name. Applied in scootcl's order (minimum duration, threshold, \
            percents, requestor map), stopping at the first error, the requestor map's included. Audited with all four \
            settings before and after; refused in read-only mode.
            """),
        aliases: ["set_scheduling_alg_params"])

    @OptionGroup var scheduler: SchedulerOptions
    @Option(name: [.customLong("class-pcts-file"), .customLong("class_pcts_file")], help: #"JSON object class → percent, e.g. {"land": 60, "diff": 40}."#)
    var classPctsFile: String?
    @Option(name: [.customLong("requestor-map-file"), .customLong("requestor_map_file")], help: #"JSON object requestor regex → class, e.g. {"^land-": "land"}."#)
    var requestorMapFile: String?
    @Option(name: [.customLong("rebalance-min"), .customLong("rebalance_min")], parsing: .unconditional, help: "Minutes over the threshold before rebalancing; -1 = unchanged (scootcl).")
    var rebalanceMin: Int?
    @Option(name: [.customLong("rebalance-threshold"), .customLong("rebalance_threshold")], parsing: .unconditional, help: "Spread in percentage points that triggers rebalancing; 0 = off; -1 = unchanged (scootcl).")
    var rebalanceThreshold: Int?
    @Flag(help: "Change or add only the classes and patterns the files name; the others keep theirs (scootcl replaces both tables).")
    var merge = false

    func validate() throws {
        for (flag, value) in [("--rebalance-min", rebalanceMin), ("--rebalance-threshold", rebalanceThreshold)] {
            if let value, !(Int(Int32.min)...Int(Int32.max)).contains(value) { throw ValidationError("\(flag) \(value) is out of range (32-bit)") }
        }
    }

    func run() async throws {
        try await scheduler.run("set-scheduling-alg-params") { session throws(CLIFailure) in
            var change = SchedulingSettingsChange(merges: merge)
            change.rebalanceMinimumDuration = rebalanceMin.flatMap { $0 == -1 ? nil : Int32($0) }
            change.rebalanceThreshold = rebalanceThreshold.flatMap { $0 == -1 ? nil : Int32($0) }
            if let classPctsFile {
                change.classLoadPercents = try SchedulingSettingsFiles.classLoadPercents(
                    try InputFile.read(classPctsFile, flag: "--class-pcts-file"), path: classPctsFile)
            }
            if let requestorMapFile {
                change.requestorMap = try SchedulingSettingsFiles.requestorToClassMap(
                    try InputFile.read(requestorMapFile, flag: "--requestor-map-file"), path: requestorMapFile)
            }
            try await session.setSchedulingAlgorithmParameters(change)
        }
    }
}

/// `scoot-console list-jobs`: jobs through scoot-console's extension call ListJobs.
struct ListJobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-jobs", abstract: "List jobs, newest first (needs scoot-console serve; a plain Scoot cannot list jobs).",
        discussion: CLIHelp.discussion(), aliases: ["list_jobs"])

    @OptionGroup var scheduler: SchedulerOptions
    @Option(help: "Only jobs with this status (IN_PROGRESS, COMPLETED …); repeat or separate with commas.") var status: [String] = []
    @Option(help: "Only jobs of this requestor.") var requestor: String?
    @Option(name: .customLong("class"), help: "Only jobs in this scheduling class.") var className: String?
    @Option(help: "At most this many jobs (server default 500).") var limit: Int?
    @Flag(help: "One line of JSON (an array of JobSummary objects).") var json = false

    func run() async throws {
        try await scheduler.run("list-jobs") { session throws(CLIFailure) in
            let filter = try CLISession.jobFilter(statuses: status, requestor: requestor, className: className, limit: limit)
            try await session.listJobs(filter: filter, format: json ? .json : .text)
        }
    }
}

/// `scoot-console list-workers`: workers through scoot-console's extension call ListWorkers.
struct ListWorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-workers", abstract: "List workers and what they run (needs scoot-console serve).",
        discussion: CLIHelp.discussion(), aliases: ["list_workers"])

    @OptionGroup var scheduler: SchedulerOptions
    @Flag(help: "One line of JSON (an array of WorkerInfo objects).") var json = false

    func run() async throws {
        try await scheduler.run("list-workers") { session throws(CLIFailure) in try await session.listWorkers(format: json ? .json : .text) }
    }
}
