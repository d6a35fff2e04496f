import ScootAPI

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

    /// `status:` takes the STATUS column's words (`running`, `waiting`, `done`, `failed`,
    /// `killed`, `preempted`, `unknown`, or a prefix of one), `finished` for any finished job, or
    /// a Scoot status name (`in_progress`, `not_started`, `completed`).
    private static func status(of row: JobRow, is value: String) -> Bool {
        if value == "finished" { return row.job.status == .completed }
        if !value.isEmpty, row.state.rawValue.hasPrefix(value) { return true }
        if JobState.allCases.contains(where: { $0.rawValue.hasPrefix(value) }) { return false }
        return row.job.status.name.replacingUnderscores().hasPrefix(value.replacingUnderscores())
    }

    /// Whether `row` passes the filter.
    func matches(_ row: JobRow) -> Bool {
        let job = row.job
        for (field, value) in fields {
            if field == "status" {
                guard Self.status(of: row, is: value) else { return false }
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
    /// `IN_PROGRESS` → `inprogress`, for underscore-insensitive comparisons (lowercased).
    func replacingUnderscores() -> String { lowercased().filter { $0 != "_" } }
}
