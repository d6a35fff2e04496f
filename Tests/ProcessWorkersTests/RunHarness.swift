import Foundation
import Glibc
import SchedulerCore
import Synchronization
import TestSupport

@testable import ProcessWorkers

/// Process workers on a temporary data directory (removed when the harness goes away), with a
/// way to await a run's events through the workers' event observer, without blocking a thread.
final class RunHarness: Sendable {
    /// Everything reported about one run.
    struct Outcome: Sendable {
        /// The `.progress` statuses, in order.
        var progress: [RunStatus] = []
        /// The `.finished` status.
        var final: RunStatus
        /// The run's pid (its `runID`).
        var pid: pid_t? { pid_t(final.runID) }
    }

    struct TimedOutWaiting: Error {}

    let dataDirectory: URL
    let workers: ProcessWorkers
    /// What the workers logged.
    let log: LogRecorder
    /// The run events collected so far, in order.
    private let events = Mutex<[WorkerEvent]>([])
    /// How many outcomes of each attempt number `outcome` has returned.
    private let returnedOutcomes = Mutex<[Int: Int]>([:])
    private let eventSignals: AsyncStream<Void>

    init(
        workerCount: Int = 1, killGracePeriod: Duration = .seconds(5),
        maxOutputBytes: Int64 = ProcessWorkers.Configuration.defaultMaxOutputBytes,
        containment preference: ProcessContainment.Preference = .automatic
    ) async throws {
        dataDirectory = FileManager.default.temporaryDirectory.appending(path: "process-workers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        log = LogRecorder()
        workers = ProcessWorkers(
            configuration: .init(
                workerCount: workerCount, dataDirectory: dataDirectory, killGracePeriod: killGracePeriod, maxOutputBytes: maxOutputBytes),
            containment: await ProcessContainment.detect(preference), logger: log.logger)
        let (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        eventSignals = signals
        workers.setEventObserver { continuation.yield() }
    }

    deinit {
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    /// The path of a run's directory: `<data>/runs/<hash of job>/<hash of task>/<attempt>`.
    func runDirectory(jobID: String = "job", taskID: String = "task", attempt: String) -> String {
        [dataDirectory.path, "runs", IDDirectory.name(for: jobID), IDDirectory.name(for: taskID), attempt].joined(separator: "/")
    }

    /// Starts `argv` as attempt `attemptID` on `local-0`.
    func start(
        _ argv: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60), attemptID: Int = 1,
        jobID: String = "job", taskID: String = "task"
    ) {
        workers.startRun(
            RunRequest(
                attemptID: attemptID, workerID: "local-0", task: TaskReference(jobID: jobID, taskID: taskID), argv: argv,
                environment: environment, snapshotID: "snap-1", timeout: timeout, tag: "tag"))
    }

    /// Waits until attempt `attemptID` has finished, once more than before (attempt numbers can
    /// repeat), and returns that run's events; throws after `limit`.
    func outcome(of attemptID: Int = 1, within limit: Duration = .seconds(28)) async throws -> Outcome {
        let occurrence = returnedOutcomes.withLock { counts in
            defer { counts[attemptID, default: 0] += 1 }
            return counts[attemptID, default: 0]
        }
        let events = try await awaitEvents(within: limit) { events in
            events.count { if case .finished(attemptID, _) = $0 { true } else { false } } > occurrence
        }
        var finishedSoFar = 0
        var progress: [RunStatus] = []
        for event in events {
            switch event {
            case .progress(attemptID, let status) where finishedSoFar == occurrence: progress.append(status)
            case .finished(attemptID, let status):
                if finishedSoFar == occurrence { return Outcome(progress: progress, final: status) }
                finishedSoFar += 1
            default: break
            }
        }
        throw TimedOutWaiting()
    }

    /// Waits until attempt `attemptID` reports RUNNING and returns its pid; throws after `limit`.
    func running(_ attemptID: Int = 1, within limit: Duration = .seconds(28)) async throws -> pid_t {
        let events = try await awaitEvents(within: limit) { events in
            events.contains { if case .progress(attemptID, _) = $0 { true } else { false } }
        }
        for case .progress(attemptID, let status) in events { return pid_t(status.runID)! }
        throw TimedOutWaiting()
    }

    /// Collects run events until `isComplete` holds for all of them; throws after `limit`.
    private func awaitEvents(within limit: Duration, until isComplete: @escaping @Sendable ([WorkerEvent]) -> Bool) async throws
        -> [WorkerEvent]
    {
        let result = try await withThrowingTaskGroup(of: [WorkerEvent]?.self) { group in
            group.addTask { await self.collect(until: isComplete) }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
        guard let result else { throw TimedOutWaiting() }
        return result
    }

    /// The events once `isComplete` holds, or nil when cancelled (which also ends the signals).
    private func collect(until isComplete: ([WorkerEvent]) -> Bool) async -> [WorkerEvent]? {
        var signals = eventSignals.makeAsyncIterator()
        while true {
            let collected = workers.collectEvents().filter {
                if case .joined = $0 { false } else { true }
            }
            let all = events.withLock { events in
                events += collected
                return events
            }
            if isComplete(all) { return all }
            guard await signals.next() != nil else { return nil }
        }
    }
}

/// The contents of the file a `file://` URI names.
func contents(ofFileAt uri: String) throws -> String {
    try String(contentsOf: URL(string: uri)!, encoding: .utf8)
}

/// Whether no live (non-zombie) process is left in process group `group`, read from /proc so
/// that orphans which this container's init never reaps do not count.
func processGroupIsGone(_ group: pid_t) throws -> Bool {
    let entries = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { $0.allSatisfy(\.isNumber) }
    return !entries.contains { entry in
        guard let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
            let afterName = stat.range(of: ") ", options: .backwards)
        else { return false }
        // Fields after the command name: state, ppid, pgrp, …
        let fields = stat[afterName.upperBound...].split(separator: " ")
        return fields.count > 2 && fields[0] != "Z" && fields[2] == "\(group)"
    }
}

/// Waits up to two seconds for process group `group` to disappear (signals are asynchronous).
func waitForProcessGroupToDisappear(_ group: pid_t) async throws -> Bool {
    for _ in 0..<100 {
        if try processGroupIsGone(group) { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return false
}
