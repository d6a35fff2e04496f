import NIOCore
import Synchronization
import Thrift

/// Starts the console's polls on the event loop of its connection, at the times the console
/// asks for, without waking that loop in the usual case. After each answer the loop arms its own
/// timer one refresh later; the console's request for the next poll, made when it reads that
/// answer, then finds the timer already armed and only leaves the request where the timer will
/// look. Waking the loop from the console thread (to arm a timer or to cancel one) is needed only
/// when a poll is wanted sooner than the armed timer: a key asking for data now, another pane.
///
/// At most one request waits (a newer one replaces it) and at most one poll runs; timers left
/// armed for a replaced request find nothing to do when they fire.
final class PollStarter: Sendable {
    /// A poll to run: what to fetch and when to start.
    struct Request: Sendable, Equatable {
        let id: Int
        let job: String?
        let workers: Bool
        let startsAt: NIODeadline
        /// The refresh interval: where the loop arms its timer after the answer.
        let every: TimeAmount
    }

    private struct Shared {
        var waiting: Request?
        /// The earliest armed timer, if any.
        var timerAt: NIODeadline?
        var running = false
        var loopWakes = 0
    }

    /// How early a poll may start: the console asks for its next poll a moment after the loop
    /// armed its timer, so the timer fires a fraction of a millisecond before the asked time.
    static let earlyStartAllowed: TimeAmount = .milliseconds(10)

    private let shared = Mutex(Shared())
    private let executor: EventLoopTaskExecutor
    private let poll: @Sendable (Request) async -> Void

    /// A starter running `poll` (which fetches and posts the answer) on `executor`'s loop.
    init(executor: EventLoopTaskExecutor, poll: @escaping @Sendable (Request) async -> Void) {
        self.executor = executor
        self.poll = poll
    }

    /// How many requests had to wake the loop; the on-time path has none.
    var loopWakes: Int { shared.withLock { $0.loopWakes } }

    /// When the earliest armed timer fires, if one is armed; nil while a poll runs and its
    /// answer has not been followed by the next timer.
    var armedTimer: NIODeadline? { shared.withLock { $0.timerAt } }

    /// Hands over `request`, replacing one that has not started. From any thread.
    func submit(_ request: Request) {
        let wakeLoop = shared.withLock { shared -> Bool in
            shared.waiting = request
            // A running poll looks for the request when it ends; an armed timer due before the
            // start looks for it when it fires.
            if shared.running { return false }
            guard let timerAt = shared.timerAt else { shared.loopWakes += 1; return true }
            let wake = request.startsAt + Self.earlyStartAllowed < timerAt
            if wake { shared.loopWakes += 1 }
            return wake
        }
        if wakeLoop { executor.eventLoop.execute { self.startOrArm() } }
    }

    /// Drops the request that has not started (refresh paused). A timer armed for it fires once
    /// and finds nothing.
    func cancel() {
        shared.withLock { $0.waiting = nil }
    }

    /// On the loop: starts the waiting request if it is due, or arms a timer for it.
    private func startOrArm() {
        let now = NIODeadline.now()
        enum Next { case nothing, start(Request), arm(NIODeadline) }
        let next = shared.withLock { shared -> Next in
            guard !shared.running, let request = shared.waiting else { return .nothing }
            if request.startsAt <= now + Self.earlyStartAllowed {
                shared.waiting = nil
                shared.running = true
                return .start(request)
            }
            if let timerAt = shared.timerAt, timerAt <= request.startsAt { return .nothing }
            shared.timerAt = request.startsAt
            return .arm(request.startsAt)
        }
        switch next {
        case .nothing: return
        case .arm(let deadline): arm(at: deadline)
        case .start(let request): start(request)
        }
    }

    private func arm(at deadline: NIODeadline) {
        executor.eventLoop.scheduleTask(deadline: deadline) {
            self.shared.withLock { shared in
                if shared.timerAt == deadline { shared.timerAt = nil }
            }
            self.startOrArm()
        }
    }

    private func start(_ request: Request) {
        let poll = self.poll
        Task.detached(executorPreference: executor) {
            await poll(request)
            self.finished(request)
        }
    }

    /// On the loop, once the answer is posted: the next request is taken at once if it came
    /// already, otherwise a timer waits for it one refresh from now.
    private func finished(_ request: Request) {
        let predicted = NIODeadline.now() + request.every
        let armPredicted = shared.withLock { shared -> Bool in
            shared.running = false
            guard shared.waiting == nil, shared.timerAt.map({ $0 > predicted }) ?? true else { return false }
            shared.timerAt = predicted
            return true
        }
        if armPredicted { arm(at: predicted) } else { startOrArm() }
    }
}
