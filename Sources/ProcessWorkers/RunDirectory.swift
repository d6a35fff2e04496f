import Foundation
import Glibc
import SchedulerCore

/// The directory a run works in, `<data>/runs/<jobID>/<taskID>/<attemptID>/`, holding the files
/// that receive the command's standard output and standard error.
struct RunDirectory {
    /// The directory's absolute path.
    let path: String

    /// Where the command's standard output goes.
    var standardOutputPath: String { path + "/stdout" }
    /// Where the command's standard error goes.
    var standardErrorPath: String { path + "/stderr" }

    /// Creates the run's directory (and its parents). Attempt numbers restart with the server, so
    /// when the attempt's directory already exists, from a run before a restart, the new one gets
    /// a suffix (`3.1`, `3.2`, …) rather than overwriting that run's output.
    static func create(under dataDirectory: URL, for request: RunRequest) throws(LaunchFailure) -> RunDirectory {
        let parent = [dataDirectory.path, "runs", fileName(for: request.task.jobID), fileName(for: request.task.taskID)]
            .joined(separator: "/")
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw LaunchFailure("cannot create directory \(parent): \(error.localizedDescription)")
        }
        var name = "\(request.attemptID)"
        var suffix = 0
        while mkdir(parent + "/" + name, 0o755) != 0 {
            let code = errno
            guard code == EEXIST else { throw LaunchFailure("cannot create directory \(parent)/\(name): \(systemErrorText(code))") }
            suffix += 1
            name = "\(request.attemptID).\(suffix)"
        }
        return RunDirectory(path: parent + "/" + name)
    }

    /// A job or task id as one readable, unambiguous path component: `%`, `/`, NUL and other
    /// control characters are percent-encoded, and so are the ids `.` and `..` (and the empty id),
    /// so no id can leave its parent directory.
    static func fileName(for id: String) -> String {
        switch id {
        case "": return "%"
        case ".": return "%2E"
        case "..": return "%2E%2E"
        default:
            var name = ""
            for scalar in id.unicodeScalars {
                if scalar == "%" || scalar == "/" || scalar.value < 0x20 || scalar.value == 0x7F {
                    name += "%" + String(format: "%02X", scalar.value)
                } else {
                    name.unicodeScalars.append(scalar)
                }
            }
            return name
        }
    }
}
