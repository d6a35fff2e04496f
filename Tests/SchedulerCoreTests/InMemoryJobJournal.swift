import Foundation
@testable import SchedulerCore

/// A journal that keeps its records in memory and can be told to fail: the scheduler-level
/// persistence tests' stand-in for the SQLite store.
final class InMemoryJobJournal: JobJournal, @unchecked Sendable {
    /// One write, as the scheduler made it.
    enum Record: Hashable {
        case jobAccepted(String)
        case taskStarted(TaskAttemptStart)
        case taskProgressed(jobID: String, taskID: String, RunStatus)
        case taskEnded(jobID: String, taskID: String, RunStatus)
        case jobEnded(String, killed: Bool)
        case settingsChanged(SchedulerSettings)
        case purge(endedBefore: Date)
    }

    struct InjectedFailure: Error, CustomStringConvertible {
        var description: String { "disk full (injected)" }
    }

    // All state is guarded by `lock`.
    private let lock = NSLock()
    private var recorded: [Record] = []
    private var failing = false
    private var committed = 0
    private var begun = 0
    private var held = false
    private let gate = DispatchSemaphore(value: 0)
    private let contents: JournalContents

    /// A journal whose `load()` returns `contents`.
    init(contents: JournalContents = JournalContents()) {
        self.contents = contents
    }

    /// Every write so far, in order.
    var records: [Record] { lock.withLock { recorded } }

    /// Makes every later commit throw (or succeed again).
    func setFailing(_ fails: Bool) { lock.withLock { failing = fails } }

    /// How many commits succeeded.
    var commits: Int { lock.withLock { committed } }

    func load() throws -> JournalContents { contents }

    /// Makes the next commits wait until `release()` (each on the writer's own thread).
    func hold() { lock.withLock { held = true } }

    /// Lets held commits go on.
    func release() {
        lock.withLock { held = false }
        gate.signal()
    }

    /// How many commits began, held ones included.
    var commitsBegun: Int { lock.withLock { begun } }

    func commit(_ records: [JournalRecord]) throws {
        let wait = lock.withLock {
            begun += 1
            return held
        }
        if wait {
            gate.wait()
            gate.signal()  // every held commit goes on
        }
        try lock.withLock {
            if failing { throw InjectedFailure() }
            committed += 1
            recorded += records.map { record in
                switch record {
                case .jobAccepted(let job): .jobAccepted(job.id)
                case .taskStarted(let start): .taskStarted(start)
                case .taskProgressed(let jobID, let taskID, let status): .taskProgressed(jobID: jobID, taskID: taskID, status)
                case .taskEnded(let jobID, let taskID, let status, _): .taskEnded(jobID: jobID, taskID: taskID, status)
                case .jobEnded(let jobID, let killed, _): .jobEnded(jobID, killed: killed)
                case .settingsChanged(let settings): .settingsChanged(settings)
                case .purgeJobs(let cutoff): .purge(endedBefore: cutoff)
                }
            }
        }
    }
}
