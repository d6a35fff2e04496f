import SchedulerCore
import ScootAPI

/// What a settings change changes, line by line, for its confirmation: before → after per
/// entry, what is added and removed, the percents as the scheduler will store them (normalized to
/// 100), and for the requestor map which requestors of the listed jobs change class.
enum SettingsDiff {
    /// The most requestors listed as moving class; the rest are counted.
    static let requestorsShown = 8

    /// The classes whose percent changes, one entry each (`ktf: 3% → 10%`); the Events pane
    /// lists them too.
    static func percentChanges(from old: [String: Int32], to new: [String: Int32]) -> [String] {
        Set(old.keys).union(new.keys).sorted().compactMap { name in
            switch (old[name], new[name]) {
            case let (before?, after?) where before != after: "\(name): \(before)% → \(after)%"
            case (nil, let after?): "+ \(name): \(after)% (new class)"
            case (let before?, nil): "− \(name): \(before)% (removed)"
            default: nil
            }
        }
    }

    /// The patterns whose class changes, one entry each (`+ ^ci- → land`).
    static func mapChanges(from old: [String: String], to new: [String: String]) -> [String] {
        Set(old.keys).union(new.keys).sorted().compactMap { pattern in
            switch (old[pattern], new[pattern]) {
            case let (before?, after?) where before != after: "\(pattern): \(before) → \(after)"
            case (nil, let after?): "+ \(pattern) → \(after)"
            case (let before?, nil): "− \(pattern) (was → \(before))"
            default: nil
            }
        }
    }

    /// Class percents `old` → `new`, for a confirmation.
    static func percents(from old: [String: Int32], to new: [String: Int32]) -> [String] {
        var lines = percentChanges(from: old, to: new).map { "  " + $0 }
        if lines.isEmpty { lines.append("  no change") }
        let unchanged = old.keys.filter { new[$0] == old[$0] }.count
        if unchanged > 0 { lines.append("  \(unchanged) other class\(unchanged == 1 ? "" : "es") unchanged") }
        let raw = new.mapValues(Int.init)
        let normalized = ClassLoadPercents.normalized(raw)
        if raw.values.reduce(0, +) != 100 {
            let text = ClassLoadPercents.descendingOrder(normalized).map { "\($0) \(normalized[$0] ?? 0)%" }.joined(separator: ", ")
            lines.append("  stored normalized to 100: \(text)")
        }
        return lines
    }

    /// Warnings for patterns whose class `percents` leaves out: kept, but matching no one.
    static func orphanedPatterns(_ map: [String: String], percents: [String: Int32]) -> [String] {
        let orphaned = map.filter { percents[$0.value] == nil }
        guard !orphaned.isEmpty else { return [] }
        let classes = Set(orphaned.values).sorted().joined(separator: ", ")
        let patterns = orphaned.keys.sorted().joined(separator: ", ")
        return ["  ⚠ the requestor map still sends \(patterns) to \(classes): those requestors will go to the smallest class"]
    }

    /// Requestor map `settings.requestorToClassMap` → `new`, with the requestors of `jobs`
    /// that would change class.
    static func requestorMap(from settings: ClusterSnapshot.Settings, to new: [String: String], jobs: [ScootAPI.JobSummary]) -> [String] {
        let old = settings.requestorToClassMap
        var lines = mapChanges(from: old, to: new).map { "  " + $0 }
        if lines.isEmpty { lines.append("  no change") }
        let percents = settings.classLoadPercents.mapValues(Int.init)
        guard let before = try? RequestorClassifier(old), let after = try? RequestorClassifier(new) else { return lines }
        let requestors = Set(jobs.map(\.requestor).filter { !$0.isEmpty }).sorted()
        let moves = requestors.compactMap { requestor -> String? in
            let from = before.classify(requestor, percents: percents)?.className ?? "?"
            let to = after.classify(requestor, percents: percents)?.className ?? "?"
            return from == to ? nil : "\(requestor): \(from) → \(to)"
        }
        if moves.isEmpty {
            lines.append("  no listed requestor changes class")
        } else {
            lines.append("  requestors that change class:")
            lines += moves.prefix(requestorsShown).map { "    \($0)" }
            if moves.count > requestorsShown { lines.append("    … and \(moves.count - requestorsShown) more") }
        }
        return lines
    }
}
