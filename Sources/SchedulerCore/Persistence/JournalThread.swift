import Foundation

/// A thread of its own for the journal writes that acknowledge something to a client (an
/// admitted job, a kill): they commit and fsync, which takes from milliseconds to over a hundred
/// for a large job, and must hold up neither the scheduler's actor (every other client waits for
/// it) nor a thread of the cooperative pool. Writes run one at a time, in order; the thread ends
/// when its owner goes.
///
/// Bounded: at most `capacity` writes wait; one more fails at once (the client is told, and
/// nothing is admitted), which only a flood of RunJobs on a stalled disk can reach.
final class JournalThread: Sendable {
    /// The most writes waiting at once.
    static let capacity = 1_024

    /// Why a write was not queued.
    struct Full: Error, CustomStringConvertible {
        var description: String { "\(JournalThread.capacity) journal writes are already waiting" }
    }

    /// The writes waiting, shared with the thread (which must not keep the owner alive).
    private final class Queue: @unchecked Sendable {
        let condition = NSCondition()
        // Guarded by `condition`.
        var waiting: [@Sendable () -> Void] = []
        var stopped = false

        func loop() {
            while true {
                condition.lock()
                while waiting.isEmpty, !stopped { condition.wait() }
                if waiting.isEmpty {
                    condition.unlock()
                    return
                }
                let work = waiting.removeFirst()
                condition.unlock()
                work()
            }
        }
    }

    private let queue = Queue()

    init() {
        let queue = self.queue
        let thread = Thread { queue.loop() }
        thread.name = "scheduler-journal"
        thread.start()
    }

    deinit {
        queue.condition.lock()
        queue.stopped = true
        queue.condition.signal()
        queue.condition.unlock()
    }

    /// Runs `write` on the thread and returns its result.
    func run<T: Sendable>(_ write: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let work: @Sendable () -> Void = {
                do { continuation.resume(returning: try write()) } catch { continuation.resume(throwing: error) }
            }
            queue.condition.lock()
            let accepted = queue.waiting.count < Self.capacity
            if accepted {
                queue.waiting.append(work)
                queue.condition.signal()
            }
            queue.condition.unlock()
            if !accepted { continuation.resume(throwing: Full()) }
        }
    }
}
