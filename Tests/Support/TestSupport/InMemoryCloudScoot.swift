import ScootAPI
import Thrift

/// A CloudScoot handler that keeps everything in memory and runs nothing: jobs are validated
/// as Scoot validates them (docs/scoot.md, "RunJob validation and admission", with the same texts) and then stay queued until
/// killed; settings are stored and returned. A fake for tests and benchmarks that need a plain
/// CloudScoot peer without a scheduler (the scheduler itself is `SchedulerCore`, served by
/// `serve`).
///
/// Where Scoot answers a bad request with a generic application error, this handler throws the
/// IDL's declared `InvalidRequest` (docs/deviations.md). Errors Scoot reports as
/// `TApplicationException(INTERNAL_ERROR)` (kill of an unknown job, offline of an unknown node)
/// are thrown as `CloudScootError`, which the processor turns into exactly that.
public actor InMemoryCloudScoot: CloudScootHandler {
    /// Scoot's default class load percents (docs/scoot.md, "Classes and load percents").
    public static let defaultClassLoadPercents: ThriftMap<String, Int32> = [
        "land": 40, "diff": 25, "regression": 17, "sandbox": 10, "ktf": 3, "coverage": 2, "tryout": 2, "unknown": 1,
    ]
    /// Scoot's default requestor regex → class map (docs/scoot.md, "Requestor-to-class map").
    public static let defaultRequestorToClassMap: ThriftMap<String, String> = [
        "land.*": "land", "diff.*": "diff", "sandbox.*": "sandbox", "regression.*": "regression", "CI.*": "regression",
        "jenkins.*": "ktf", "ktf.*": "ktf", "coverage.*": "coverage", "tryout.*": "tryout",
    ]

    private struct StoredJob {
        var definition: JobDefinition
        var killed = false
    }

    private var jobs: [String: StoredJob] = [:]
    private var healthyWorkers: Set<String>
    private var offlinedWorkers: Set<String> = []
    private var maxTasks: Int32 = -1
    private var classLoadPercents = InMemoryCloudScoot.defaultClassLoadPercents
    private var requestorToClassMap = InMemoryCloudScoot.defaultRequestorToClassMap
    private var rebalanceMinimumDuration: Int32 = 4
    private var rebalanceThreshold: Int32 = 0

    /// Creates the handler with workers `inmemory0` … `inmemory<n-1>`, as Scoot's `local.memory` config.
    public init(workerCount: Int = 10) {
        healthyWorkers = Set((0..<workerCount).map { "inmemory\($0)" })
    }

    public func runJob(job: JobDefinition) async throws -> JobId {
        try Self.validate(job)
        let id = RandomUUID.v4()
        var definition = job
        if (definition.tag ?? "").isEmpty { definition.tag = id }
        jobs[id] = StoredJob(definition: definition)
        return JobId(id: id)
    }

    public func getStatus(jobId: String) async throws -> JobStatus {
        guard let job = jobs[jobId] else {
            return JobStatus(id: jobId, status: .notStarted, taskStatus: [:], taskData: [:])
        }
        return status(of: jobId, job)
    }

    public func killJob(jobId: String) async throws -> JobStatus {
        guard var job = jobs[jobId] else { throw CloudScootError("cannot kill Job Id \(jobId), not found.") }
        guard !job.killed else { throw CloudScootError("job Id \(jobId) was already killed, request ignored") }
        job.killed = true
        jobs[jobId] = job
        return status(of: jobId, job)
    }

    public func offlineWorker(req: OfflineWorkerReq) async throws {
        guard healthyWorkers.remove(req.id) != nil else {
            throw CloudScootError("node \(req.id) was not present in nodes. It can't be offlined")
        }
        offlinedWorkers.insert(req.id)
    }

    public func reinstateWorker(req: ReinstateWorkerReq) async throws {
        guard offlinedWorkers.remove(req.id) != nil else {
            throw CloudScootError("node \(req.id) was not present in offlinedNodes. It can't be reinstated")
        }
        healthyWorkers.insert(req.id)
    }

    public func getSchedulerStatus() async throws -> SchedulerStatus {
        let queued = jobs.values.filter { !$0.killed }.reduce(0) { $0 + $1.definition.tasks.count }
        return SchedulerStatus(currentTasks: Int32(clamping: queued), maxTasks: maxTasks)
    }

    public func setSchedulerStatus(maxTasks: Int32) async throws {
        guard maxTasks >= -1 else { throw InvalidRequest(message: "invalid tasks limit:\(maxTasks). Must be >= -1.") }
        self.maxTasks = maxTasks
    }

    public func getClassLoadPercents() async throws -> ThriftMap<String, Int32> { classLoadPercents }

    public func setClassLoadPercents(loadPercents: ThriftMap<String, Int32>) async throws {
        guard !loadPercents.isEmpty else { throw InvalidRequest(message: "class load percents must name at least one class") }
        if let (name, value) = loadPercents.first(where: { $0.value < 0 }) {
            throw InvalidRequest(message: "class \(name) has a negative load percent \(value)")
        }
        guard loadPercents.values.contains(where: { $0 > 0 }) else {
            throw InvalidRequest(message: "class load percents are all zero; at least one class must have a positive percent")
        }
        classLoadPercents = loadPercents
    }

    public func getRequestorToClassMap() async throws -> ThriftMap<String, String> { requestorToClassMap }

    public func setRequestorToClassMap(requestorToClassMap: ThriftMap<String, String>) async throws {
        for pattern in requestorToClassMap.keys.sorted() {
            do {
                _ = try Regex(pattern)
            } catch {
                throw InvalidRequest(message: "requestor pattern \(pattern) is not a valid regular expression: \(error)")
            }
        }
        self.requestorToClassMap = requestorToClassMap
    }

    public func getRebalanceMinimumDuration() async throws -> Int32 { rebalanceMinimumDuration }

    public func setRebalanceMinimumDuration(durationMin: Int32) async throws { rebalanceMinimumDuration = durationMin }

    public func getRebalanceThreshold() async throws -> Int32 { rebalanceThreshold }

    public func setRebalanceThreshold(threshold: Int32) async throws { rebalanceThreshold = threshold }

    private func status(of id: String, _ job: StoredJob) -> JobStatus {
        let taskIDs = job.definition.tasks.compactMap(\.taskId)
        guard job.killed else {
            return JobStatus(id: id, status: .inProgress, taskStatus: ThriftMap(uniqueKeysWithValues: taskIDs.map { ($0, Status.notStarted) }), taskData: [:])
        }
        let aborted = RunStatus(status: .aborted, runId: "", error: "UserRequested", exitCode: 0)
        return JobStatus(
            id: id, status: .completed,
            taskStatus: ThriftMap(uniqueKeysWithValues: taskIDs.map { ($0, Status.completed) }),
            taskData: ThriftMap(uniqueKeysWithValues: taskIDs.map { ($0, aborted) }))
    }

    /// Scoot's RunJob validation that needs no scheduler state, in Scoot's order and words.
    static func validate(_ job: JobDefinition) throws {
        for task in job.tasks where task.taskId == nil { throw InvalidRequest(message: "nil taskId") }
        guard !job.tasks.isEmpty else { throw InvalidRequest(message: "invalid job. Must have at least 1 task; was empty") }
        for task in job.tasks {
            guard let id = task.taskId, !id.isEmpty else { throw InvalidRequest(message: "invalid task id \"\".") }
            guard !task.command.argv.isEmpty else {
                throw InvalidRequest(message: "invalid task.Command.Argv. Must have at least one argument; was empty")
            }
        }
        let priority = job.priority ?? 0
        guard (0...2).contains(priority) else { throw InvalidRequest(message: "invalid priority \(priority), must be between 0-2 inclusive") }
        var seen: Set<String> = []
        for task in job.tasks {
            let id = task.taskId ?? ""
            guard seen.insert(id).inserted else { throw InvalidRequest(message: "invalid dup taskID \(id)") }
        }
    }
}

/// Random (version 4) UUIDs in Scoot's lowercase 8-4-4-4-12 form.
enum RandomUUID {
    static func v4() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte -> String in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }
}
