import AuditLog
import ConsoleApp
import Foundation
import ScootAPI
import Synchronization
import Thrift

/// SplitMix64: a small seeded generator, so that a failing seed fails again.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// A clock the tests set: the recorder stamps audit entries with it.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ date: Date) {
        current = Mutex(date)
    }

    var now: Date {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}

/// A random cluster that changes a little at every poll: jobs appear, change and finish,
/// workers come and go, the load moves, settings change now and then, a job is selected or
/// followed, audit entries happen. Times are whole milliseconds, one poll a second or so.
struct ClusterSimulation {
    private(set) var rng: SeededGenerator
    private(set) var snapshot: ClusterSnapshot
    private(set) var timeMs: Int64
    private var nextJob = 0
    private var nextWorker = 0
    private let classes = ["land", "diff", "ktf", "sandbox"]

    init(seed: UInt64, startMs: Int64, jobs: Int = 20, workers: Int = 6) {
        rng = SeededGenerator(seed: seed)
        timeMs = startMs
        snapshot = ClusterSnapshot(
            jobs: [], workers: [], load: nil, schedulerStatus: SchedulerStatus(currentTasks: 0, maxTasks: 100),
            settings: .init(classLoadPercents: ["land": 60, "diff": 40], requestorToClassMap: ["ci": "land"], rebalanceThreshold: 10, rebalanceMinimumDuration: 4))
        for _ in 0..<jobs { snapshot.jobs.append(newJob()) }
        for _ in 0..<workers { snapshot.workers.append(newWorker()) }
        snapshot.observedAt = Self.date(timeMs)
    }

    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    private mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < probability }
    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    private mutating func int32(_ range: ClosedRange<Int32>) -> Int32 { Int32.random(in: range, using: &rng) }

    private mutating func newJob() -> JobSummary {
        nextJob += 1
        let status: ScootAPI.Status = [.notStarted, .inProgress, .completed, .rolledBack, .unrecognized(42)][int(0...4)]
        return JobSummary(
            id: "job-\(nextJob)", requestor: "user-\(int(0...5))", className: classes[int(0...3)], tag: "tag-\(int(0...99))",
            basis: chance(0.5) ? "basis-\(nextJob)" : "", priority: int32(0...3), status: status, killed: chance(0.05),
            waitingTasks: int32(0...50), runningTasks: int32(0...20), completedTasks: int32(0...500), failedTasks: int32(0...3),
            submittedAtMs: timeMs - Int64(int(0...100_000)), startedAtMs: chance(0.7) ? timeMs - 1000 : nil, endedAtMs: nil,
            jobType: chance(0.3) ? "build" : nil, statusAtMs: chance(0.2) ? timeMs : nil,
            unknownFields: chance(0.1) ? ["requestor", "tag"] : nil, preemptedTasks: chance(0.2) ? int32(0...4) : nil)
    }

    private mutating func newWorker() -> WorkerInfo {
        nextWorker += 1
        return WorkerInfo(
            id: "worker-\(nextWorker)", state: [.idle, .busy, .offline, .suspended, .unreachable][int(0...4)],
            currentJobId: chance(0.5) ? "job-\(int(1...max(1, nextJob)))" : nil, currentTaskId: chance(0.5) ? "task-\(int(0...9))" : nil,
            lastSnapshotId: "snap-\(int(0...9))", tasksRun: int32(0...1000), reachable: chance(0.8) ? true : nil, healthy: chance(0.5) ? chance(0.9) : nil,
            initialized: nil, error: chance(0.1) ? "disk full" : nil,
            runs: chance(0.3) ? [RunStatus(status: .complete, runId: "run-\(int(0...99))", exitCode: 0, jobId: "job-1", taskId: "task-1")] : nil,
            lastAnswerAtMs: chance(0.5) ? timeMs : nil)
    }

    private mutating func tasks(count: Int) -> [TaskSummary] {
        (0..<count).map { index in
            TaskSummary(
                taskId: "task-\(index)", status: [.notStarted, .inProgress, .completed][int(0...2)], workerId: chance(0.6) ? "worker-\(int(1...9))" : nil,
                startedAtMs: chance(0.6) ? timeMs - 5000 : nil, endedAtMs: chance(0.3) ? timeMs : nil, attempts: int32(1...3))
        }
    }

    private mutating func jobStatus(_ id: String) -> JobStatus {
        var taskStatus = ThriftMap<String, ScootAPI.Status>()
        for index in 0..<int(0...6) { taskStatus["task-\(index)"] = [.notStarted, .inProgress, .completed][int(0...2)] }
        let taskData: ThriftMap<String, RunStatus>? = chance(0.5)
            ? ThriftMap(["task-0": RunStatus(status: .running, runId: "run-\(int(0...9))", outUri: "file:///out", exitCode: nil)]) : nil
        return JobStatus(id: id, status: .inProgress, taskStatus: taskStatus, taskData: taskData)
    }

    /// Moves to the next poll: about a second later (sometimes a few), with some changes; a
    /// third of the polls change nothing but the time.
    mutating func step() -> ClusterSnapshot {
        timeMs += chance(0.05) ? Int64(int(2000...9000)) : Int64(int(950...1050))
        snapshot.observedAt = Self.date(timeMs)
        guard chance(0.67) else { return snapshot }
        if chance(0.3) { for _ in 0..<int(1...3) { snapshot.jobs.insert(newJob(), at: 0) } }
        if chance(0.2), !snapshot.jobs.isEmpty { snapshot.jobs.remove(at: int(0...(snapshot.jobs.count - 1))) }
        if chance(0.6), !snapshot.jobs.isEmpty {
            for _ in 0..<int(1...5) {
                let index = int(0...(snapshot.jobs.count - 1))
                snapshot.jobs[index].runningTasks = int32(0...20)
                if chance(0.3) { snapshot.jobs[index].status = .completed }
                if chance(0.3) { snapshot.jobs[index].endedAtMs = chance(0.5) ? timeMs : nil }
                if chance(0.1) { snapshot.jobs[index].unknownFields = chance(0.5) ? ["basis"] : nil }
            }
        }
        if chance(0.03) { snapshot.jobs.shuffle(using: &rng) }
        if chance(0.02), let first = snapshot.jobs.first { snapshot.jobs.append(first) }  // a repeated id
        if chance(0.05) { snapshot.jobs = Array(snapshot.jobs.reduce(into: [String: JobSummary]()) { $0[$1.id] = $1 }.values).sorted { $0.id > $1.id } }
        if chance(0.1) { snapshot.workers.append(newWorker()) }
        if chance(0.1), !snapshot.workers.isEmpty { snapshot.workers.remove(at: int(0...(snapshot.workers.count - 1))) }
        if chance(0.3), !snapshot.workers.isEmpty {
            let index = int(0...(snapshot.workers.count - 1))
            snapshot.workers[index].state = [.idle, .busy][int(0...1)]
            snapshot.workers[index].currentJobId = chance(0.5) ? snapshot.jobs.first?.id : nil
        }
        if chance(0.05) {
            snapshot.load = nil
        } else if snapshot.load == nil || chance(0.5) {
            let loads = classes.map { ClassLoad(name: $0, percent: int32(0...100), target: 25, running: int32(0...9), waiting: int32(0...9), loaned: 0, starting: 0, stopping: 0) }
            snapshot.load = ClusterLoad(
                classes: Array(loads.prefix(int(1...4))), spread: int32(0...50), rebalanceThreshold: 10, rebalanceMinimumDurationMin: 4,
                thresholdExceededSinceMs: chance(0.3) ? timeMs : nil, computedAtMs: timeMs, schedulerStatus: snapshot.schedulerStatus,
                workers: WorkerStateCounts(idle: int32(0...5), busy: int32(0...5), suspended: 0, offline: 0), jobsFingerprint: Int64(int(0...1_000_000)),
                danglingClasses: chance(0.1) ? ["gone"] : nil,
                recentRebalances: chance(0.2) ? [Rebalance(atMs: timeMs, spread: 30, threshold: 10, stopped: [StoppedTask(jobId: "job-1", taskId: "t", className: "land")])] : nil,
                journal: chance(0.1) ? JournalState(failure: "disk full", failingSinceMs: timeMs, waitingRecords: 5, recordsDropped: 0) : nil)
        } else {
            snapshot.load?.computedAtMs = timeMs
        }
        if chance(0.1) { snapshot.schedulerStatus = SchedulerStatus(currentTasks: int32(0...100), maxTasks: chance(0.5) ? 100 : -1) }
        if chance(0.05) {
            snapshot.settings.classLoadPercents[classes[int(0...3)]] = int32(0...100)
            if chance(0.5) { snapshot.settings.requestorToClassMap["user-\(int(0...5))"] = chance(0.5) ? classes[int(0...3)] : nil }
            snapshot.settings.rebalanceThreshold = int32(0...50)
        }
        if chance(0.1) {
            if snapshot.selectedJobStatus == nil, let job = snapshot.jobs.first {
                snapshot.selectedJobStatus = jobStatus(job.id)
                snapshot.selectedJobTasks = tasks(count: int(0...8))
            } else {
                snapshot.selectedJobStatus = nil
                snapshot.selectedJobTasks = []
            }
        } else if let selected = snapshot.selectedJobStatus, chance(0.5) {
            snapshot.selectedJobStatus = jobStatus(selected.id)
            if !snapshot.selectedJobTasks.isEmpty { snapshot.selectedJobTasks[int(0...(snapshot.selectedJobTasks.count - 1))].attempts += 1 }
        }
        if chance(0.08) {
            let id = "job-\(int(1...max(1, nextJob)))"
            snapshot.followedJobTasks[id] = chance(0.7) ? tasks(count: int(0...5)) : nil
        }
        if chance(0.2), let id = snapshot.followedJobTasks.keys.sorted().first, var list = snapshot.followedJobTasks[id], !list.isEmpty {
            list[0].status = .completed
            list.reverse()
            snapshot.followedJobTasks[id] = list
        }
        if chance(0.08) {
            let id = "job-\(int(1...max(1, nextJob)))"
            snapshot.followedJobStatuses[id] = chance(0.7) ? jobStatus(id) : nil
        }
        if chance(0.05) { snapshot.limitations = chance(0.5) ? [] : ["Workers: the server cannot list workers", "Load: not a CloudScoot"] }
        if chance(0.05) {
            snapshot.workerCounts = chance(0.3) ? nil
                : WorkerCounts(available: int(0...9), free: int(0...9), running: int(0...9), suspended: int(0...3), offline: chance(0.5) ? int(0...3) : nil)
        }
        if chance(0.05) { snapshot.unknownJobIDs = Set((0..<int(0...3)).map { _ in "lost-\(int(0...9))" }) }
        return snapshot
    }

    /// An audit entry of the kind the console writes, or nil (most polls have none).
    mutating func auditEntry() -> AuditEntry? {
        guard chance(0.12) else { return nil }
        let outcomes: [AuditEntry.Outcome] = [.ok, .error, .refused, .sent, .unknown]
        return AuditEntry(
            time: Self.date(timeMs), operatorName: "op-\(int(0...3))", endpoint: "127.0.0.1:9090", source: chance(0.5) ? "console" : "cli",
            action: ["kill-job", "set-rebalance-threshold", "offline-worker"][int(0...2)], arguments: ["job": "job-\(int(1...9))"],
            before: chance(0.5) ? "10" : nil, after: chance(0.5) ? "20" : nil, outcome: outcomes[int(0...4)], error: chance(0.2) ? "no such job" : nil)
    }
}
