import Foundation
import ScootAPI
import Thrift

/// What the panes get from a plain Scoot scheduler: tracked jobs by GetStatus, worker counts and
/// class rows from `/admin/metrics.json`, and why each pane is limited.
struct FallbackPanes {
    var jobs: [JobSummary] = []
    var unknownJobIDs: Set<String> = []
    var workerCounts: WorkerCounts?
    var load: ClusterLoad?
    var limitations: [String] = []
}

/// The last `/admin/metrics.json` fetch: when it started and what it brought.
struct MetricsFetch {
    var at: ContinuousClock.Instant
    var result: Result<SchedulerMetrics, MetricsHTTPClient.Failure>
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
        guard !extensionSupported else { return "this server lists every job (ListJobs): tracking is not needed, the Jobs pane shows them all" }
        return new.isEmpty ? "already tracking \(ids.joined(separator: ", "))" : "tracking \(new.joined(separator: ", ")) (\(knownJobs.count) tracked)"
    }

    /// Stops following job ids; returns what the UI should say.
    @discardableResult
    public func untrack(jobs ids: [String]) -> String {
        let removed = ids.filter { knownJobs.contains($0) }
        knownJobs.removeAll { removed.contains($0) }
        let notTracked = ids.filter { !removed.contains($0) }
        var parts: [String] = []
        if !removed.isEmpty { parts.append("stopped tracking \(removed.joined(separator: ", "))") }
        if !notTracked.isEmpty { parts.append("not tracked: \(notTracked.joined(separator: ", "))") }
        return parts.joined(separator: "; ")
    }

    /// The tracked jobs (in the order they were added).
    public var trackedJobs: [String] { knownJobs }

    /// The panes against a plain Scoot scheduler.
    func fallbackPanes(settings: ClusterSnapshot.Settings) async throws -> FallbackPanes {
        var panes = FallbackPanes()
        for id in knownJobs {
            let status: JobStatus
            do {
                status = try await client.getStatus(jobId: id)
            } catch is InvalidRequest, is ScootServerError {
                // One bad id must not stop the whole poll: it is shown, flagged.
                status = JobStatus(id: id, status: .notStarted)
            }
            // Scoot answers GetStatus of an unknown id with NOT_STARTED and no tasks.
            if status.status == .notStarted, (status.taskStatus ?? [:]).isEmpty { panes.unknownJobIDs.insert(id) }
            panes.jobs.append(Self.summary(of: status))
        }
        let unknown = panes.unknownJobIDs.isEmpty ? "" : ", \(panes.unknownJobIDs.count) unknown to the scheduler"
        panes.limitations.append(
            "Jobs: a plain Scoot scheduler cannot list jobs; showing the \(knownJobs.count) job(s) this console tracks\(unknown) (:track ID, --track-file)")
        guard let metricsAddress else {
            panes.limitations += [
                "Workers: a plain Scoot scheduler cannot list workers, and no metrics address is set; pass --metrics-addr",
                "Classes: not available from a plain Scoot scheduler without \(Self.metricsPath); pass --metrics-addr",
            ]
            return panes
        }
        let place = "\(Self.metricsPath) at \(metricsAddress)"
        switch await metrics(from: metricsAddress).result {
        case .success(let metrics):
            panes.workerCounts = metrics.workerCounts
            panes.load = metrics.clusterLoad(settings: settings, computedAtMs: Self.epochMilliseconds())
            panes.limitations += [
                panes.workerCounts == nil
                    ? "Workers: a plain Scoot scheduler cannot list workers, and \(place) has no worker counts"
                    : "Workers: counts only, from \(place), up to a minute old (a plain Scoot scheduler cannot list workers)",
                panes.load == nil
                    ? "Classes: \(place) has no class stats"
                    : "Classes: from \(place), up to a minute old (Scoot latches stats every 60 s)",
            ]
        case .failure(let failure):
            panes.limitations += [
                "Workers: a plain Scoot scheduler cannot list workers; \(place) unreachable: \(failure); pass --metrics-addr",
                "Classes: \(place) unreachable: \(failure); pass --metrics-addr",
            ]
        }
        return panes
    }

    /// The metrics, fetched again only when the last fetch is `metricsEvery` old.
    private func metrics(from address: HostAndPort) async -> MetricsFetch {
        let now = ContinuousClock.now
        if let lastMetrics, now - lastMetrics.at < Self.metricsEvery { return lastMetrics }
        let result: Result<SchedulerMetrics, MetricsHTTPClient.Failure>
        do throws(MetricsHTTPClient.Failure) {
            result = .success(try SchedulerMetrics(json: try await MetricsHTTPClient.get(host: address.host, port: address.port, path: Self.metricsPath)))
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
