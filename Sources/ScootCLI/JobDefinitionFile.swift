import ScootAPI
import Thrift

/// scootcl's `--job_def` JSON format, read as Go's encoding/json reads it into scootcl's
/// `CLIJobDef`: keys match case-insensitively, `null` leaves a field at its zero value, zero
/// timeouts are not sent. Unlike Go, an unknown key is an error (a misspelt `TimeoutMs` would
/// otherwise be dropped silently).
///
/// ```json
/// {"Tasks":[{"Args":["echo","hi"],"EnvVars":{},"SnapshotID":"","TimeoutMs":0,"TaskID":"t1"}],
///  "DefaultTaskTimeoutMs":0,"Priority":0,"Tag":"","Basis":"","JobType":"","Requestor":""}
/// ```
public enum JobDefinitionFile {
    static let jobKeys = ["Tasks", "DefaultTaskTimeoutMs", "Priority", "Tag", "Basis", "JobType", "Requestor"]
    static let taskKeys = ["Args", "EnvVars", "SnapshotID", "TimeoutMs", "TaskID"]

    /// The job in `text`, or a usage error naming `path`, the place and the problem.
    public static func parse(_ text: String, path: String) throws(CLIFailure) -> JobDefinition {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw .usage("\(path): not valid JSON: \(error); fix the file (format: docs/cli.md#run-job)")
        }
        do {
            return try job(from: document)
        } catch {
            throw .usage("\(path): \(error.description); fix the file (format: docs/cli.md#run-job)")
        }
    }

    /// A problem at a place in the document, e.g. `Tasks[0].TimeoutMs`.
    struct ShapeError: Error {
        var description: String
    }

    static func job(from document: JSONValue) throws(ShapeError) -> JobDefinition {
        let fields = try members(of: document, at: "the top level", known: jobKeys)
        var tasks: [TaskDefinition] = []
        if case .array(let elements)? = fields["Tasks"] {
            for (index, element) in elements.enumerated() {
                tasks.append(try task(from: element, at: "Tasks[\(index)]"))
            }
        } else if let other = fields["Tasks"], !isNull(other) {
            throw ShapeError(description: "Tasks: expected an array of task objects, got \(other.kindDescription)")
        }
        let defaultTimeout = try int32(fields["DefaultTaskTimeoutMs"], at: "DefaultTaskTimeoutMs")
        return JobDefinition(
            tasks: tasks,
            defaultTaskTimeoutMs: defaultTimeout > 0 ? defaultTimeout : nil,
            priority: try int32(fields["Priority"], at: "Priority"),
            tag: try string(fields["Tag"], at: "Tag"),
            basis: try string(fields["Basis"], at: "Basis"),
            requestor: try string(fields["Requestor"], at: "Requestor"),
            jobType: try string(fields["JobType"], at: "JobType"))
    }

    static func task(from value: JSONValue, at place: String) throws(ShapeError) -> TaskDefinition {
        let fields = try members(of: value, at: place, known: taskKeys)
        var argv: [String] = []
        if case .array(let elements)? = fields["Args"] {
            for (index, element) in elements.enumerated() {
                guard case .string(let argument) = element else {
                    throw ShapeError(description: "\(place).Args[\(index)]: expected a string, got \(element.kindDescription)")
                }
                argv.append(argument)
            }
        } else if let other = fields["Args"], !isNull(other) {
            throw ShapeError(description: "\(place).Args: expected an array of strings, got \(other.kindDescription)")
        }
        var environment: [String: String] = [:]
        if case .object(let variables)? = fields["EnvVars"] {
            for (name, variable) in variables {
                guard case .string(let text) = variable else {
                    throw ShapeError(description: "\(place).EnvVars.\(name): expected a string, got \(variable.kindDescription)")
                }
                environment[name] = text
            }
        } else if let other = fields["EnvVars"], !isNull(other) {
            throw ShapeError(description: "\(place).EnvVars: expected an object of strings, got \(other.kindDescription)")
        }
        let timeout = try int32(fields["TimeoutMs"], at: "\(place).TimeoutMs")
        return TaskDefinition(
            command: Command(argv: argv, envVars: ThriftMap(environment)),
            snapshotId: try string(fields["SnapshotID"], at: "\(place).SnapshotID"),
            taskId: try string(fields["TaskID"], at: "\(place).TaskID"),
            timeoutMs: timeout > 0 ? timeout : nil)
    }

    /// The object's members by canonical key; a key matches case-insensitively, as in Go.
    static func members(of value: JSONValue, at place: String, known: [String]) throws(ShapeError) -> [String: JSONValue] {
        guard case .object(let members) = value else {
            if isNull(value) { return [:] }
            throw ShapeError(description: "\(place): expected an object, got \(value.kindDescription)")
        }
        var fields: [String: JSONValue] = [:]
        for (key, member) in members {
            guard let canonical = known.first(where: { $0.lowercased() == key.lowercased() }) else {
                throw ShapeError(description: "unknown key \"\(key)\" in \(place); known keys: \(known.joined(separator: ", "))")
            }
            guard fields[canonical] == nil else {
                throw ShapeError(description: "\(place) gives \(canonical) twice (keys match case-insensitively)")
            }
            fields[canonical] = member
        }
        return fields
    }

    static func isNull(_ value: JSONValue) -> Bool {
        if case .null = value { return true }
        return false
    }

    static func string(_ value: JSONValue?, at place: String) throws(ShapeError) -> String {
        switch value {
        case nil, .null?: return ""
        case .string(let text)?: return text
        case let other?: throw ShapeError(description: "\(place): expected a string, got \(other.kindDescription)")
        }
    }

    static func int32(_ value: JSONValue?, at place: String) throws(ShapeError) -> Int32 {
        switch value {
        case nil, .null?: return 0
        case .number(let literal)?:
            guard let number = Int32(literal) else {
                throw ShapeError(description: "\(place): expected a whole number from -2147483648 to 2147483647, got \(literal)")
            }
            return number
        case let other?: throw ShapeError(description: "\(place): expected a whole number (int32), got \(other.kindDescription)")
        }
    }
}
