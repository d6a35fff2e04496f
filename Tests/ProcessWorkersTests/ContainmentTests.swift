import Foundation
import Glibc
import SchedulerCore
import Testing

@testable import ProcessWorkers

/// Processes that leave the run's process group and session (`setsid`) are still the run's:
/// stops and the end of the main process kill them, in both containments.
@Suite struct ContainmentTests {
    /// How a run is stopped.
    enum Stop: CaseIterable, Sendable {
        case abort
        case timeout
    }

    /// Whether cgroup containment works on this machine.
    static func cgroupsAreUsable() async -> Bool {
        await ProcessContainment.detect(.automatic).mode == .cgroup
    }

    /// A shell script for `sh -c` that starts a child which leaves the process group and session
    /// (`setsid`), ignores SIGTERM, writes its pid, process group and session to `escaped.pid`
    /// in the run's directory and sleeps; then the script runs `rest`.
    static func escaping(then rest: String) -> String {
        "setsid sh -c 'trap \"\" TERM; echo $$ $(cut -d\" \" -f5,6 /proc/self/stat) > escaped.pid; exec sleep 300' & \(rest)"
    }

    /// A command whose escaping child outlives it unless killed; the main process sleeps on.
    static let escapingCommand = ["sh", "-c", escaping(then: "sleep 300")]

    @Test func theContainmentIsLoggedOnceAtStart() async throws {
        let harness = try await RunHarness(containment: .processTree)
        #expect(harness.workers.containment.mode == .processTree)
        #expect(harness.log.lines == [
            "info: process containment: process tree (process-tree containment asked for): a subreaper keeper per run, whose every descendant is killed through /proc"
        ])
    }

    @Test(.enabled("cgroup v2 is writable here") { await cgroupsAreUsable() })
    func automaticContainmentUsesACgroupWhereOneIsWritable() async throws {
        let harness = try await RunHarness(containment: .automatic)
        #expect(harness.workers.containment.mode == .cgroup)
        let line = try #require(harness.log.lines.first)
        #expect(line.hasPrefix("info: process containment: cgroup (cgroup v2 is writable here): a cgroup per run under /"))
        #expect(harness.log.lines.count == 1)
    }

    @Test(arguments: Stop.allCases)
    func aSetsidChildIsKilledByAStopInProcessTreeContainment(_ stop: Stop) async throws {
        try await checkEscapedChildIsKilled(by: stop, containment: .processTree)
    }

    @Test(.enabled("cgroup v2 is writable here") { await cgroupsAreUsable() }, arguments: Stop.allCases)
    func aSetsidChildIsKilledByAStopInCgroupContainment(_ stop: Stop) async throws {
        try await checkEscapedChildIsKilled(by: stop, containment: .automatic)
    }

    @Test(arguments: [ProcessContainment.Preference.processTree, .automatic])
    func aSetsidOrphanLeftByAFinishedCommandIsKilled(_ preference: ProcessContainment.Preference) async throws {
        let harness = try await RunHarness(containment: preference)
        // The subshell exits at once, so its setsid child is an orphan before the main process ends.
        harness.start(["sh", "-c", "(\(Self.escaping(then: "exit 0"))); sleep 0.3; exit 0"])
        let escaped = try await escapedProcess(in: harness.runDirectory(attempt: "1")).pid
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .complete && outcome.final.exitCode == 0)
        // Gone, and reaped: not even a zombie is left.
        #expect(kill(escaped, 0) == -1 && errno == ESRCH)
    }

    @Test(.enabled("cgroup v2 is writable here") { await cgroupsAreUsable() })
    func theRunsCgroupHoldsEveryProcessAndIsRemovedAfterwards() async throws {
        let harness = try await RunHarness(containment: .automatic)
        harness.start(Self.escapingCommand)
        let pid = try await harness.running()
        let escaped = try await escapedProcess(in: harness.runDirectory(attempt: "1")).pid
        let mainCgroup = try cgroupDirectory(of: pid)
        #expect(try cgroupDirectory(of: escaped) == mainCgroup)
        #expect(mainCgroup.hasPrefix(harness.workers.containment.cgroupParent! + "/scoot-console-"))
        harness.workers.abortRun(attemptID: 1)
        _ = try await harness.outcome()
        #expect(!FileManager.default.fileExists(atPath: mainCgroup))
    }

    @Test(.enabled("cgroup v2 is writable here") { await cgroupsAreUsable() })
    func detectionRemovesEmptyCgroupsOfServersThatAreGone() async throws {
        let parent = try #require(await ProcessContainment.detect(.automatic).cgroupParent)
        let pidMax = try #require(pid_t(try String(contentsOfFile: "/proc/sys/kernel/pid_max", encoding: .utf8).dropLast()))
        // No process can have a pid above pid_max: that server is gone.
        let stale = "\(parent)/scoot-console-\(pidMax + 1)-7"
        let ours = "\(parent)/scoot-console-\(getpid())-test-\(UUID().uuidString)"
        #expect(mkdir(stale, 0o755) == 0 && mkdir(ours, 0o755) == 0)
        defer { rmdir(ours) }
        _ = await ProcessContainment.detect(.automatic)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: ours))
    }

    private func checkEscapedChildIsKilled(by stop: Stop, containment: ProcessContainment.Preference) async throws {
        let harness = try await RunHarness(killGracePeriod: .milliseconds(200), containment: containment)
        harness.start(Self.escapingCommand, timeout: stop == .timeout ? .seconds(1) : .seconds(60))
        let pid = try await harness.running()
        let escaped = try await escapedProcess(in: harness.runDirectory(attempt: "1"))
        // It really left the command's process group and session (as it saw itself).
        #expect(escaped.group != pid && escaped.session == escaped.pid)
        if stop == .abort { harness.workers.abortRun(attemptID: 1) }
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == (stop == .abort ? .aborted : .timedOut))
        // The run ends only once all its processes are gone (and reaped).
        #expect(kill(escaped.pid, 0) == -1 && errno == ESRCH)
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }
}

/// The pid, process group and session the escaping child writes to `escaped.pid` in
/// `directory`, once they are there.
func escapedProcess(in directory: String) async throws -> (pid: pid_t, group: pid_t, session: pid_t) {
    for _ in 0..<500 {
        if let text = try? String(contentsOfFile: directory + "/escaped.pid", encoding: .utf8), text.hasSuffix("\n") {
            let numbers = text.dropLast().split(separator: " ").compactMap { pid_t($0) }
            if numbers.count == 3 { return (numbers[0], numbers[1], numbers[2]) }
        }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw RunHarness.TimedOutWaiting()
}

/// The cgroup v2 directory of process `pid`, from `/proc/<pid>/cgroup` and the mount table.
func cgroupDirectory(of pid: pid_t) throws -> String {
    let membership = try String(contentsOfFile: "/proc/\(pid)/cgroup", encoding: .utf8)
    let line = try #require(membership.split(separator: "\n").first { $0.hasPrefix("0::") })
    let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
    return try #require(ProcessContainment.cgroupDirectory(of: String(line.dropFirst(3)), mountInfo: mounts))
}
