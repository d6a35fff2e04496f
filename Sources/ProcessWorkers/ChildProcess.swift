import Glibc

/// Ends of processes: decoding a wait status, and reaping one specific child (never
/// `waitpid(-1)`, which would steal the exit statuses of children that other parts of the
/// process wait for).
enum ChildProcess {
    /// How a process ended.
    enum Termination: Hashable {
        /// It called `exit` with this code.
        case exited(code: Int32)
        /// A signal killed it.
        case signaled(Int32)

        /// Decodes a `waitpid` status (the `WIFEXITED`/`WTERMSIG` macros, which Swift cannot import).
        init(waitStatus: Int32) {
            let signal = waitStatus & 0x7F
            self = signal == 0 ? .exited(code: (waitStatus >> 8) & 0xFF) : .signaled(signal)
        }
    }

    /// Reaps `pid`, blocking until it has ended. Someone else may have reaped it already
    /// (ECHILD); then there is nothing left to do either.
    static func reap(_ pid: pid_t) {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1, errno == EINTR {}
    }
}
