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
    }

    /// The preview of new percents and/or requestor map on `snapshot`, or nil when the settings do
    /// not validate (the dialog shows the error instead).
    public static func preview(_ snapshot: ClusterSnapshot, percents: [String: Int32]? = nil, requestorMap: [String: String]? = nil) -> [ClassPreview]? {
        let rawPercents = (percents ?? snapshot.settings.classLoadPercents).mapValues { Int($0) }
        guard (try? ClassLoadPercents.validate(rawPercents)) != nil,
              let classifier = try? RequestorClassifier(requestorMap ?? snapshot.settings.requestorToClassMap)
        else { return nil }
        let normalized = ClassLoadPercents.normalized(rawPercents)
        let healthy = snapshot.workers.isEmpty
            ? Int(snapshot.schedulerStatus.currentTasks)
            : snapshot.workers.filter { $0.state == .idle || $0.state == .busy }.count
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
        return ClassLoadPercents.descendingOrder(normalized).map { name in
            let load = normal.classes[name]!
            return ClassPreview(
                name: name, percent: load.percent, target: load.target, running: load.running, start: load.start,
                stop: rebalance.rebalanced ? rebalance.classes[name]?.stop ?? 0 : 0)
        }
    }
}
