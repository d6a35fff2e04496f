/// Worker membership, offline and reinstate (docs/scoot.md, "Worker membership and health" and
/// "Offlining and reinstating workers"), with Scoot's bookkeeping quirks fixed: a reinstated worker
/// gets work again, an offlined worker that leaves the cluster is forgotten everywhere, a run on an
/// offlined worker finishes normally.
extension Scheduler {
    /// Takes a healthy worker out of rotation; its current run, if any, finishes normally.
    public func offlineWorker(id: String, requestor: String) throws(SchedulerError) {
        guard configuration.admins.isEmpty || configuration.admins.contains(requestor) else {
            throw .failed("requestor \(requestor) unauthorized to offline worker")
        }
        guard workerRecords[id]?.membership == .healthy else {
            throw .notFound("node \(id) was not present in nodes. It can't be offlined")
        }
        workerRecords[id]!.membership = .offlined
    }

    /// Puts an offlined worker back into rotation.
    public func reinstateWorker(id: String, requestor: String) throws(SchedulerError) {
        guard configuration.admins.isEmpty || configuration.admins.contains(requestor) else {
            throw .failed("requestor \(requestor) unauthorized to reinstate worker")
        }
        guard workerRecords[id]?.membership == .offlined else {
            throw .notFound("node \(id) was not present in offlinedNodes. It can't be reinstated")
        }
        workerRecords[id]!.membership = .healthy
    }

    /// A new worker becomes healthy; a suspended one comes back with its state; a join of an
    /// offlined worker is ignored, as in Scoot.
    func workerJoined(_ id: String) {
        guard let worker = workerRecords[id] else {
            workerRecords[id] = WorkerRecord(id: id)
            workerOrder.append(id)
            return
        }
        if case .suspended = worker.membership { workerRecords[id]!.membership = .healthy }
    }

    /// A healthy worker that leaves is suspended for the grace period; an offlined one is
    /// forgotten at once (Scoot drops it from the offlined set only and later crashes on it).
    func workerLeft(_ id: String, now: SchedulerInstant) {
        switch workerRecords[id]?.membership {
        case .healthy: workerRecords[id]!.membership = .suspended(since: now)
        case .offlined: forgetWorker(id)
        case .suspended, nil: break
        }
    }

    /// Forgets workers suspended for longer than the lost-worker grace period.
    func forgetLostWorkers(now: SchedulerInstant) {
        for id in workerOrder {
            if case .suspended(let since) = workerRecords[id]?.membership, now - since >= configuration.lostWorkerGrace {
                forgetWorker(id)
            }
        }
    }

    private func forgetWorker(_ id: String) {
        workerRecords[id] = nil
        workerOrder.removeAll { $0 == id }
    }
}
