import Foundation
import Glibc
import ProcessWorkers
import SchedulerCore

/// Process workers on a temporary data directory (removed when the harness goes away), with a
/// way to await a run's end through the workers' event observer, without blocking a thread.
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
    private let eventSignals: AsyncStream<Void>

    init(workerCount: Int = 1, killGracePeriod: Duration = .seconds(5)) throws {
        dataDirectory = FileManager.default.temporaryDirectory.appending(path: "process-workers-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        workers = ProcessWorkers(
            configuration: .init(workerCount: workerCount, dataDirectory: dataDirectory, killGracePeriod: killGracePeriod))
        let (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        eventSignals = signals
        workers.setEventObserver { continuation.yield() }
    }

    deinit {
        try? FileManager.default.removeItem(at: dataDirectory)
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

    /// Collects events until attempt `attemptID` has finished; throws after `limit`.
    func outcome(of attemptID: Int = 1, within limit: Duration = .seconds(28)) async throws -> Outcome {
        let first = try await withThrowingTaskGroup(of: Outcome?.self) { group in
            group.addTask { await self.awaitFinish(of: attemptID) }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
        guard let first else { throw TimedOutWaiting() }
        return first
    }

    /// The run's outcome, or nil when cancelled (cancellation also ends the signal stream).
    private func awaitFinish(of attemptID: Int) async -> Outcome? {
        var progress: [RunStatus] = []
        var signals = eventSignals.makeAsyncIterator()
        while true {
            for event in workers.collectEvents() {
                switch event {
                case .progress(attemptID, let status): progress.append(status)
                case .finished(attemptID, let status): return Outcome(progress: progress, final: status)
                default: break
                }
            }
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
