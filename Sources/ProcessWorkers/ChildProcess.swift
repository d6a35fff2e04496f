import Glibc

/// Waiting for one specific child (never `waitpid(-1)`, which would steal the exit statuses of
/// children that other parts of the process wait for).
enum ChildProcess {
    /// How a child ended.
    enum Termination: Hashable {
        /// It called `exit` with this code.
        case exited(code: Int32)
        /// A signal killed it.
        case signaled(Int32)
        /// Its exit status is unknown: someone else reaped it (the error names the cause).
        case lost(errno: Int32)

        /// Decodes a `waitpid` status (the `WIFEXITED`/`WTERMSIG` macros, which Swift cannot import).
        init(waitStatus: Int32) {
            let signal = waitStatus & 0x7F
            self = signal == 0 ? .exited(code: (waitStatus >> 8) & 0xFF) : .signaled(signal)
        }
    }

    /// Blocks until `pid` has ended but leaves it a zombie, so that neither its pid nor its
    /// process group id can be reused while we may still signal the group. False when `pid` is
    /// no longer ours to wait for (reaped elsewhere).
    static func waitUntilEnded(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 {
            guard errno == EINTR else { return false }
        }
        return true
    }

    /// Reaps `pid`, which has ended, and tells how it ended.
    static func reap(_ pid: pid_t) -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return .lost(errno: errno) }
        }
        return Termination(waitStatus: status)
    }
}
