import DequeModule
import Foundation
import Synchronization

/// How the journal is doing, as `serve` logs it and reports it (GetClusterLoad,
/// `/admin/metrics.json`).
public struct JournalHealth: Sendable, Hashable {
    /// Why the last commit failed, while the journal cannot be written; nil when it can.
    public var failure: String?
    /// When the journal started failing, while it fails.
    public var failingSince: Date?
    /// Records waiting for a commit.
    public var waitingRecords: Int
    /// Transactions committed since the start.
    public var commits: Int
    /// Records written since the start.
    public var recordsWritten: Int
    /// Task and job records dropped because `JournalWriter.capacity` records were already
    /// waiting (only a journal that fails for long gets there); their tasks run again after a
    /// restart.
    public var recordsDropped: Int

    /// Creates a report.
    public init(
        failure: String? = nil, failingSince: Date? = nil, waitingRecords: Int = 0, commits: Int = 0, recordsWritten: Int = 0,
        recordsDropped: Int = 0
    ) {
        self.failure = failure
        self.failingSince = failingSince
        self.waitingRecords = waitingRecords
        self.commits = commits
        self.recordsWritten = recordsWritten
        self.recordsDropped = recordsDropped
    }
}

/// The scheduler's journal writer: one thread that owns the journal and commits in groups. Every
/// record that arrives while a commit is in flight goes into the next transaction, so a busy
/// scheduler pays one commit (one fsync) for many records, and neither the scheduler's actor nor
/// a thread of Swift's cooperative pool ever waits for the disk.
///
/// Two kinds of writes: `commit` for what a client is told about (an admitted job, a kill, a
/// setting), which returns once its record is durable; `append` for what happens during a step
/// (task starts, progress and ends, job ends, purges), which rides in the next group commit.
///
/// When a commit fails, the clients waiting on it, and every client write queued behind it, are
/// told and their records dropped; the step records are kept and tried again every
/// `retryInterval` (at once when a client write arrives),
/// and `health` says the journal is failing until a commit succeeds.
///
/// Bounded: at most `capacity` records wait. Beyond it a client write fails at once and a step
/// record is dropped and counted (`JournalHealth.recordsDropped`); a transaction holds at most
/// `largestGroup` records.
final class JournalWriter: Sendable {
    /// The most records waiting at once.
    static let capacity = 262_144
    /// The most records in one transaction.
    static let largestGroup = 16_384
    /// How long a failing journal waits before it tries its step records again.
    static let retryInterval: TimeInterval = 1

    /// Why a client write was not queued.
    struct Full: Error, CustomStringConvertible {
        var description: String { "\(JournalWriter.capacity) journal records are already waiting" }
    }

    /// Why a write ended unwritten: the writer stopped while the journal was failing.
    struct Stopped: Error, CustomStringConvertible {
        var description: String { "the journal writer stopped" }
    }

    /// A record waiting, with the client waiting on it if any; a flush is a completion alone.
    private struct Entry {
        let record: JournalRecord?
        let completion: (@Sendable (Result<Void, any Error>) -> Void)?
    }

    /// The queue and the figures, shared with the thread (which must not keep the owner alive).
    private final class Shared: @unchecked Sendable {
        let journal: any JobJournal
        let onHealthChange: @Sendable (JournalHealth) -> Void
        let condition = NSCondition()
        // Guarded by `condition`.
        var waiting = Deque<Entry>()
        var recordsWaiting = 0
        var clientWritesWaiting = 0
        var stopped = false
        var health = JournalHealth()
        var retryAt = Date.distantPast

        init(journal: any JobJournal, onHealthChange: @escaping @Sendable (JournalHealth) -> Void) {
            self.journal = journal
            self.onHealthChange = onHealthChange
        }

        /// The figures now, with the records waiting; the caller holds the lock.
        var currentHealth: JournalHealth {
            var report = health
            report.waitingRecords = recordsWaiting
            return report
        }

        func loop() {
            while let group = nextGroup() {
                let records = group.compactMap(\.record)
                let result: Result<Void, any Error> = records.isEmpty ? .success(()) : Result { try journal.commit(records) }
                finish(group, records: records.count, result: result)
            }
            // Stopped while failing: whoever still waits is told.
            let left = condition.withLock {
                defer { waiting.removeAll() }
                return Array(waiting)
            }
            for entry in left { entry.completion?(.failure(Stopped())) }
        }

        /// Waits for records (and, while failing, for the retry time or a client write); nil once
        /// stopped with nothing left that can be written.
        private func nextGroup() -> [Entry]? {
            condition.lock()
            defer { condition.unlock() }
            while true {
                if waiting.isEmpty {
                    if stopped { return nil }
                    condition.wait()
                    continue
                }
                if health.failure != nil, clientWritesWaiting == 0 {
                    if stopped { return nil }
                    if Date() < retryAt {
                        _ = condition.wait(until: retryAt)
                        continue
                    }
                }
                var group: [Entry] = []
                var records = 0
                while let entry = waiting.first, records < JournalWriter.largestGroup {
                    waiting.removeFirst()
                    group.append(entry)
                    if entry.record != nil { records += 1 }
                }
                recordsWaiting -= records
                clientWritesWaiting -= group.count { $0.record != nil && $0.completion != nil }
                return group
            }
        }

        private func finish(_ group: [Entry], records: Int, result: Result<Void, any Error>) {
            var told: [Entry] = []
            condition.lock()
            let wasFailing = health.failure != nil
            switch result {
            case .success:
                health.commits += records > 0 ? 1 : 0
                health.recordsWritten += records
                health.failure = nil
                health.failingSince = nil
            case .failure(let error):
                health.failure = "\(error)"
                health.failingSince = health.failingSince ?? Date()
                retryAt = Date().addingTimeInterval(JournalWriter.retryInterval)
                // The step records go back in front, in order; the clients are told below, and
                // so are those still waiting behind them: their records would follow ones that
                // cannot be written (and with a group's worth in front, the writer would retry
                // without a pause for a client it never reaches).
                let kept = group.filter { $0.record != nil && $0.completion == nil }
                if clientWritesWaiting > 0 {
                    let (stepRecords, clientWrites) = waiting.reduce(into: ([Entry](), [Entry]())) { split, entry in
                        if entry.record != nil, entry.completion != nil { split.1.append(entry) } else { split.0.append(entry) }
                    }
                    waiting = Deque(stepRecords)
                    recordsWaiting -= clientWrites.count
                    clientWritesWaiting -= clientWrites.count
                    told = clientWrites
                }
                waiting.prepend(contentsOf: kept)
                recordsWaiting += kept.count
            }
            let report = currentHealth
            condition.unlock()
            for entry in group { entry.completion?(result) }
            for entry in told { entry.completion?(result) }
            if wasFailing != (report.failure != nil) { onHealthChange(report) }
        }
    }

    private let shared: Shared

    /// Starts the thread that writes to `journal`; `onHealthChange` is called on it whenever the
    /// journal starts or stops failing.
    init(journal: any JobJournal, onHealthChange: @escaping @Sendable (JournalHealth) -> Void = { _ in }) {
        let shared = Shared(journal: journal, onHealthChange: onHealthChange)
        self.shared = shared
        let thread = Thread { shared.loop() }
        thread.name = "scheduler-journal"
        thread.start()
    }

    deinit {
        shared.condition.lock()
        shared.stopped = true
        shared.condition.signal()
        shared.condition.unlock()
    }

    /// How the journal is doing now.
    var health: JournalHealth { shared.condition.withLock { shared.currentHealth } }

    /// Queues a step record for the next group commit; dropped and counted when full.
    func append(_ record: JournalRecord) {
        shared.condition.lock()
        if shared.recordsWaiting < Self.capacity {
            enqueue(Entry(record: record, completion: nil))
        } else {
            shared.health.recordsDropped += 1
        }
        shared.condition.unlock()
    }

    /// Writes `record` in the next group commit and returns once it is durable.
    func commit(_ record: JournalRecord) async throws {
        try await queue(record).durable()
    }

    /// Queues `record` for the next group commit at once, in the caller's order, to be waited
    /// for later: a caller on the actor fixes the order of its writes without waiting there.
    func queue(_ record: JournalRecord) -> PendingWrite {
        let pending = PendingWrite()
        shared.condition.lock()
        let accepted = shared.recordsWaiting < Self.capacity
        if accepted {
            enqueue(Entry(record: record, completion: { pending.complete($0) }))
            shared.clientWritesWaiting += 1
        }
        shared.condition.unlock()
        if !accepted { pending.complete(.failure(Full())) }
        return pending
    }

    /// A client write queued and not yet known durable.
    final class PendingWrite: Sendable {
        private struct State {
            var result: Result<Void, any Error>?
            var waiter: CheckedContinuation<Void, any Error>?
        }

        private let state = Mutex(State())

        /// Returns once the record is durable; throws why it is not.
        func durable() async throws {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let known = state.withLock { state in
                    if state.result == nil { state.waiter = continuation }
                    return state.result
                }
                if let known { continuation.resume(with: known) }
            }
        }

        fileprivate func complete(_ result: Result<Void, any Error>) {
            let waiter = state.withLock { state in
                state.result = result
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(with: result)
        }
    }

    /// Returns once every record queued before it was committed; false when the journal is
    /// failing (those records are still waiting).
    func flush() async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            shared.condition.lock()
            enqueue(Entry(record: nil, completion: { result in continuation.resume(returning: (try? result.get()) != nil) }))
            shared.condition.unlock()
        }
    }

    /// Adds an entry; the caller holds the lock.
    private func enqueue(_ entry: Entry) {
        shared.waiting.append(entry)
        if entry.record != nil { shared.recordsWaiting += 1 }
        shared.condition.signal()
    }
}
