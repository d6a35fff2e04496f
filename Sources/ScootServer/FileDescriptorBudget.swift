import Glibc

/// How many file descriptors `serve` may use, and how they are shared out so that accepting
/// connections can never use the last of them: the job log, the workers' output files and
/// pipes, and the metrics port keep a reserve, and the Thrift port's connection cap is what is
/// left when the configured cap does not fit.
struct FileDescriptorBudget: Sendable, Equatable {
    /// The soft limit after raising it.
    let limit: Int
    /// Kept for everything but client connections.
    let reserve: Int
    /// The Thrift port's connection cap.
    let thriftConnections: Int

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit (at most `ceiling`), then fits the caps.
    static func raiseAndShare(
        wantedThriftConnections: Int, httpConnections: Int, processWorkers: Int, ceiling: Int = 1 << 20
    ) -> FileDescriptorBudget {
        let unlimited = rlim_t.max  // RLIM_INFINITY
        var limits = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limits) == 0 {
            let hard = limits.rlim_max == unlimited ? rlim_t(ceiling) : min(limits.rlim_max, rlim_t(ceiling))
            if limits.rlim_cur < hard {
                var raised = limits
                raised.rlim_cur = hard
                if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { limits = raised }
            }
        }
        let limit = limits.rlim_cur == unlimited ? ceiling : Int(limits.rlim_cur)
        return share(limit: limit, wantedThriftConnections: wantedThriftConnections, httpConnections: httpConnections, processWorkers: processWorkers)
    }

    /// The caps for `limit` descriptors: 64 for the process itself (the job log and its WAL,
    /// the event loops, the listeners, standard streams), 8 per process worker (a run's output
    /// files, pipes and directory) and the metrics port's connections are kept back.
    static func share(limit: Int, wantedThriftConnections: Int, httpConnections: Int, processWorkers: Int) -> FileDescriptorBudget {
        let reserve = 64 + 8 * processWorkers + httpConnections
        return FileDescriptorBudget(limit: limit, reserve: reserve, thriftConnections: max(0, min(wantedThriftConnections, limit - reserve)))
    }
}
