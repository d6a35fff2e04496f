import Glibc
import Logging
import Synchronization

/// A run's own cgroup (v2), `<parent>/scoot-console-<server pid>-<n>`, in cgroup containment:
/// the command starts in it (`CLONE_INTO_CGROUP`, so not even its first instructions run
/// outside), every process it starts inherits it, whatever its process group or session, and
/// `cgroup.kill` kills all of them at once, faster than any of them can fork.
struct RunCgroup {
    /// The cgroup's directory.
    let path: String
    /// The directory, opened for `CLONE_INTO_CGROUP`; closed by `remove`.
    let descriptor: Int32

    /// Numbers the cgroups of this process, so that concurrent runs (and sets of workers) never
    /// pick the same name.
    private static let sequence = Atomic<Int>(0)

    /// Creates a new cgroup under `parent`.
    static func create(under parent: String) throws(LaunchFailure) -> RunCgroup {
        while true {
            let number = sequence.add(1, ordering: .relaxed).newValue
            let path = "\(parent)/scoot-console-\(getpid())-\(number)"
            guard mkdir(path, 0o755) == 0 else {
                let code = errno
                // Left by an earlier server with the same pid: take the next number.
                if code == EEXIST { continue }
                throw LaunchFailure("cannot create the run's cgroup \(path): \(systemErrorText(code))")
            }
            let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else {
                let code = errno
                rmdir(path)
                throw LaunchFailure("cannot open the run's cgroup \(path): \(systemErrorText(code))")
            }
            return RunCgroup(path: path, descriptor: descriptor)
        }
    }

    /// The pids in the cgroup now.
    func members() -> [pid_t] {
        ProcFile.numbers(in: path + "/cgroup.procs")
    }

    /// SIGKILL to every process in the cgroup, including those forked while it is delivered.
    func killAll() {
        _ = ProcFile.write("1", to: path + "/cgroup.kill")
    }

    /// Removes the cgroup once its processes are gone. A cgroup still populated (a process that
    /// left the run's process tree but not its cgroup, or one still exiting) is killed again and
    /// retried for up to half a second; after that it is left, with a warning.
    func remove(logger: Logger) {
        close(descriptor)
        var pause: UInt32 = 1_000
        var waited: UInt32 = 0
        while rmdir(path) != 0 {
            let code = errno
            guard code == EBUSY, waited < 500_000 else {
                logger.warning("cannot remove the run's cgroup \(path): \(systemErrorText(code))")
                return
            }
            killAll()
            usleep(pause)
            waited += pause
            pause = min(pause * 2, 100_000)
        }
    }
}
