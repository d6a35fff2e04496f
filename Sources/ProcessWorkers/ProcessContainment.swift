import CRunKeeper
import Foundation
import Glibc

/// How the processes of a run are kept together, so that stopping the run (abort, timeout, or
/// the end of its main process) stops every one of them, including those that left the run's
/// process group or session (`setsid`).
///
/// Every run has a keeper: a small process forked from the server that starts the command and
/// is a child subreaper (`PR_SET_CHILD_SUBREAPER`), so every process of the run stays its
/// descendant and orphans are reaped by it, never by the server (see `CRunKeeper`). The
/// containment adds, where the system allows it, a cgroup:
/// - **cgroup**: each run's command starts in a cgroup (v2) of its own under the server's,
///   killed with `cgroup.kill`, which no process of the run can outrun by forking; then
///   removed. Used when the server's own cgroup v2 directory is writable and a process can be
///   started in a child of it (Linux 5.14 or later for `cgroup.kill`). Cgroups left by a server
///   that is gone (its runs outlive it) are removed at detection once they are empty.
/// - **process tree**: the run's processes are found by following parent pids from the keeper
///   in `/proc`, and signalled one by one until none is left.
public struct ProcessContainment: Sendable, CustomStringConvertible {
    /// Which containment to look for.
    public enum Preference: String, Sendable, Hashable, CaseIterable {
        /// cgroup containment where it works here, else process tree.
        case automatic = "auto"
        /// Process tree even where cgroups would work.
        case processTree = "process-tree"
    }

    /// The containment in use.
    public enum Mode: Sendable, Hashable {
        case cgroup
        case processTree
    }

    /// The containment in use.
    public let mode: Mode
    /// Why this one: cgroups are writable, or why they are not used.
    public let reason: String
    /// The cgroup v2 directory under which each run gets its cgroup (cgroup mode only).
    let cgroupParent: String?

    /// The containment, why, and what it does, as `serve` logs it at start.
    public var description: String {
        switch mode {
        case .cgroup:
            "cgroup (\(reason)): a cgroup per run under \(cgroupParent ?? ""), killed with cgroup.kill, and a subreaper keeper per run"
        case .processTree: "process tree (\(reason)): a subreaper keeper per run, whose every descendant is killed through /proc"
        }
    }

    /// Process-tree containment, with the reason it is used.
    static func processTree(because reason: String) -> ProcessContainment {
        ProcessContainment(mode: .processTree, reason: reason, cgroupParent: nil)
    }

    /// Finds out which containment works here, on a thread of its own (it creates a probe
    /// cgroup and starts a process in it, which blocks for a moment).
    public static func detect(_ preference: Preference) async -> ProcessContainment {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: detectBlocking(preference)) }
        }
    }

    /// `detect`, on the calling thread.
    static func detectBlocking(_ preference: Preference) -> ProcessContainment {
        guard preference == .automatic else { return .processTree(because: "process-tree containment asked for") }
        switch probeCgroups() {
        case .usable(let directory):
            removeStaleRunCgroups(in: directory)
            return ProcessContainment(mode: .cgroup, reason: "cgroup v2 is writable here", cgroupParent: directory)
        case .unusable(let problem): return .processTree(because: "cgroup v2 not usable: \(problem)")
        }
    }

    /// What the cgroup probe found.
    private enum CgroupProbe {
        /// Runs can have cgroups under this directory.
        case usable(String)
        /// What stands in the way.
        case unusable(String)
    }

    /// Whether runs can have cgroups under the server's own cgroup v2 directory: a child cgroup
    /// can be created there, it has `cgroup.kill`, and a process can be started in it.
    private static func probeCgroups() -> CgroupProbe {
        guard let membership = try? String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8),
            let line = membership.split(separator: "\n").first(where: { $0.hasPrefix("0::") })
        else { return .unusable("this process is in no cgroup v2 hierarchy (/proc/self/cgroup)") }
        let ownPath = String(line.dropFirst(3))
        guard let mounts = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8),
            let directory = cgroupDirectory(of: ownPath, mountInfo: mounts)
        else { return .unusable("no cgroup2 file system mounted for \(ownPath)") }

        // A name of its own: detections may run concurrently.
        let probe = "\(directory)/scoot-console-\(getpid())-probe-\(UUID().uuidString)"
        if mkdir(probe, 0o755) != 0 {
            let code = errno
            return .unusable("cannot create a cgroup in \(directory): \(systemErrorText(code))")
        }
        defer { rmdir(probe) }
        if access(probe + "/cgroup.kill", W_OK) != 0 {
            let code = errno
            return .unusable("no writable cgroup.kill in \(directory) (Linux 5.14 or later needed): \(systemErrorText(code))")
        }
        let descriptor = open(probe, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor < 0 {
            let code = errno
            return .unusable("cannot open \(probe): \(systemErrorText(code))")
        }
        defer { close(descriptor) }
        let result = scoot_probe_clone_into_cgroup(descriptor)
        guard result == 0 else { return .unusable("cannot start a process in a cgroup of \(directory): \(systemErrorText(result))") }
        return .usable(directory)
    }

    /// Removes the empty run cgroups (`scoot-console-<pid>-<n>`) of servers that are gone; a
    /// cgroup whose processes still run is busy and stays.
    private static func removeStaleRunCgroups(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix("scoot-console-") {
            guard let owner = pid_t(name.dropFirst("scoot-console-".count).prefix { $0 != "-" }), owner != getpid(),
                kill(owner, 0) == -1, errno == ESRCH
            else { continue }
            rmdir(directory + "/" + name)
        }
    }

    /// The directory of cgroup `path` (as `/proc/self/cgroup` names it) in the cgroup2 mount
    /// that contains it, from `/proc/self/mountinfo` ("id parent dev root mountpoint … - cgroup2 …").
    static func cgroupDirectory(of path: String, mountInfo: String) -> String? {
        for line in mountInfo.split(separator: "\n") {
            let halves = line.split(separator: " - ", maxSplits: 1)
            guard halves.count == 2, halves[1].hasPrefix("cgroup2 ") else { continue }
            let fields = halves[0].split(separator: " ")
            guard fields.count >= 5 else { continue }
            let root = String(fields[3])
            let mountPoint = String(fields[4])
            let relative: Substring
            if root == "/" {
                relative = Substring(path)
            } else if path == root || path.hasPrefix(root + "/") {
                relative = path.dropFirst(root.count)
            } else {
                continue
            }
            return relative == "/" || relative.isEmpty ? mountPoint : mountPoint + relative
        }
        return nil
    }
}
