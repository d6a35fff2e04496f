import Foundation
import ScootAPI

/// Something that happened to the cluster or to the console, for the Events pane and
/// `events.jsonl`: a settings change by anyone, a worker going offline, unreachable or back, an
/// action's outcome, a rebalance, the connection lost or regained.
public struct ConsoleEvent: Sendable, Hashable, Codable {
    /// What kind of thing happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case settings, worker, action, rebalance, connection
    }

    /// When the console saw it.
    public var time: Date
    /// Its kind.
    public var kind: Kind
    /// What happened, in words.
    public var text: String

    /// Creates an event.
    public init(time: Date, kind: Kind, text: String) {
        self.time = time
        self.kind = kind
        self.text = text
    }
}

/// The events the console saw, newest first, at most `capacity` (the oldest go first).
public struct EventLog: Sendable, Hashable {
    /// The most events kept in memory.
    public static let capacity = 1000
    /// Newest first.
    public private(set) var events: [ConsoleEvent] = []
    /// How many events were ever appended: `events[i]` was the `appended - i`-th, an id that
    /// stays with the event as newer ones arrive.
    public private(set) var appended = 0

    /// An empty log.
    public init() {}

    /// Adds events (in the order they happened).
    public mutating func append(_ new: [ConsoleEvent]) {
        events.insert(contentsOf: new.reversed(), at: 0)
        appended += new.count
        if events.count > Self.capacity { events.removeLast(events.count - Self.capacity) }
    }
}

/// What changed between two polls, as events.
enum ClusterEvents {
    /// The events between `old` and `new` seen at `time` (none for the first poll).
    static func changes(from old: ClusterSnapshot?, to new: ClusterSnapshot, at time: Date) -> [ConsoleEvent] {
        guard let old else { return [] }
        var events: [ConsoleEvent] = []
        func add(_ kind: ConsoleEvent.Kind, _ text: String) { events.append(ConsoleEvent(time: time, kind: kind, text: text)) }
        // Settings: whoever changed them (this console, the CLI or another operator).
        let before = old.settings, after = new.settings
        if before.classLoadPercents != after.classLoadPercents {
            add(.settings, "class load percents changed: " + SettingsDiff.percentChanges(from: before.classLoadPercents, to: after.classLoadPercents).joined(separator: "; "))
        }
        if before.requestorToClassMap != after.requestorToClassMap {
            add(.settings, "requestor map changed: " + SettingsDiff.mapChanges(from: before.requestorToClassMap, to: after.requestorToClassMap).joined(separator: "; "))
        }
        if before.rebalanceThreshold != after.rebalanceThreshold {
            add(.settings, "rebalance threshold changed: \(before.rebalanceThreshold) → \(after.rebalanceThreshold)")
        }
        if before.rebalanceMinimumDuration != after.rebalanceMinimumDuration {
            add(.settings, "rebalance minimum duration changed: \(before.rebalanceMinimumDuration) → \(after.rebalanceMinimumDuration) min")
        }
        if old.schedulerStatus.maxTasks != new.schedulerStatus.maxTasks {
            func text(_ limit: Int32) -> String { limit < 0 ? "unlimited" : String(limit) }
            add(.settings, "max tasks changed: \(text(old.schedulerStatus.maxTasks)) → \(text(new.schedulerStatus.maxTasks))")
        }
        // Rebalances: reported by the server, or inferred from tasks stopped with
        // RebalanceRequested where it reports none (a plain Scoot scheduler).
        let seen = old.load?.recentRebalances?.map(\.atMs).max() ?? .min
        let reported = new.load?.recentRebalances?.filter { $0.atMs > seen } ?? []
        for rebalance in reported {
            var perClass: [String: Int] = [:]
            for task in rebalance.stopped { perClass[task.className, default: 0] += 1 }
            let ordered: [(String, Int)] = perClass.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }
            let byClass = ordered.map { name, count in "\(name) \(count)" }.joined(separator: ", ")
            let jobs: [String] = Set(rebalance.stopped.map(\.jobId)).sorted().map { String($0.prefix(8)) }
            let count = rebalance.stopped.count
            let tasks = count == 1 ? "1 task" : "\(count) tasks"
            let jobWord = jobs.count == 1 ? "job" : "jobs"
            add(.rebalance, "rebalance: spread \(rebalance.spread)pp over the threshold \(rebalance.threshold); stopped \(tasks) (\(byClass)) of \(jobWord) \(jobs.joined(separator: ", ")); they are not retried")
        }
        if new.load?.recentRebalances == nil {
            func preempted(_ jobs: [JobSummary]) -> Int { jobs.reduce(0) { total, job in total + Int(job.preemptedTasks ?? 0) } }
            let before = preempted(old.jobs), after = preempted(new.jobs)
            if after > before {
                add(.rebalance, "rebalance inferred: \(after - before) more task(s) stopped with RebalanceRequested (this scheduler does not report rebalances)")
            }
        }
        if reported.isEmpty, let firesAt = old.load?.rebalanceFiresAtMs, new.load?.rebalanceFiresAtMs == nil, let load = new.load, load.rebalanceThreshold > 0 {
            add(.rebalance, "rebalance timer reset before it fired (it was due \(ageText(fromMs: load.computedAtMs, nowMs: max(load.computedAtMs, firesAt))) later): the spread is \(load.spread)pp, not over the threshold \(load.rebalanceThreshold)")
        }
        // Workers: into or out of service (offline, unreachable, suspended), when both polls listed them.
        let previous = Dictionary(old.workers.map { ($0.id, $0.state) }, uniquingKeysWith: { first, _ in first })
        let outOfService: Set<WorkerState> = [.offline, .unreachable, .suspended]
        for worker in new.workers {
            guard let was = previous[worker.id], was != worker.state else { continue }
            if outOfService.contains(was) || outOfService.contains(worker.state) {
                let why = worker.state == .unreachable ? worker.error.map { " (\($0))" } ?? "" : ""
                add(.worker, "worker \(worker.id): \(was.name.lowercased()) → \(worker.state.name.lowercased())\(why)")
            }
        }
        return events
    }
}
