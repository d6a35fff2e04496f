import Foundation
import Testing
@testable import AuditLog
import HostEnvironment

@Suite("Audit log")
struct AuditLogTests {
    func temporaryLog() -> AuditLog {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)")
        return AuditLog(path: directory.appendingPathComponent("nested/audit.jsonl").path)
    }

    @Test func appendsOneSortedJSONLinePerEntryAndReadsThemBack() throws {
        let log = temporaryLog()
        let time = Date(timeIntervalSince1970: 1_800_000_000.25)
        try log.append(AuditEntry(
            time: time, operatorName: "alice", endpoint: "127.0.0.1:9090", source: "cli", action: "set-rebalance-threshold",
            arguments: ["threshold": "30"], before: "0", after: "30", outcome: .ok))
        try log.append(AuditEntry(
            time: time, operatorName: "bob", endpoint: "127.0.0.1:9090", source: "console", action: "kill-job", arguments: ["job": "j1"],
            outcome: .refused, error: "read-only"))
        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        #expect(text == """
            {"action":"set-rebalance-threshold","after":"30","arguments":{"threshold":"30"},"before":"0","endpoint":"127.0.0.1:9090","operator":"alice","outcome":"ok","source":"cli","time":"2027-01-15T08:00:00.250Z"}
            {"action":"kill-job","arguments":{"job":"j1"},"endpoint":"127.0.0.1:9090","error":"read-only","operator":"bob","outcome":"refused","source":"console","time":"2027-01-15T08:00:00.250Z"}

            """)
        let contents = try log.read()
        #expect(contents.entries.map(\.operatorName) == ["alice", "bob"])
        #expect(contents.unreadableLines == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: log.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func aTornLineIsSkippedAndCounted() throws {
        let log = temporaryLog()
        try log.append(AuditEntry(endpoint: "e", source: "cli", action: "kill-job", outcome: .ok))
        let handle = try #require(FileHandle(forWritingAtPath: log.path))
        handle.seekToEndOfFile()
        handle.write(Data("{\"action\":\"kill-jo".utf8))
        try handle.close()
        try log.append(AuditEntry(endpoint: "e", source: "cli", action: "offline-worker", outcome: .error, error: "no such node"))
        let contents = try log.read()
        #expect(contents.entries.map(\.action) == ["kill-job"], "the torn line swallowed the next one up to its newline")
        #expect(contents.unreadableLines == 1)
    }

    @Test func readKeepsTheLastEntries() throws {
        let log = temporaryLog()
        for index in 0..<5 { try log.append(AuditEntry(endpoint: "e", source: "cli", action: "a\(index)", outcome: .ok)) }
        #expect(try log.read(last: 2).entries.map(\.action) == ["a3", "a4"])
        #expect(try AuditLog(path: log.path + ".missing").read().entries.isEmpty)
    }

    @Test func concurrentAppendsNeverInterleave() async throws {
        let log = temporaryLog()
        try log.append(AuditEntry(endpoint: "e", source: "cli", action: "first", outcome: .ok))
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask { try? log.append(AuditEntry(endpoint: "e", source: "cli", action: "a\(index)", arguments: ["pad": String(repeating: "x", count: 500)], outcome: .ok)) }
            }
        }
        let contents = try log.read(last: 1000)
        #expect(contents.entries.count == 201)
        #expect(contents.unreadableLines == 0)
    }

    @Test func defaultPathFollowsXDGAndTheOverride() {
        #expect(AuditLog.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.local/state/scoot-console/audit.jsonl")
        #expect(AuditLog.defaultPath(environment: ["HOME": "/home/a", "XDG_STATE_HOME": "/state"]) == "/state/scoot-console/audit.jsonl")
        #expect(AuditLog.defaultPath(environment: ["HOME": "/home/a", "XDG_STATE_HOME": "relative"]) == "/home/a/.local/state/scoot-console/audit.jsonl",
                "XDG says relative paths are invalid and must be ignored")
        #expect(AuditLog.defaultPath(environment: ["SCOOT_CONSOLE_AUDIT_LOG": "/tmp/a.jsonl", "XDG_STATE_HOME": "/state"]) == "/tmp/a.jsonl")
    }

    @Test func anUnwritablePlaceIsAClearError() {
        let log = AuditLog(path: "/proc/version/audit.jsonl")
        #expect(throws: AuditLog.Failure.self) { try log.append(AuditEntry(endpoint: "e", source: "cli", action: "kill-job", outcome: .ok)) }
    }
}

@Suite("One user identity and one reading of the XDG rules")
struct HostEnvironmentTests {
    @Test func aRelativeXDGDirectoryIsIgnoredEverywhere() {
        let relative = ["XDG_STATE_HOME": "state", "XDG_CONFIG_HOME": "config", "HOME": "/home/ops"]
        #expect(HostEnvironment.stateDirectory(environment: relative) == "/home/ops/.local/state/scoot-console")
        #expect(HostEnvironment.configDirectory(environment: relative) == "/home/ops/.config/scoot-console")
        let absolute = ["XDG_STATE_HOME": "/var/state", "XDG_CONFIG_HOME": "/etc/ops", "HOME": "/home/ops"]
        #expect(HostEnvironment.stateDirectory(environment: absolute) == "/var/state/scoot-console")
        #expect(AuditLog.defaultPath(environment: absolute) == "/var/state/scoot-console/audit.jsonl", "the audit log follows the same rule")
    }

    @Test func everyEntryNamesTheSameUser() {
        let entry = AuditEntry(endpoint: "e", source: .cli, action: .setMaxTasks(3), outcome: .ok)
        #expect(entry.operatorName == HostEnvironment.userName && !entry.operatorName.isEmpty)
        #expect(entry.action == "set-scheduler-status" && entry.arguments == ["maxTasks": "3"] && entry.source == "cli")
    }
}

@Suite("Audit log: only our own regular file")
struct AuditLogTargetTests {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("audit-target-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static let entry = AuditEntry(endpoint: "x", source: .cli, action: .killJob(ids: ["j"]), outcome: .ok)

    /// A symlink planted where the log goes made every action append to the file it points at.
    @Test func aSymlinkIsRefusedAndItsTargetUntouched() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let victim = directory.appendingPathComponent("victim")
        try Data("precious\n".utf8).write(to: victim)
        let log = directory.appendingPathComponent("audit.jsonl")
        try FileManager.default.createSymbolicLink(at: log, withDestinationURL: victim)
        let error = #expect(throws: AuditLog.Failure.self) { try AuditLog(path: log.path).append(Self.entry) }
        #expect(error?.description.contains("is a symbolic link") == true, "\(String(describing: error))")
        #expect(try String(contentsOf: victim, encoding: .utf8) == "precious\n")
    }

    @Test func aFileOfAnotherUserOrNotARegularFileIsRefused() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent("fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        let notRegular = #expect(throws: AuditLog.Failure.self) {
            // O_NONBLOCK is not used for the log; open a FIFO's writer only with a reader present.
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            defer { close(reader) }
            try AuditLog(path: fifo).append(Self.entry)
        }
        #expect(notRegular?.description.contains("not a regular file") == true, "\(String(describing: notRegular))")
        guard geteuid() == 0 else { return }  // only root can give a file away
        let foreign = directory.appendingPathComponent("foreign.jsonl").path
        #expect(FileManager.default.createFile(atPath: foreign, contents: Data()))
        #expect(chown(foreign, 4242, 4242) == 0)
        let error = #expect(throws: AuditLog.Failure.self) { try AuditLog(path: foreign).append(Self.entry) }
        #expect(error?.description.contains("belongs to user id 4242") == true, "\(String(describing: error))")
    }
}
