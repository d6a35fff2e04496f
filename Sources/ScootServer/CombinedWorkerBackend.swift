import SchedulerCore
import Synchronization

/// Several worker backends as one (process workers and simulated workers side by side): runs go
/// to the backend that owns the worker, events from all are merged.
public final class CombinedWorkerBackend: WorkerBackend {
    private let backends: [any WorkerBackend]
    /// Which backend each worker id and each running attempt belongs to.
    private let owners = Mutex<(workers: [String: Int], attempts: [Int: Int])>(([:], [:]))

    /// Combines `backends`; worker ids must be unique across them.
    public init(_ backends: [any WorkerBackend]) {
        self.backends = backends
    }

    public func startRun(_ request: RunRequest) {
        guard let index = owners.withLock({ owners -> Int? in
            guard let index = owners.workers[request.workerID] else { return nil }
            owners.attempts[request.attemptID] = index
            return index
        }) else { return }
        backends[index].startRun(request)
    }

    public func abortRun(attemptID: Int) {
        guard let index = owners.withLock({ $0.attempts.removeValue(forKey: attemptID) }) else { return }
        backends[index].abortRun(attemptID: attemptID)
    }

    public func collectEvents() -> [WorkerEvent] {
        var events: [WorkerEvent] = []
        for (index, backend) in backends.enumerated() {
            let collected = backend.collectEvents()
            owners.withLock { owners in
                for event in collected {
                    switch event {
                    case .joined(let worker): owners.workers[worker] = index
                    case .left(let worker): owners.workers[worker] = nil
                    case .finished(let attempt, _): owners.attempts[attempt] = nil
                    case .progress: break
                    }
                }
            }
            events += collected
        }
        return events
    }
}
