import Foundation

/// A clock that only moves when told to. Sleepers wake as soon as `advance` moves time to or past
/// their deadline, so tests can run hours of cluster time in milliseconds.
public final class ManualClock: SchedulerClock, @unchecked Sendable {
    // All state is guarded by `lock`.
    private let lock = NSLock()
    private var current: SchedulerInstant
    private var sleepers: [Int: (deadline: SchedulerInstant, continuation: CheckedContinuation<Void, any Error>)] = [:]
    private var nextSleeperID = 0

    /// Creates a clock that starts at `start`.
    public init(start: SchedulerInstant = .zero) {
        current = start
    }

    public var now: SchedulerInstant { lock.withLock { current } }

    /// How many tasks are currently sleeping on this clock.
    public var sleeperCount: Int { lock.withLock { sleepers.count } }

    /// Moves time forward by `duration` and wakes the sleepers whose deadline has passed.
    public func advance(by duration: Duration) {
        advance(to: now + duration)
    }

    /// Moves time forward to `instant` (never backwards) and wakes the sleepers whose deadline has
    /// passed.
    public func advance(to instant: SchedulerInstant) {
        let woken = lock.withLock {
            current = max(current, instant)
            let due = sleepers.filter { $0.value.deadline <= current }
            for id in due.keys { sleepers[id] = nil }
            return due.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    public func sleep(until deadline: SchedulerInstant) async throws {
        let id = lock.withLock {
            nextSleeperID += 1
            return nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: (any Error)?? = lock.withLock {
                    if Task.isCancelled { return .some(CancellationError()) }
                    if deadline <= current { return .some(nil) }
                    sleepers[id] = (deadline, continuation)
                    return .none
                }
                switch resumeNow {
                case .some(.some(let error)): continuation.resume(throwing: error)
                case .some(.none): continuation.resume()
                case .none: break
                }
            }
        } onCancel: {
            let sleeper = lock.withLock { sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }
}
