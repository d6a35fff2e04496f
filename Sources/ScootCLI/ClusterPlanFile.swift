import SchedulerCore

/// `scoot-console plan`'s files: a cluster state read as JSON (with the CLI's parser, so errors
/// name the line and column or the field), run through one step of the load-based algorithm by
/// the caller, and the decision written back as JSON or as a table.
///
/// Input (every field but `workers` and `jobs` optional, defaulting to Scoot's defaults):
/// `{"workers": 1000, "classLoadPercents": {"c0": 30}, "requestorToClassMap": {"req.*": "c0"},
///   "rebalanceThreshold": 0, "rebalanceMinimumDurationMin": 4, "thresholdExceededForSeconds": 0,
///   "jobs": [{"id": "j1", "requestor": "req", "priority": 0, "running": 20, "waiting": 29}]}`
public enum ClusterPlanFile {
    /// A bad input: `field` names where (e.g. `jobs[2].running`), `problem` what is wrong.
    public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The JSON path of the offending value (empty for the document itself).
        public var field: String
        /// What is wrong with it and what is expected.
        public var problem: String

        public var description: String { field.isEmpty ? problem : "\(field): \(problem)" }
    }

    static let fields = [
        "workers", "classLoadPercents", "requestorToClassMap", "rebalanceThreshold", "rebalanceMinimumDurationMin",
        "thresholdExceededForSeconds", "jobs",
    ]
    static let jobFields = ["id", "requestor", "priority", "running", "waiting"]

    /// Parses the JSON cluster state into an algorithm input.
    public static func parse(_ text: String) throws(InputError) -> SchedulingInput {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw InputError(field: "", problem: "not valid JSON: \(error)")
        }
        guard case .object(let members) = document else { throw InputError(field: "", problem: "expected a JSON object at the top level") }
        let root = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        if let unknown = members.map(\.key).first(where: { !fields.contains($0) }) {
            throw InputError(field: unknown, problem: "unknown field; expected one of \(fields.sorted().joined(separator: ", "))")
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
        let threshold = try root["rebalanceThreshold"].map { value throws(InputError) in try integer(value, field: "rebalanceThreshold") } ?? 0
        let minimumMinutes = try root["rebalanceMinimumDurationMin"].map { value throws(InputError) in
            try integer(value, field: "rebalanceMinimumDurationMin")
        } ?? 4
        let exceededFor = try root["thresholdExceededForSeconds"].map { value throws(InputError) in
            try number(value, field: "thresholdExceededForSeconds", minimum: 0)
        } ?? 0
        guard case .array(let jobValues)? = root["jobs"] else {
            throw InputError(field: "jobs", problem: root["jobs"] == nil ? "missing; expected a list of jobs" : "expected a list of jobs")
        }
        // Every running task started "now": the plan has no start times, and only counts are printed.
        let now: SchedulerInstant = .seconds(24 * 3600)
        var jobs: [JobLoad] = []
        var ids: Set<String> = []
        for (index, value) in jobValues.enumerated() {
            let field = "jobs[\(index)]"
            guard case .object(let jobMembers) = value else { throw InputError(field: field, problem: "expected an object") }
            let job = Dictionary(jobMembers.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
            if let unknown = jobMembers.map(\.key).first(where: { !jobFields.contains($0) }) {
                throw InputError(field: "\(field).\(unknown)", problem: "unknown field; expected \(jobFields.joined(separator: ", "))")
            }
            let id = try string(job["id"], field: "\(field).id")
            guard ids.insert(id).inserted else { throw InputError(field: "\(field).id", problem: "duplicate job id '\(id)'") }
            let requestor = try job["requestor"].map { value throws(InputError) in try string(value, field: "\(field).requestor") } ?? ""
            let priority = try job["priority"].map { value throws(InputError) in try integer(value, field: "\(field).priority", minimum: 0) } ?? 0
            guard priority <= 2 else { throw InputError(field: "\(field).priority", problem: "must be 0, 1 or 2, got \(priority)") }
            let running = try job["running"].map { value throws(InputError) in try integer(value, field: "\(field).running", minimum: 0) } ?? 0
            let waiting = try job["waiting"].map { value throws(InputError) in try integer(value, field: "\(field).waiting", minimum: 0) } ?? 0
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
        let classes = decision.classes.mapValues { load in
            JSONValue.sortedObject([
                "percent": .integer(load.percent), "target": .integer(load.target), "running": .integer(load.running),
                "waiting": .integer(load.waiting), "start": .integer(load.start), "stop": .integer(load.stop),
            ])
        }
        return JSONValue.sortedObject([
            "classes": .sortedObject(classes), "spread": .integer(decision.spread), "rebalance": .bool(decision.rebalanced),
            "start": .integer(decision.tasksToStart.count), "stop": .integer(decision.tasksToStop.count),
        ]).rendered
    }

    /// The decision as a table, classes by descending percent.
    public static func table(_ decision: SchedulingDecision) -> String {
        let header = ["class", "percent", "target", "running", "waiting", "loaned", "start", "stop"]
        var rows = [header]
        for name in ClassLoadPercents.descendingOrder(decision.classes.mapValues(\.percent)) {
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

    private static func integer(_ value: JSONValue?, field: String, minimum: Int = .min) throws(InputError) -> Int {
        guard let value else { throw InputError(field: field, problem: "missing; expected an integer") }
        guard case .number(let literal) = value else { throw InputError(field: field, problem: "expected an integer, got \(value.kindDescription)") }
        guard let integer = Int(literal) else { throw InputError(field: field, problem: "expected an integer, got \(literal)") }
        guard integer >= minimum else { throw InputError(field: field, problem: "must be \(minimum) or more, got \(integer)") }
        return integer
    }

    private static func number(_ value: JSONValue, field: String, minimum: Double) throws(InputError) -> Double {
        guard case .number(let literal) = value, let number = Double(literal) else {
            throw InputError(field: field, problem: "expected a number, got \(value.kindDescription)")
        }
        guard number >= minimum else { throw InputError(field: field, problem: "must be \(Int(minimum)) or more, got \(literal)") }
        return number
    }

    private static func string(_ value: JSONValue?, field: String) throws(InputError) -> String {
        guard let value else { throw InputError(field: field, problem: "missing; expected a string") }
        guard case .string(let text) = value else { throw InputError(field: field, problem: "expected a string, got \(value.kindDescription)") }
        return text
    }

    private static func integerMap(_ value: JSONValue, field: String) throws(InputError) -> [String: Int] {
        guard case .object(let members) = value else { throw InputError(field: field, problem: "expected an object of class → percent") }
        var result: [String: Int] = [:]
        for member in members { result[member.key] = try integer(member.value, field: "\(field).\(member.key)") }
        return result
    }

    private static func stringMap(_ value: JSONValue, field: String) throws(InputError) -> [String: String] {
        guard case .object(let members) = value else { throw InputError(field: field, problem: "expected an object of pattern → class") }
        var result: [String: String] = [:]
        for member in members { result[member.key] = try string(member.value, field: "\(field).\(member.key)") }
        return result
    }
}
