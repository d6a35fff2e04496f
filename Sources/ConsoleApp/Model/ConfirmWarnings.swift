import ScootAPI

/// What is legal but suspicious about an action, from what the console knows: a confirmation
/// with a warning asks a second time before anything is sent.
enum ConfirmWarnings {
    /// The warnings for `action` on `state`, in words (empty when nothing is suspicious).
    static func of(_ action: ConsoleAction, state: ConsoleState) -> [String] {
        var warnings: [String] = []
        if case .disconnected = state.connection, let snapshot = state.snapshot {
            let age = snapshot.load.map { ageText(fromMs: $0.computedAtMs, nowMs: ThriftDataSource.epochMilliseconds()) }
            warnings.append("the console is disconnected: what this dialog shows is the last data\(age.map { " (\($0) old)" } ?? "")")
        }
        switch action {
        case .killJobs(let ids):
            let jobs = Dictionary((state.snapshot?.jobs ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let unlisted = ids.filter { jobs[$0] == nil }
            let finished = ids.filter { jobs[$0]?.status == .completed || jobs[$0]?.status == .rolledBack }
            if !finished.isEmpty {
                warnings.append("finished already: \(finished.prefix(3).joined(separator: ", "))\(finished.count > 3 ? " …" : ""); the scheduler will refuse to kill it")
            }
            if !unlisted.isEmpty {
                warnings.append("not in the job list: \(unlisted.prefix(3).joined(separator: ", "))\(unlisted.count > 3 ? " …" : ""); the scheduler will say whether it exists")
            }
        case .setRebalanceThreshold(let value) where value > 100:
            warnings.append("a threshold of \(value) pp: the spread seldom gets that far, so rebalancing is as good as off")
        case .setClassLoadPercents(let percents):
            for (name, value) in percents.sorted(by: { $0.key < $1.key }) where value > 100 {
                warnings.append("\(name) is \(value)%, over 100: the scheduler normalizes the table to 100")
            }
            let running = Dictionary((state.snapshot?.load?.classes ?? []).map { ($0.name, $0.running) }, uniquingKeysWith: { first, _ in first })
            for (name, value) in percents.sorted(by: { $0.key < $1.key }) where value == 0 && (running[name] ?? 0) > 0 {
                warnings.append("\(name) goes to 0% with \(running[name] ?? 0) running task(s): a 0% class gets no new work at all")
            }
        default: break
        }
        return warnings
    }
}
