import ScootAPI
import SchedulerCore

/// What-if previews for settings dialogs: the core's pure algorithm run on the polled state with
/// the new settings, before anything is sent.
public enum WhatIf {
    /// One class's preview line.
    public struct ClassPreview: Sendable, Hashable {
        public var name: String
        public var percent: Int
        public var target: Int
        public var running: Int
        /// Tasks the next step would start.
        public var start: Int
        /// Tasks a rebalance would stop.
        public var stop: Int
        /// Where jobs with an unknown requestor (found on a plain Scoot's workers) make `start`
        /// uncertain: the least and the most it could be, counting them in the smallest class or
        /// in none.
        public var startRange: ClosedRange<Int>?
    }

    /// The preview of new percents and/or requestor map on `snapshot`, or nil when the settings do
    /// not validate (the dialog shows the error instead).
    public static func preview(_ snapshot: ClusterSnapshot, percents: [String: Int32]? = nil, requestorMap: [String: String]? = nil) -> [ClassPreview]? {
        let rawPercents = (percents ?? snapshot.settings.classLoadPercents).mapValues { Int($0) }
        guard (try? ClassLoadPercents.validate(rawPercents)) != nil,
              let classifier = try? RequestorClassifier(requestorMap ?? snapshot.settings.requestorToClassMap)
        else { return nil }
        let normalized = ClassLoadPercents.normalized(rawPercents)
        let healthy = healthyWorkers(snapshot)
        let jobs = snapshot.jobs.filter { $0.status != .completed }.map { job in
            JobLoad(
                id: job.id, requestor: job.requestor, priority: Int(job.priority),
                running: (0..<Int(job.runningTasks)).map { RunningTask(taskID: "r\($0)", startedAt: .zero) },
                waiting: (0..<Int(job.waitingTasks)).map { "w\($0)" })
        }
        var input = SchedulingInput(
            healthyWorkers: healthy, runningTasks: jobs.reduce(0) { $0 + $1.running.count }, classLoadPercents: normalized,
            requestorToClass: classifier, jobs: jobs)
        let normal = LoadBasedScheduler.step(input)
        input.rebalanceThreshold = 1
        input.rebalanceMinimumDuration = .seconds(1)
        input.thresholdExceededSince = .zero
        input.now = .seconds(3600)
        let rebalance = LoadBasedScheduler.step(input)
        // Jobs whose requestor is unknown: the scheduler puts them in their real class, which may
        // not be the smallest one; without them (their tasks still occupy workers) is the other end.
        let anonymous = Set(snapshot.jobs.filter { ($0.unknownFields ?? []).contains("requestor") }.map(\.id))
        var alternative: SchedulingDecision?
        if !anonymous.isEmpty {
            var known = input
            known.rebalanceThreshold = 0
            known.thresholdExceededSince = nil
            known.jobs = jobs.filter { !anonymous.contains($0.id) }
            alternative = LoadBasedScheduler.step(known)
        }
        return ClassLoadPercents.descendingOrder(normalized).map { name in
            let load = normal.classes[name]!
            let other = alternative?.classes[name]?.start ?? load.start
            return ClassPreview(
                name: name, percent: load.percent, target: load.target, running: load.running, start: load.start,
                stop: rebalance.rebalanced ? rebalance.classes[name]?.stop ?? 0 : 0,
                startRange: other == load.start ? nil : min(other, load.start)...max(other, load.start))
        }
    }

    /// Workers the scheduler would count: the listed ones that are idle or busy; without a list
    /// (a plain Scoot without worker polling), the metrics' count; else the tasks in progress.
    static func healthyWorkers(_ snapshot: ClusterSnapshot) -> Int {
        if !snapshot.workers.isEmpty { return snapshot.workers.filter { $0.state == .idle || $0.state == .busy }.count }
        if let counts = snapshot.workerCounts { return counts.available }
        return Int(snapshot.schedulerStatus.currentTasks)
    }

    /// What a preview on `snapshot` could not know, in words for the dialog (empty when the
    /// server told everything, as `serve` and the gateway do).
    public static func caveats(_ snapshot: ClusterSnapshot) -> [String] {
        var caveats: [String] = []
        if snapshot.workers.isEmpty {
            caveats.append(snapshot.workerCounts == nil
                ? "the workers are unknown: targets assume \(snapshot.schedulerStatus.currentTasks) (the tasks in progress); pass --scoot-workers"
                : "workers counted from the scheduler's metrics, up to a minute old")
        }
        let anonymous = snapshot.jobs.filter { $0.status != .completed && ($0.unknownFields ?? []).contains("requestor") }.count
        if anonymous > 0 {
            caveats.append("\(anonymous) unfinished job(s) have no known requestor (found on workers): counted in the smallest class; the gateway knows them")
        }
        if snapshot.limitation(of: .jobs) != nil, snapshot.jobs.isEmpty {
            caveats.append("no job is known: a plain Scoot scheduler cannot list them")
        }
        return caveats
    }
}
