import Foundation

/// `scoot-console plan`: a cluster state written as JSON, run through one step of the
/// load-based algorithm, and the decision written back as JSON or as a table.
///
/// Input (every field but `workers` and `jobs` optional, defaulting to Scoot's defaults):
/// `{"workers": 1000, "classLoadPercents": {"c0": 30}, "requestorToClassMap": {"req.*": "c0"},
///   "rebalanceThreshold": 0, "rebalanceMinimumDurationMin": 4, "thresholdExceededForSeconds": 0,
///   "jobs": [{"id": "j1", "requestor": "req", "priority": 0, "running": 20, "waiting": 29}]}`
public enum ClusterPlan {
    /// A bad input: `field` names where (e.g. `jobs[2].running`), `problem` what is wrong.
    public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The JSON path of the offending value.
        public var field: String
        /// What is wrong with it and what is expected.
        public var problem: String

        public var description: String { field.isEmpty ? problem : "\(field): \(problem)" }
    }

    /// Parses the JSON cluster state into an algorithm input; throws `InputError`.
    public static func parse(_ data: Data) throws -> SchedulingInput {
        let root: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw InputError(field: "", problem: "expected a JSON object at the top level")
            }
            root = object
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(field: "", problem: "not valid JSON: \(error.localizedDescription)")
        }
        let known: Set<String> = [
            "workers", "classLoadPercents", "requestorToClassMap", "rebalanceThreshold", "rebalanceMinimumDurationMin",
            "thresholdExceededForSeconds", "jobs",
        ]
        if let unknown = root.keys.sorted().first(where: { !known.contains($0) }) {
            throw InputError(field: unknown, problem: "unknown field; expected one of \(known.sorted().joined(separator: ", "))")
        }
        let workers = try integer(root["workers"], field: "workers", minimum: 0)
        var percents = ClassLoadPercents.scootDefaults
        if let value = root["classLoadPercents"] {
            percents = try integerMap(value, field: "classLoadPercents")
            do {
                try ClassLoadPercents.validate(percents)
            } catch {
                throw InputError(field: "classLoadPercents", problem: error.description)
            }
        }
        percents = ClassLoadPercents.normalized(percents)
        var classifier = RequestorClassifier.scootDefault
        if let value = root["requestorToClassMap"] {
            let patterns = try stringMap(value, field: "requestorToClassMap")
            do {
                classifier = try RequestorClassifier(patterns)
            } catch {
                throw InputError(field: "requestorToClassMap", problem: error.description)
            }
        }
        let threshold = try root["rebalanceThreshold"].map { try integer($0, field: "rebalanceThreshold") } ?? 0
        let minimumMinutes = try root["rebalanceMinimumDurationMin"].map { try integer($0, field: "rebalanceMinimumDurationMin") } ?? 4
        let exceededFor = try root["thresholdExceededForSeconds"].map { try number($0, field: "thresholdExceededForSeconds", minimum: 0) } ?? 0
        guard let jobValues = root["jobs"] as? [Any] else {
            throw InputError(field: "jobs", problem: root["jobs"] == nil ? "missing; expected a list of jobs" : "expected a list of jobs")
        }
        // Every running task started "now": the plan has no start times, and only counts are printed.
        let now: SchedulerInstant = .seconds(24 * 3600)
        var jobs: [JobLoad] = []
        var ids: Set<String> = []
        for (index, value) in jobValues.enumerated() {
            let field = "jobs[\(index)]"
            guard let job = value as? [String: Any] else { throw InputError(field: field, problem: "expected an object") }
            if let unknown = job.keys.sorted().first(where: { !["id", "requestor", "priority", "running", "waiting"].contains($0) }) {
                throw InputError(field: "\(field).\(unknown)", problem: "unknown field; expected id, requestor, priority, running, waiting")
            }
            let id = try string(job["id"], field: "\(field).id")
            guard ids.insert(id).inserted else { throw InputError(field: "\(field).id", problem: "duplicate job id '\(id)'") }
            let requestor = try job["requestor"].map { try string($0, field: "\(field).requestor") } ?? ""
            let priority = try job["priority"].map { try integer($0, field: "\(field).priority", minimum: 0) } ?? 0
            guard priority <= 2 else { throw InputError(field: "\(field).priority", problem: "must be 0, 1 or 2, got \(priority)") }
            let running = try job["running"].map { try integer($0, field: "\(field).running", minimum: 0) } ?? 0
            let waiting = try job["waiting"].map { try integer($0, field: "\(field).waiting", minimum: 0) } ?? 0
            jobs.append(JobLoad(
                id: id, requestor: requestor, priority: priority,
                running: (0..<running).map { RunningTask(taskID: "running-\($0)", startedAt: now) },
                waiting: (0..<waiting).map { "waiting-\($0)" }))
        }
        return SchedulingInput(
            healthyWorkers: workers, runningTasks: jobs.reduce(0) { $0 + $1.running.count }, classLoadPercents: percents,
            requestorToClass: classifier, rebalanceThreshold: threshold, rebalanceMinimumDuration: .seconds(60 * minimumMinutes),
            thresholdExceededSince: exceededFor > 0 ? now - .milliseconds(Int64(exceededFor * 1000)) : nil, now: now, jobs: jobs)
    }

    /// The decision as JSON: per class percent, target, running, waiting, start and stop; the
    /// spread; whether it rebalanced; total starts and stops. Keys sorted, so output is stable.
    public static func json(_ decision: SchedulingDecision) -> String {
        var classes: [String: Any] = [:]
        for (name, load) in decision.classes {
            classes[name] = [
                "percent": load.percent, "target": load.target, "running": load.running, "waiting": load.waiting,
                "start": load.start, "stop": load.stop,
            ]
        }
        let object: [String: Any] = [
            "classes": classes, "spread": decision.spread, "rebalance": decision.rebalanced,
            "start": decision.tasksToStart.count, "stop": decision.tasksToStop.count,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The decision as a table, classes by descending percent.
    public static func table(_ decision: SchedulingDecision) -> String {
        let header = ["class", "percent", "target", "running", "waiting", "loaned", "start", "stop"]
        var rows = [header]
        let order = ClassLoadPercents.descendingOrder(decision.classes.mapValues(\.percent))
        for name in order {
            let load = decision.classes[name]!
            rows.append([name] + [load.percent, load.target, load.running, load.waiting, load.loaned, load.start, load.stop].map(String.init))
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        var lines = rows.map { row in
            row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + padding : padding + cell
            }.joined(separator: "  ")
        }
        lines.append("")
        lines.append("spread \(decision.spread)  rebalance \(decision.rebalanced ? "yes" : "no")  start \(decision.tasksToStart.count)  stop \(decision.tasksToStop.count)")
        return lines.joined(separator: "\n")
    }

    // MARK: Field readers

    private static func integer(_ value: Any?, field: String, minimum: Int = .min) throws -> Int {
        guard let value else { throw InputError(field: field, problem: "missing; expected an integer") }
        guard let number = value as? NSNumber, !isBoolean(value), let integer = Int(exactly: number.doubleValue)
        else { throw InputError(field: field, problem: "expected an integer, got \(describe(value))") }
        guard integer >= minimum else { throw InputError(field: field, problem: "must be \(minimum) or more, got \(integer)") }
        return integer
    }

    private static func number(_ value: Any, field: String, minimum: Double) throws -> Double {
        guard let number = value as? NSNumber, !isBoolean(value) else {
            throw InputError(field: field, problem: "expected a number, got \(describe(value))")
        }
        guard number.doubleValue >= minimum else { throw InputError(field: field, problem: "must be \(Int(minimum)) or more, got \(number)") }
        return number.doubleValue
    }

    private static func string(_ value: Any?, field: String) throws -> String {
        guard let value else { throw InputError(field: field, problem: "missing; expected a string") }
        guard let text = value as? String else { throw InputError(field: field, problem: "expected a string, got \(describe(value))") }
        return text
    }

    private static func integerMap(_ value: Any, field: String) throws -> [String: Int] {
        guard let object = value as? [String: Any] else { throw InputError(field: field, problem: "expected an object of class → percent") }
        var result: [String: Int] = [:]
        for (key, entry) in object { result[key] = try integer(entry, field: "\(field).\(key)") }
        return result
    }

    private static func stringMap(_ value: Any, field: String) throws -> [String: String] {
        guard let object = value as? [String: Any] else { throw InputError(field: field, problem: "expected an object of pattern → class") }
        var result: [String: String] = [:]
        for (key, entry) in object { result[key] = try string(entry, field: "\(field).\(key)") }
        return result
    }

    /// JSON true/false: on Linux they arrive as NSNumber like numbers do (and `is Bool` is true for
    /// 0 and 1 too), but with the Objective-C type code of a char.
    private static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    private static func describe(_ value: Any) -> String {
        if isBoolean(value) { return "a boolean" }
        switch value {
        case is String: return "a string"
        case is NSNull: return "null"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        default: return "\(value)"
        }
    }
}
