import ScootAPI

/// How a read command prints its answer.
public enum OutputFormat: Sendable, Hashable {
    /// Readable text (see `TextRendering`).
    case text
    /// One line of JSON with stable key order (see `JSONRendering`).
    case json
}

extension CLISession {
    /// `get-job-status ID`.
    public func getJobStatus(jobID: String, format: OutputFormat) async throws(CLIFailure) {
        let status = try await calling { try await client.getStatus(jobId: jobID) }
        print(format == .json ? JSONRendering.json(status).rendered : TextRendering.text(status))
    }

    /// `get-scheduler-status`.
    public func getSchedulerStatus(format: OutputFormat) async throws(CLIFailure) {
        let status = try await calling { try await client.getSchedulerStatus() }
        print(format == .json ? JSONRendering.json(status).rendered : TextRendering.text(status))
    }

    /// `get-scheduling-alg-params`.
    public func getSchedulingAlgorithmParameters(format: OutputFormat) async throws(CLIFailure) {
        let parameters = try await calling { try await SchedulingAlgorithmParameters.read(from: client) }
        print(format == .json ? JSONRendering.json(parameters).rendered : TextRendering.text(parameters))
    }

    /// `list-jobs` (scoot-console extension; exit 1 against a plain CloudScoot scheduler).
    public func listJobs(filter: JobFilter, format: OutputFormat) async throws(CLIFailure) {
        let jobs = try await calling { try await client.consoleJobs(filter) }
        print(format == .json ? JSONRendering.json(jobs).rendered : TextRendering.text(jobs))
    }

    /// `list-workers` (scoot-console extension; exit 1 against a plain CloudScoot scheduler).
    public func listWorkers(format: OutputFormat) async throws(CLIFailure) {
        let workers = try await calling { try await client.consoleWorkers() }
        print(format == .json ? JSONRendering.json(workers).rendered : TextRendering.text(workers))
    }

    /// The filter of `list-jobs`: status names as in the IDL (case and `-`/`_` do not matter),
    /// requestor, class and a positive limit.
    public static func jobFilter(statuses: [String], requestor: String?, className: String?, limit: Int?) throws(CLIFailure) -> JobFilter {
        var parsed: [Status] = []
        for name in statuses.flatMap({ $0.split(separator: ",") }) {
            let normalized = name.uppercased().replacingOccurrences(of: "-", with: "_")
            guard let status = Status(name: normalized) else {
                let known = Status.knownCases.map(\.name).joined(separator: ", ")
                throw .usage("--status: unknown job status '\(name)'; use one of \(known)")
            }
            parsed.append(status)
        }
        if let limit, !(1...Int(Int32.max)).contains(limit) { throw .usage("--limit must be a positive number, got \(limit)") }
        return JobFilter(statuses: parsed.isEmpty ? nil : parsed, requestor: requestor, className: className, limit: limit.map { Int32($0) })
    }

    func print(_ text: String) {
        standardOutput(text)
    }

    /// Runs a call to the scheduler; any error becomes a classified `CLIFailure`.
    func calling<T>(_ call: () async throws -> T) async throws(CLIFailure) -> T {
        do {
            return try await call()
        } catch {
            throw CLIFailure(classifying: error, endpoint: endpoint)
        }
    }
}
