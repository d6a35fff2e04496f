import ClusterObservation
import Foundation
import ScootAPI
import Thrift

/// What the panes get from a plain Scoot scheduler: jobs found running on the Scoot workers or
/// tracked by id, read by GetStatus within a budget; the workers' own answers; class rows (and,
/// without workers to poll, worker counts) from `/admin/metrics.json`; and why each pane is limited.
struct FallbackPanes {
    var jobs: [JobSummary] = []
    var workers: [WorkerInfo] = []
    var unknownJobIDs: Set<String> = []
    var workerCounts: WorkerCounts?
    var load: ClusterLoad?
    var limitations: [String] = []
}

/// The last `/admin/metrics.json` fetch: when it started and what it brought.
struct MetricsFetch {
    var at: ContinuousClock.Instant
    var result: Result<SchedulerMetrics, BoundedHTTPClient.Failure>
}

extension ThriftDataSource {
    /// Metrics are fetched at most this often (Scoot latches them every 60 s anyway).
    static let metricsEvery: Duration = .seconds(5)
    /// The metrics page on the scheduler's HTTP port.
    static let metricsPath = "/admin/metrics.json"

    /// Adds job ids to follow on a server without the extension; returns what the UI should say.
    @discardableResult
    public func track(jobs ids: [String]) -> String {
        let new = ids.filter { !knownJobs.contains($0) }
        knownJobs += new
        for id in new { observed.insert(ObservedJob(id: id, origin: .discovered, submittedAtMs: Self.epochMilliseconds())) }
        guard !extensionSupported else { return "this server lists every job (ListJobs): tracking is not needed, the Jobs pane shows them all" }
        return new.isEmpty ? "already tracking \(ids.joined(separator: ", "))" : "tracking \(new.joined(separator: ", ")) (\(knownJobs.count) tracked)"
    }

    /// Stops following job ids; returns what the UI should say.
    @discardableResult
    public func untrack(jobs ids: [String]) -> String {
        let removed = ids.filter { knownJobs.contains($0) }
        knownJobs.removeAll { removed.contains($0) }
        for id in removed { observed.remove(id) }
        let notTracked = ids.filter { !removed.contains($0) }
        var parts: [String] = []
        if !removed.isEmpty { parts.append("stopped tracking \(removed.joined(separator: ", "))") }
        if !notTracked.isEmpty { parts.append("not tracked: \(notTracked.joined(separator: ", "))") }
        return parts.joined(separator: "; ")
    }

    /// The tracked jobs (in the order they were added or found on workers).
    public var trackedJobs: [String] { knownJobs }

    /// The panes against a plain Scoot scheduler.
    func fallbackPanes(settings: ClusterSnapshot.Settings, selectedJob: String?) async throws -> FallbackPanes {
        var panes = FallbackPanes()
        let now = Self.epochMilliseconds()
        var observations: [WorkerObservation] = []
        if let workerPoller {
            observations = await workerPoller.poll()
            knownJobs += observed.observed(workers: observations, atMs: now).map(\.id)
            panes.workers = observations.map { $0.workerInfo(offline: offlinedWorkers.contains($0.id)) }
            panes.workerCounts = WorkerCounts(workers: panes.workers)
        }
        for id in observed.statusReadsDue(nowMs: now) where id != selectedJob {
            let status: JobStatus
            do {
                status = try await client.getStatus(jobId: id)
            } catch is InvalidRequest, is ScootServerError {
                // One bad id must not stop the whole poll: it is shown, flagged.
                status = JobStatus(id: id, status: .notStarted)
            }
            // Scoot answers GetStatus of an unknown id with NOT_STARTED and no tasks.
            if status.status == .notStarted, (status.taskStatus ?? [:]).isEmpty, !observed.runningJobIDs.contains(id) {
                unknownJobIDs.insert(id)
            } else {
                unknownJobIDs.remove(id)
            }
            _ = observed.observed(status, atMs: now)
        }
        knownJobs.removeAll { observed.jobs[$0] == nil }
        panes.jobs = knownJobs.compactMap { observed.jobs[$0] }.map { observed.summary($0, className: "") }
        panes.unknownJobIDs = unknownJobIDs
        let unknown = unknownJobIDs.isEmpty ? "" : ", \(unknownJobIDs.count) unknown to the scheduler"
        if workerPoller == nil {
            panes.limitations.append(
                "Jobs: a plain Scoot scheduler cannot list jobs; showing the \(knownJobs.count) job(s) this console tracks\(unknown) (:track ID, --track-file; --scoot-workers finds running jobs)")
        } else {
            let unreachable = observations.filter { !$0.reachable }.count
            panes.limitations.append(
                "Jobs: a plain Scoot scheduler cannot list jobs; showing the \(knownJobs.count) job(s) found on \(observations.count) Scoot worker(s)\(unreachable > 0 ? " (\(unreachable) unreachable)" : "") or tracked\(unknown); requestor, class and basis need the gateway (docs/production.md)")
        }
        let polled = workerPoller != nil
        guard let metricsAddress else {
            if !polled { panes.limitations.append("Workers: a plain Scoot scheduler cannot list workers; pass --scoot-workers (or --metrics-addr for counts)") }
            panes.limitations.append("Classes: not available from a plain Scoot scheduler without \(Self.metricsPath); pass --metrics-addr, or use the gateway for live loads")
            return panes
        }
        let place = "\(Self.metricsPath) at \(metricsAddress)"
        switch await metrics(from: metricsAddress).result {
        case .success(let metrics):
            if !polled {
                panes.workerCounts = metrics.workerCounts
                panes.limitations.append(
                    panes.workerCounts == nil
                        ? "Workers: a plain Scoot scheduler cannot list workers, and \(place) has no worker counts yet (Scoot publishes them after its first minute); pass --scoot-workers"
                        : "Workers: counts only, from \(place), up to a minute old; pass --scoot-workers to list them")
            }
            panes.load = metrics.clusterLoad(settings: settings, computedAtMs: Self.epochMilliseconds())
            panes.limitations.append(
                panes.load == nil
                    ? "Classes: \(place) has no class stats yet (Scoot publishes them after its first minute); the gateway computes them live"
                    : "Classes: from \(place), up to a minute old (Scoot latches stats every 60 s); the gateway computes them live")
        case .failure(let failure):
            if !polled { panes.limitations.append("Workers: a plain Scoot scheduler cannot list workers; \(place) unreachable: \(failure); pass --scoot-workers") }
            panes.limitations.append("Classes: \(place) unreachable: \(failure); pass --metrics-addr")
        }
        return panes
    }

    /// The metrics, fetched again only when the last fetch is `metricsEvery` old.
    private func metrics(from address: HostAndPort) async -> MetricsFetch {
        let now = ContinuousClock.now
        if let lastMetrics, now - lastMetrics.at < Self.metricsEvery { return lastMetrics }
        let result: Result<SchedulerMetrics, BoundedHTTPClient.Failure>
        do throws(BoundedHTTPClient.Failure) {
            result = .success(try SchedulerMetrics(json: try await BoundedHTTPClient.get(host: address.host, port: address.port, path: Self.metricsPath, headers: [("Accept", "application/json")])))
        } catch {
            result = .failure(error)
        }
        let fetch = MetricsFetch(at: now, result: result)
        lastMetrics = fetch
        return fetch
    }

    /// Wall-clock milliseconds since 1970, as the scheduler stamps its loads.
    static func epochMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}

extension ClusterSnapshot {
    /// Why `pane` is limited, if it is (the limitation that starts with the pane's name).
    public func limitation(of pane: Pane) -> String? {
        limitations.first { $0.hasPrefix(pane.title + ":") }
    }
}
