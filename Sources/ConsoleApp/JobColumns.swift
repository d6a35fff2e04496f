import ScootAPI

/// The Jobs table's columns and how each sorts.
public enum JobColumns {
    /// Column titles, in order.
    public static let titles = ["ID", "REQUESTOR", "CLASS", "TAG", "BASIS", "PRI", "STATUS", "DONE", "RUN", "WAIT", "FAIL", "AGE"]
    /// The BASIS column, left out of narrow tables.
    static let basis = 4

    /// `jobs` sorted by column `column` (ties: newest first).
    public static func sorted(_ jobs: [JobSummary], column: Int, descending: Bool) -> [JobSummary] {
        let ordered = jobs.sorted { lhs, rhs in
            let order = compare(lhs, rhs, column: column)
            return order == 0 ? lhs.submittedAtMs > rhs.submittedAtMs : order < 0
        }
        return descending ? ordered.reversed() : ordered
    }

    private static func compare(_ lhs: JobSummary, _ rhs: JobSummary, column: Int) -> Int {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a > b ? 1 : 0) }
        switch column {
        case 0: return order(lhs.id, rhs.id)
        case 1: return order(lhs.requestor, rhs.requestor)
        case 2: return order(lhs.className, rhs.className)
        case 3: return order(lhs.tag, rhs.tag)
        case 4: return order(lhs.basis, rhs.basis)
        case 5: return order(rhs.priority, lhs.priority)
        case 6: return order(lhs.status.rawValue, rhs.status.rawValue)
        case 7: return order(rhs.completedTasks, lhs.completedTasks)
        case 8: return order(rhs.runningTasks, lhs.runningTasks)
        case 9: return order(rhs.waitingTasks, lhs.waitingTasks)
        case 10: return order(rhs.failedTasks, lhs.failedTasks)
        default: return order(rhs.submittedAtMs, lhs.submittedAtMs)
        }
    }
}

/// A parsed `/` filter: free words match id, requestor, tag or basis; `class:`, `status:` and
/// `requestor:` match those fields (prefix, case-insensitive).
public struct JobFilterQuery: Sendable {
    private var words: [String] = []
    private var fields: [(String, String)] = []

    public init(_ text: String) {
        for token in text.lowercased().split(separator: " ") {
            if let colon = token.firstIndex(of: ":"), ["class", "status", "requestor"].contains(String(token[..<colon])) {
                fields.append((String(token[..<colon]), String(token[token.index(after: colon)...])))
            } else {
                words.append(String(token))
            }
        }
    }

    /// `status:` values: running, waiting, failed (any failed task), killed, done/completed, or a
    /// prefix of the job status name (`in_progress`, `not_started`).
    private static func status(of job: JobSummary, is value: String) -> Bool {
        switch value {
        case "running": return job.runningTasks > 0
        case "waiting": return job.waitingTasks > 0 && job.runningTasks == 0
        case "failed": return job.failedTasks > 0
        case "killed": return job.killed
        case "done", "completed", "finished": return job.status == .completed
        default: return job.status.name.replacingUnderscores().hasPrefix(value.replacingUnderscores())
        }
    }

    /// Whether `job` passes the filter.
    public func matches(_ job: JobSummary) -> Bool {
        for (field, value) in fields {
            if field == "status" {
                guard Self.status(of: job, is: value) else { return false }
                continue
            }
            let actual = field == "class" ? job.className : job.requestor
            guard actual.lowercased().hasPrefix(value) else { return false }
        }
        guard !words.isEmpty else { return true }
        let haystack = [job.id, job.requestor, job.tag, job.basis].joined(separator: " ").lowercased()
        return words.allSatisfy { haystack.contains($0) }
    }
}

extension String {
    /// `IN_PROGRESS` → `in progress`-insensitive comparisons: underscores removed, lowercased.
    func replacingUnderscores() -> String { lowercased().filter { $0 != "_" } }
}
