import Foundation
import HostEnvironment

/// The audit log: one JSON object per line, appended by every state-changing action of the
/// console and the CLI, at `$XDG_STATE_HOME/scoot-console/audit.jsonl`
/// (`~/.local/state/scoot-console/audit.jsonl` without it; `SCOOT_CONSOLE_AUDIT_LOG` overrides).
///
/// Each entry is one `write(2)` to a file opened with `O_APPEND`, so lines from concurrent
/// processes never interleave, and the file is synced before `append` returns. The file is opened
/// with `O_NOFOLLOW` and must be a regular file owned by the user: a symlink planted where the
/// log goes (to make the console append to another file) or someone else's file is refused.
public struct AuditLog: Sendable {
    /// Why the log could not be written or read.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The log file.
    public let path: String

    /// A log at `path`.
    public init(path: String) {
        self.path = path
    }

    /// The log at the default place for `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        path = Self.defaultPath(environment: environment)
    }

    /// `SCOOT_CONSOLE_AUDIT_LOG`, else `$XDG_STATE_HOME/scoot-console/audit.jsonl`, else
    /// `$HOME/.local/state/scoot-console/audit.jsonl`.
    public static func defaultPath(environment: [String: String]) -> String {
        if let path = environment["SCOOT_CONSOLE_AUDIT_LOG"], !path.isEmpty { return path }
        return HostEnvironment.stateDirectory(environment: environment) + "/audit.jsonl"
    }

    /// Appends `entry` as one line; creates the directory (mode 0700) and file (0600) if needed.
    public func append(_ entry: AuditEntry) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(entry) else { throw Failure(description: "cannot encode the audit entry for \(entry.action)") }
        line.append(UInt8(ascii: "\n"))
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw Failure(description: "cannot create \(directory) for the audit log: \(error.localizedDescription)")
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == ELOOP { throw Failure(description: "the audit log \(path) is a symbolic link; refusing to follow it (point SCOOT_CONSOLE_AUDIT_LOG at a regular file)") }
            throw Failure(description: "cannot open the audit log \(path): \(String(cString: strerror(code)))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure(description: "cannot check the audit log \(path): \(String(cString: strerror(errno)))") }
        guard status.st_mode & S_IFMT == S_IFREG else { throw Failure(description: "the audit log \(path) is not a regular file; refusing to write to it") }
        guard status.st_uid == geteuid() else {
            throw Failure(description: "the audit log \(path) belongs to user id \(status.st_uid), not to you (\(geteuid())); refusing to write to it")
        }
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else {
            throw Failure(description: "cannot write the audit log \(path): \(written < 0 ? String(cString: strerror(errno)) : "short write")")
        }
        guard fsync(descriptor) == 0 else { throw Failure(description: "cannot sync the audit log \(path): \(String(cString: strerror(errno)))") }
    }

    /// What `read` found: the last entries, oldest first, and how many lines could not be read
    /// (a torn or hand-edited line is skipped, never fatal).
    public struct Contents: Sendable, Hashable {
        public var entries: [AuditEntry]
        public var unreadableLines: Int
    }

    /// The last `limit` entries. A missing file is an empty log.
    public func read(last limit: Int = 1000) throws(Failure) -> Contents {
        guard FileManager.default.fileExists(atPath: path) else { return Contents(entries: [], unreadableLines: 0) }
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "cannot read the audit log \(path)") }
        let decoder = JSONDecoder()
        var entries: [AuditEntry] = []
        var unreadable = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let entry = try? decoder.decode(AuditEntry.self, from: Data(line)) { entries.append(entry) } else { unreadable += 1 }
        }
        return Contents(entries: Array(entries.suffix(max(0, limit))), unreadableLines: unreadable)
    }
}
