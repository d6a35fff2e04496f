import Foundation
import HeapModule

/// A simulated cluster for demos and tests: workers that "run" a task for a duration read from
/// its command (`sleep 2.5` → 2.5 s) or drawn from a configured model, on the scheduler's clock,
/// then finish with a configured outcome. Runs end when the clock passes their finish time and
/// the scheduler collects events, so a `ManualClock` drives hours of cluster time in milliseconds.
public final class SimulatedWorkers: WorkerBackend, @unchecked Sendable {
    /// How long a run lasts when its command is not a plain sleep.
    public enum DurationModel: Sendable, Hashable {
        /// Always the same duration.
        case fixed(Duration)
        /// Uniformly random between the bounds (millisecond steps), from a seeded generator.
        case uniform(ClosedRange<Duration>, seed: UInt64)
    }

    /// How a run ends.
    public enum Outcome: Sendable, Hashable {
        /// COMPLETE with this exit code.
        case exit(Int32)
        /// FAILED with this error text.
        case failure(String)
    }

    /// The simulation's settings.
    public struct Configuration: Sendable {
        /// Workers present at start, named `idPrefix` + 0, 1, ….
        public var workerCount: Int
        /// Prefix of the initial workers' ids.
        public var idPrefix: String
        /// Duration of runs whose command is not a plain sleep.
        public var durationModel: DurationModel
        /// The outcome of every run not covered by `outcomeOverride`.
        public var outcome: Outcome
        /// Chooses the outcome of particular runs (e.g. fail a task's first attempt); nil → `outcome`.
        public var outcomeOverride: (@Sendable (RunRequest) -> Outcome?)?
        /// Whether workers kill a run at its timeout and report TIMEDOUT, as Scoot workers do.
        /// When false, runs ignore timeouts, which exercises the scheduler's own overhead deadline.
        public var honorsTimeouts: Bool

        /// Creates a configuration.
        public init(
            workerCount: Int, idPrefix: String = "sim-worker-", durationModel: DurationModel = .fixed(.seconds(1)),
            outcome: Outcome = .exit(0), outcomeOverride: (@Sendable (RunRequest) -> Outcome?)? = nil, honorsTimeouts: Bool = true
        ) {
            self.workerCount = workerCount
            self.idPrefix = idPrefix
            self.durationModel = durationModel
            self.outcome = outcome
            self.outcomeOverride = outcomeOverride
            self.honorsTimeouts = honorsTimeouts
        }
    }

    private struct ActiveRun {
        let request: RunRequest
        let status: RunStatus
        let finalStatus: RunStatus
    }

    private struct Finish: Comparable {
        let at: SchedulerInstant
        let attemptID: Int

        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.at, lhs.attemptID) < (rhs.at, rhs.attemptID) }
    }

    private let clock: any SchedulerClock
    private let configuration: Configuration
    // Mutable state below is guarded by `lock`.
    private let lock = NSLock()
    private var generator: SplitMix64
    private var pendingEvents: [WorkerEvent]
    private var activeRuns: [Int: ActiveRun] = [:]
    /// Finish times, earliest first; entries of aborted or failed runs are skipped.
    private var finishOrder = Heap<Finish>()
    private var runsPerWorker: [String: Int] = [:]

    /// Creates the workers; they announce themselves at the scheduler's first step.
    public init(clock: any SchedulerClock, configuration: Configuration) {
        self.clock = clock
        self.configuration = configuration
        if case .uniform(_, let seed) = configuration.durationModel {
            generator = SplitMix64(seed: seed)
        } else {
            generator = SplitMix64(seed: 0)
        }
        pendingEvents = (0..<configuration.workerCount).map { .joined(workerID: "\(configuration.idPrefix)\($0)") }
    }

    /// Adds a worker to the cluster (or brings a departed one back).
    public func addWorker(id: String) {
        lock.withLock { pendingEvents.append(.joined(workerID: id)) }
    }

    /// Removes a worker from the cluster; a run on it ends FAILED, as when Scoot loses a worker.
    public func removeWorker(id: String) {
        lock.withLock {
            pendingEvents.append(.left(workerID: id))
            for (attemptID, run) in activeRuns.sorted(by: { $0.key < $1.key }) where run.request.workerID == id {
                activeRuns[attemptID] = nil
                var status = run.status
                status.state = .failed
                status.error = "worker \(id) left the cluster"
                pendingEvents.append(.finished(attemptID: attemptID, status: status))
            }
        }
    }

    /// Runs that have started and not yet finished or been aborted.
    public var activeRunCount: Int { lock.withLock { activeRuns.count } }

    public func startRun(_ request: RunRequest) {
        let now = clock.now
        lock.withLock {
            let runNumber = runsPerWorker[request.workerID, default: 0]
            runsPerWorker[request.workerID] = runNumber + 1
            let runID = "\(runNumber)"
            let base = "sim://\(request.workerID)/runs/\(runID)"
            let running = RunStatus(
                state: .running, runID: runID, outURI: "\(base)/stdout", errURI: "\(base)/stderr", snapshotID: request.snapshotID)
            let duration = SimulatedCommand.sleepDuration(of: request.argv) ?? drawDuration()
            var final = running
            let finishesAt: SchedulerInstant
            if configuration.honorsTimeouts, request.timeout > .zero, duration > request.timeout {
                finishesAt = now + request.timeout
                final.state = .timedOut
                final.error = "command timed out after \(request.timeout)"
            } else {
                finishesAt = now + duration
                switch configuration.outcomeOverride?(request) ?? configuration.outcome {
                case .exit(let code):
                    final.state = .complete
                    final.exitCode = code
                case .failure(let message):
                    final.state = .failed
                    final.error = message
                }
            }
            activeRuns[request.attemptID] = ActiveRun(request: request, status: running, finalStatus: final)
            finishOrder.insert(Finish(at: finishesAt, attemptID: request.attemptID))
            pendingEvents.append(.progress(attemptID: request.attemptID, status: running))
        }
    }

    public func abortRun(attemptID: Int) {
        _ = lock.withLock { activeRuns.removeValue(forKey: attemptID) }
    }

    public func collectEvents() -> [WorkerEvent] {
        let now = clock.now
        return lock.withLock {
            var events = pendingEvents
            pendingEvents = []
            while let next = finishOrder.min, next.at <= now {
                finishOrder.removeMin()
                if let run = activeRuns.removeValue(forKey: next.attemptID) {
                    events.append(.finished(attemptID: next.attemptID, status: run.finalStatus))
                }
            }
            return events
        }
    }

    private func drawDuration() -> Duration {
        switch configuration.durationModel {
        case .fixed(let duration):
            return duration
        case .uniform(let range, _):
            let low = range.lowerBound.wholeMilliseconds, high = range.upperBound.wholeMilliseconds
            return .milliseconds(Int64.random(in: low...high, using: &generator))
        }
    }
}

extension Duration {
    /// The duration in whole milliseconds, truncated toward zero.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
