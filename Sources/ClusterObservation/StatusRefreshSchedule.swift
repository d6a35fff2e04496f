/// Which jobs' statuses to read from a plain Scoot scheduler next. Real Scoot rebuilds a status
/// from its saga log on every GetStatus (about 100 ms of disk work for a 1,000-task job), so
/// reads are budgeted: at most `readsPerSecond` a second (a token bucket holding one second's
/// worth), none for the same job within `minimumInterval` unless it is urgent (just added or
/// killed); urgent jobs first, then never-read ones, then jobs seen running on workers, then the
/// longest unread.
public struct StatusRefreshSchedule: Sendable {
    /// A job that may be read.
    public struct Candidate: Sendable, Hashable {
        /// The job id.
        public var jobID: String
        /// When its status was last read (ms since the epoch), nil if never.
        public var lastReadAtMs: Int64?
        /// Whether a worker reports one of its tasks running.
        public var runningOnWorker: Bool
        /// Read it as soon as the budget allows, whatever `minimumInterval` says.
        public var urgent: Bool

        /// Creates a candidate.
        public init(jobID: String, lastReadAtMs: Int64?, runningOnWorker: Bool, urgent: Bool = false) {
            self.jobID = jobID
            self.lastReadAtMs = lastReadAtMs
            self.runningOnWorker = runningOnWorker
            self.urgent = urgent
        }
    }

    /// The most reads a second.
    public let readsPerSecond: Int
    /// The least time between two reads of one job, in milliseconds.
    public let minimumIntervalMs: Int64
    private var tokens: Double
    private var refilledAtMs: Int64?

    /// A schedule with Scoot-friendly defaults: 10 reads a second, 5 s between reads of a job.
    public init(readsPerSecond: Int = 10, minimumInterval: Duration = .seconds(5)) {
        self.readsPerSecond = max(1, readsPerSecond)
        minimumIntervalMs = minimumInterval.components.seconds * 1000 + minimumInterval.components.attoseconds / 1_000_000_000_000_000
        tokens = Double(self.readsPerSecond)
    }

    /// The jobs to read now, in order; spends one token for each.
    public mutating func due(_ candidates: [Candidate], nowMs: Int64) -> [String] {
        refill(nowMs: nowMs)
        let eligible = candidates.filter { candidate in
            guard !candidate.urgent, let last = candidate.lastReadAtMs else { return true }
            return nowMs - last >= minimumIntervalMs
        }
        // Urgent first, then never read, then running on a worker, then the longest unread.
        func rank(_ candidate: Candidate) -> Int { candidate.urgent ? 0 : (candidate.lastReadAtMs == nil ? 1 : 2) }
        let ordered = eligible.sorted { a, b in
            if rank(a) != rank(b) { return rank(a) < rank(b) }
            if a.runningOnWorker != b.runningOnWorker { return a.runningOnWorker }
            if a.lastReadAtMs != b.lastReadAtMs { return (a.lastReadAtMs ?? .min) < (b.lastReadAtMs ?? .min) }
            return a.jobID < b.jobID
        }
        let count = min(ordered.count, Int(tokens.rounded(.down)))
        tokens -= Double(count)
        return ordered.prefix(count).map(\.jobID)
    }

    private mutating func refill(nowMs: Int64) {
        defer { refilledAtMs = nowMs }
        guard let refilledAtMs, nowMs > refilledAtMs else { return }
        tokens = min(Double(readsPerSecond), tokens + Double(nowMs - refilledAtMs) * Double(readsPerSecond) / 1000)
    }
}
