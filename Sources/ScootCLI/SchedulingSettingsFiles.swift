/// The files of `set-scheduling-alg-params`, in scootcl's format: a JSON object of class → percent
/// (`--class-pcts-file`) and one of requestor regular expression → class (`--requestor-map-file`).
public enum SchedulingSettingsFiles {
    /// The class → percent map in `text`, or a usage error naming `path` and the problem.
    public static func classLoadPercents(_ text: String, path: String) throws(CLIFailure) -> [String: Int32] {
        var percents: [String: Int32] = [:]
        for (name, value) in try object(text, path: path, shape: #"{"land": 60, "diff": 40}"#) {
            guard case .number(let literal) = value, let percent = Int32(literal) else {
                throw .usage("\(path): class \"\(name)\": expected a whole number (percent), got \(Self.describe(value)); fix the file")
            }
            percents[name] = percent
        }
        return percents
    }

    /// The regex → class map in `text`, or a usage error naming `path` and the problem.
    public static func requestorToClassMap(_ text: String, path: String) throws(CLIFailure) -> [String: String] {
        var map: [String: String] = [:]
        for (pattern, value) in try object(text, path: path, shape: #"{"^land-.*": "land", ".*": "diff"}"#) {
            guard case .string(let className) = value else {
                throw .usage("\(path): requestor pattern \"\(pattern)\": expected a class name (string), got \(value.kindDescription); fix the file")
            }
            map[pattern] = className
        }
        return map
    }

    private static func object(_ text: String, path: String, shape: String) throws(CLIFailure) -> [(key: String, value: JSONValue)] {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw .usage("\(path): not valid JSON: \(error); fix the file")
        }
        guard case .object(let members) = document else {
            throw .usage("\(path): expected a JSON object such as \(shape), got \(document.kindDescription); fix the file")
        }
        return members
    }

    private static func describe(_ value: JSONValue) -> String {
        if case .number(let literal) = value { return literal }
        return value.kindDescription
    }
}
