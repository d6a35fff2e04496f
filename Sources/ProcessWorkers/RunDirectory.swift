import Foundation
import Glibc
import SchedulerCore

/// The directory a run works in, `<data>/runs/<job>/<task>/<attemptID>/`, holding the files
/// that receive the command's standard output and standard error.
///
/// `<job>` and `<task>` are the 16 hex digits of the ids' FNV-1a 64-bit hash (`IDDirectory`),
/// so that ids of any length and content make short, safe names; each of these directories
/// holds its id, byte for byte, in a file named `id`.
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
        let runs = dataDirectory.path + "/runs"
        do {
            try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
        } catch {
            throw LaunchFailure("cannot create directory \(runs): \(error.localizedDescription)")
        }
        let job = try IDDirectory.open(for: request.task.jobID, in: runs)
        let parent = try IDDirectory.open(for: request.task.taskID, in: job)
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
}

/// A directory named by the hash of an id (a job's or a task's), holding the id in its file `id`.
enum IDDirectory {
    /// Name suffixes tried after the bare hash when other ids hash alike (`<hash>-1` …); more
    /// ids with one hash than this make the run fail.
    static let maximumCollisions = 64

    /// The directory of `id` in `parent`, created (with its `id` file) when missing. A directory
    /// of the same hash that holds another id is a collision: the next suffix is tried. A new
    /// directory is prepared under a temporary name with its `id` file, then renamed into place,
    /// so that a directory with that name always holds its id, even to concurrent runs of the
    /// same job; when two runs race, the loser finds the winner's directory and uses it.
    static func open(for id: String, in parent: String) throws(LaunchFailure) -> String {
        let hash = name(for: id)
        let idBytes = Data(id.utf8)
        for suffix in 0...maximumCollisions {
            let path = parent + "/" + (suffix == 0 ? hash : "\(hash)-\(suffix)")
            if let existing = FileManager.default.contents(atPath: path + "/id") {
                if existing == idBytes { return path }
                continue
            }
            if FileManager.default.fileExists(atPath: path) {
                // Renamed into place by a concurrent run since the first look, or a directory
                // without an id (not ours to use).
                if FileManager.default.contents(atPath: path + "/id") == idBytes { return path }
                continue
            }
            let temporary = parent + "/.new-" + UUID().uuidString
            do {
                try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: false)
                try idBytes.write(to: URL(fileURLWithPath: temporary + "/id"))
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw LaunchFailure("cannot create directory \(path): \(error.localizedDescription)")
            }
            if rename(temporary, path) == 0 { return path }
            try? FileManager.default.removeItem(atPath: temporary)
            // Another run created it first: it is ours if it holds our id.
            if FileManager.default.contents(atPath: path + "/id") == idBytes { return path }
        }
        throw LaunchFailure("cannot create a directory for id '\(id.prefix(100))': \(maximumCollisions + 1) other ids share its hash \(hash)")
    }

    /// The FNV-1a 64-bit hash of the id's UTF-8 bytes, as 16 lowercase hex digits.
    static func name(for id: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
