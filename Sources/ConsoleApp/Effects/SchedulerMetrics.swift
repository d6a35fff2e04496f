import Foundation
import SchedulerCore
import ScootAPI

/// Worker counts by state: from the worker list, or from `/admin/metrics.json` when the server
/// cannot list workers (a plain Scoot scheduler).
public struct WorkerCounts: Sendable, Hashable {
    /// Healthy workers, busy or idle (Scoot's `availableNodes`).
    public var available: Int
    /// Idle workers (`freeNodes`).
    public var free: Int
    /// Busy workers (`runningNodes`).
    public var running: Int
    /// Suspended workers: not ready, lost or flaky (`lostNodes`).
    public var suspended: Int
    /// Offlined workers; nil when unknown (Scoot does not report them).
    public var offline: Int?

    public init(available: Int, free: Int, running: Int, suspended: Int, offline: Int?) {
        self.available = available
        self.free = free
        self.running = running
        self.suspended = suspended
        self.offline = offline
    }

    /// The counts of a worker list; a polled worker that does not answer counts as suspended
    /// (it takes no work, and it is not gone).
    public init(workers: [WorkerInfo]) {
        func count(_ state: WorkerState) -> Int { workers.filter { $0.state == state }.count }
        self.init(
            available: count(.idle) + count(.busy), free: count(.idle), running: count(.busy),
            suspended: count(.suspended) + count(.unreachable), offline: count(.offline))
    }

    /// `avail 2 (free 1, busy 1) susp 0 off 0`, as the header shows them: each label before its number.
    public var summary: String {
        "avail \(available) (free \(free), busy \(running)) susp \(suspended)" + (offline.map { " off \($0)" } ?? "")
    }
}

/// The stats of a scheduler's `/admin/metrics.json` (docs/scoot.md, "The metrics endpoint"): one
/// flat JSON object of numbers under `scheduler/`. Scoot latches them every 60 s, so they can be a
/// minute old.
public struct SchedulerMetrics: Sendable, Hashable {
    /// Stat name without the `scheduler/` scope → value.
    public var stats: [String: Double]

    /// Stats by name (without the scope).
    public init(stats: [String: Double]) {
        self.stats = stats
    }

    /// Parses a body; values that are not numbers are skipped.
    public init(json: [UInt8]) throws(BoundedHTTPClient.Failure) {
        let object: [String: LenientNumber]
        do {
            object = try JSONDecoder().decode([String: LenientNumber].self, from: Data(json))
        } catch {
            throw BoundedHTTPClient.Failure("the answer is not a JSON object of numbers")
        }
        var stats: [String: Double] = [:]
        for (key, number) in object {
            guard let value = number.value else { continue }
            stats[key.hasPrefix(Self.scope) ? String(key.dropFirst(Self.scope.count)) : key] = value
        }
        self.init(stats: stats)
    }

    private static let scope = "scheduler/"

    /// A JSON value read as a number if it is one.
    private struct LenientNumber: Decodable {
        let value: Double?
        init(from decoder: any Decoder) throws {
            value = try? decoder.singleValueContainer().decode(Double.self)
        }
    }

    /// Worker counts, if the worker gauges are there.
    public var workerCounts: WorkerCounts? {
        guard let available = int("availableNodes") else { return nil }
        return WorkerCounts(
            available: available, free: int("freeNodes") ?? 0, running: int("runningNodes") ?? 0, suspended: int("lostNodes") ?? 0,
            offline: int("offlinedNodes"))
    }

    /// The per-class stats of one kind (`schedRunningTasks`, …), by class. Accepts Scoot's double
    /// underscore (`schedRunningTasks__land`) and the single one (`schedRunningTasks_land`).
    public func perClass(_ stat: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for (key, value) in stats where key.hasPrefix(stat + "_") {
            var name = key.dropFirst(stat.count + 1)
            if name.first == "_" { name = name.dropFirst() }
            guard !name.isEmpty else { continue }
            result[String(name)] = Self.integer(value)
        }
        return result
    }

    /// Class rows from the class stats: running and waiting tasks from the stats, percents from
    /// `schedClassTargetPct` (when there is none, from `settings`, normalized), targets from percents × available
    /// workers as the scheduler computes them. Nil when there is no class stat (Scoot publishes
    /// none until the end of its first minute).
    public func clusterLoad(settings: ClusterSnapshot.Settings, computedAtMs: Int64) -> ClusterLoad? {
        let running = perClass("schedRunningTasks"), waiting = perClass("schedWaitingTasks")
        let starting = perClass("schedStartingTasks"), stopping = perClass("schedStoppingTasks")
        // The stats' percents and counts are from the same moment; the settings only stand in.
        let statPercents = perClass("schedClassTargetPct")
        // Before its first latch Scoot publishes no class stat at all: zero rows would read as
        // an idle cluster, so there is no load rather than a made-up one.
        guard !(running.isEmpty && waiting.isEmpty && statPercents.isEmpty) else { return nil }
        let percents = statPercents.isEmpty ? ClassLoadPercents.normalized(settings.classLoadPercents.mapValues(Int.init)) : statPercents
        let names = Set(percents.keys).union(running.keys).union(waiting.keys)
        guard !names.isEmpty else { return nil }
        let allPercents = Dictionary(uniqueKeysWithValues: names.map { ($0, min(100, max(0, percents[$0] ?? 0))) })
        let workers = workerCounts?.available ?? 0
        let targets = ClassLoadPercents.targets(workers: workers, percents: allPercents)
        let classes = ClassLoadPercents.descendingOrder(allPercents).map { name in
            ClassLoad(
                name: name, percent: Int32(clamping: allPercents[name] ?? 0), target: Int32(clamping: targets[name] ?? 0),
                running: Int32(clamping: running[name] ?? 0), waiting: Int32(clamping: waiting[name] ?? 0),
                loaned: Int32(clamping: max(0, (running[name] ?? 0) - (targets[name] ?? 0))),
                starting: Int32(clamping: starting[name] ?? 0), stopping: Int32(clamping: stopping[name] ?? 0))
        }
        return ClusterLoad(
            classes: classes, spread: Int32(clamping: Self.spread(classes, workers: workers)), rebalanceThreshold: settings.rebalanceThreshold,
            rebalanceMinimumDurationMin: settings.rebalanceMinimumDuration, computedAtMs: computedAtMs)
    }

    /// The scheduler's spread: max(0, max d) − min(0, min d) with d = percent − ⌊running × 100 / W⌋
    /// over classes (with a share) over target or with waiting tasks; 0 with fewer than two such classes.
    static func spread(_ classes: [ClassLoad], workers: Int) -> Int {
        guard workers > 0 else { return 0 }
        let considered = classes.compactMap { item -> Int? in
            guard item.percent > 0 else { return nil }
            let deficit = Int(item.percent) - Int(item.running) * 100 / workers
            return deficit < 0 || item.waiting > 0 ? deficit : nil
        }
        guard considered.count >= 2, let high = considered.max(), let low = considered.min() else { return 0 }
        return max(0, high) - min(0, low)
    }

    private func int(_ name: String) -> Int? { stats[name].map(Self.integer) }

    /// A stat as a whole number, clamped so that no value from the wire can trap.
    private static func integer(_ value: Double) -> Int {
        value.isFinite ? Int(min(max(value, -1e15), 1e15)) : 0
    }
}
