import Foundation
import SchedulerCore

/// The body of `GET /admin/metrics.json`: Scoot's stat names under `scheduler/` (docs/scoot.md,
/// "The metrics endpoint"), computed from the scheduler's live state at each request — no 60-second
/// latch, no double underscores in class stats, real values where Scoot publishes zeros
/// (docs/deviations.md, docs/operations.md).
public enum MetricsReport {
    /// Gathers every stat. `startedAt` is when the server started, for the uptime gauge.
    public static func collect(scheduler: Scheduler, metrics: ServerMetrics, startedAt: SchedulerInstant, now: SchedulerInstant) async -> [String: Double] {
        let jobs = await scheduler.jobs()
        let workers = await scheduler.workers()
        let percents = await scheduler.getClassLoadPercents()
        let currentLoads = await scheduler.currentClassLoads()
        var stats: [String: Double] = [:]
        func set(_ name: String, _ value: Int) { stats["scheduler/\(name)"] = Double(value) }

        let active = jobs.filter { $0.status != .completed }
        set("schedAcceptedJobsGauge", active.count)
        set("schedWaitingJobsGauge", active.filter { $0.taskCounts.running == 0 && $0.taskCounts.completed + $0.taskCounts.failed == 0 }.count)
        set("schedNumRunningTasksGauge", active.reduce(0) { $0 + $1.taskCounts.running })
        set("schedNumWaitingTasksGauge", active.reduce(0) { $0 + $1.taskCounts.waiting })
        set("schedInProgressTasksGauge", active.reduce(0) { $0 + $1.taskCounts.running + $1.taskCounts.waiting })
        for (requestor, group) in Dictionary(grouping: active, by: \.requestor) {
            set("schedNumRunningJobsGauge_\(requestor)", group.filter { $0.taskCounts.running > 0 }.count)
            set("schedWaitingJobsGauge_\(requestor)", group.filter { $0.taskCounts.running == 0 && $0.taskCounts.completed + $0.taskCounts.failed == 0 }.count)
            set("schedNumRunningTasksGauge_\(requestor)", group.reduce(0) { $0 + $1.taskCounts.running })
            set("schedNumWaitingTasksGauge_\(requestor)", group.reduce(0) { $0 + $1.taskCounts.waiting })
            set("schedInProgressTasksGauge_\(requestor)", group.reduce(0) { $0 + $1.taskCounts.running + $1.taskCounts.waiting })
        }

        let counts = SchedulerService.workerStateCounts(workers)
        let healthy = Int(counts.idle + counts.busy)
        set("availableNodes", healthy)
        set("freeNodes", Int(counts.idle))
        set("runningNodes", Int(counts.busy))
        set("lostNodes", Int(counts.suspended))
        set("offlinedNodes", Int(counts.offline))

        let targets = ClassLoadPercents.targets(workers: healthy, percents: percents)
        let decided = Dictionary(uniqueKeysWithValues: currentLoads.classes.map { ($0.name, $0) })
        for name in percents.keys {
            let members = active.filter { $0.className == name }
            let running = members.reduce(0) { $0 + $1.taskCounts.running }
            set("schedRunningTasks_\(name)", running)
            set("schedWaitingTasks_\(name)", members.reduce(0) { $0 + $1.taskCounts.waiting })
            set("schedStartingTasks_\(name)", decided[name]?.starting ?? 0)
            set("schedStoppingTasks_\(name)", decided[name]?.stopping ?? 0)
            set("schedClassTargetPct_\(name)", percents[name] ?? 0)
            set("schedClassTargetWorkers_\(name)", targets[name] ?? 0)
            set("schedClassActualPct_\(name)", healthy == 0 ? 0 : running * 100 / healthy)
        }

        set("schedJobsCounter", jobs.count)
        set("completedTaskCounter", jobs.reduce(0) { $0 + $1.taskCounts.completed })
        set("failedTaskCounter", jobs.reduce(0) { $0 + $1.taskCounts.failed })
        set("scheduledTasksCounter", workers.reduce(0) { $0 + $1.tasksRun })
        set("schedUptimeGauge_ms", Int(WireConversions.epochMilliseconds(now) - WireConversions.epochMilliseconds(startedAt)))
        if let journal = await scheduler.journalHealth() {
            set("journalFailingGauge", journal.failure == nil ? 0 : 1)
            if let since = journal.failingSince { set("journalFailingSince_ms", Int(WireConversions.epochMilliseconds(since))) }
            set("journalWaitingRecordsGauge", journal.waitingRecords)
            set("journalCommitsCounter", journal.commits)
            set("journalRecordsWrittenCounter", journal.recordsWritten)
            set("journalRecordsDroppedCounter", journal.recordsDropped)
        }
        for (name, value) in metrics.counters { set(name, value) }
        for (name, summary) in metrics.latencies {
            stats["scheduler/\(name).count"] = Double(summary.count)
            stats["scheduler/\(name).sum"] = summary.sum
            stats["scheduler/\(name).min"] = summary.min
            stats["scheduler/\(name).max"] = summary.max
            stats["scheduler/\(name).avg"] = summary.average
            for (suffix, value) in summary.percentiles { stats["scheduler/\(name).\(suffix)"] = value }
        }
        return stats
    }

    /// The stats as a flat JSON object, keys sorted; integers print without a fraction.
    public static func json(_ stats: [String: Double], pretty: Bool) -> String {
        let entries = stats.keys.sorted().map { key in
            let value = stats[key]!
            let number = value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
            return "\(jsonString(key)):\(pretty ? " " : "")\(number)"
        }
        return pretty ? "{\n  " + entries.joined(separator: ",\n  ") + "\n}\n" : "{" + entries.joined(separator: ",") + "}"
    }

    /// `text` as a JSON string, escaped by Foundation's encoder.
    private static func jsonString(_ text: String) -> String {
        // Encoding a String cannot fail; the fallback only satisfies the type.
        (try? jsonEncoder.encode(text)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
    }

    private static let jsonEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}
