import HostEnvironment
import Foundation

/// A named set of console options for one cluster, from the profiles file
/// (`SCOOT_CONSOLE_PROFILES`, else `$XDG_CONFIG_HOME/scoot-console/profiles`, else
/// `~/.config/scoot-console/profiles`):
///
/// ```
/// # one [section] per cluster; every key is optional
/// [prod]
/// connect      = scheduler.prod.example.com:9090
/// label        = prod            # default: the profile's name, so a profile colours the frame
/// read-only    = true
/// theme        = high-contrast
/// refresh      = 2
/// metrics-addr = scheduler.prod.example.com:9091
/// track-file   = /home/me/prod-jobs.txt
/// scoot-workers = worker1.prod.example.com:9092,worker2.prod.example.com:9092
/// scoot-workers-file = /home/me/prod-workers.txt
/// ```
///
/// Options given on the command line win over the profile's.
public struct ConsoleProfile: Sendable, Hashable {
    /// A profiles file that cannot be used, named by file and line.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The profile's name (its section).
    public var name: String
    public var connect: String?
    public var label: String?
    public var readOnly = false
    public var theme: String?
    public var refreshSeconds: Double?
    public var metricsAddress: String?
    public var trackFile: String?
    /// Scoot workers to poll, comma-separated.
    public var scootWorkers: String?
    /// A file listing Scoot workers to poll.
    public var scootWorkersFile: String?

    /// The keys a profile may set.
    public static let keys = ["connect", "label", "read-only", "theme", "refresh", "metrics-addr", "track-file", "scoot-workers", "scoot-workers-file"]

    /// The profiles file for `environment`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["SCOOT_CONSOLE_PROFILES"], !path.isEmpty { return path }
        return HostEnvironment.configDirectory(environment: environment) + "/profiles"
    }

    /// The profile `name` from the file at `path`.
    public static func load(name: String, path: String) throws(Failure) -> ConsoleProfile {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Failure(description: "--profile \(name): cannot read \(path); create it with a [\(name)] section (docs/console.md#profiles)")
        }
        let profiles = try parse(text, file: path)
        guard let profile = profiles.first(where: { $0.name == name }) else {
            let known = profiles.map(\.name)
            throw Failure(description: "--profile \(name): no [\(name)] section in \(path)\(known.isEmpty ? "" : "; it has \(known.joined(separator: ", "))")")
        }
        return profile
    }

    /// Every profile in a profiles file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(Failure) -> [ConsoleProfile] {
        var profiles: [ConsoleProfile] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let place = "\(file):\(offset + 1)"
            let line = String(rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { throw Failure(description: "\(place): '\(line)' is not a [name] section header") }
                let name = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard !profiles.contains(where: { $0.name == name }) else { throw Failure(description: "\(place): profile [\(name)] is defined twice") }
                profiles.append(ConsoleProfile(name: name))
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw Failure(description: "\(place): '\(line)' is not KEY = VALUE") }
            guard !profiles.isEmpty else { throw Failure(description: "\(place): '\(parts[0])' comes before any [name] section") }
            try profiles[profiles.count - 1].set(parts[0], to: parts[1], at: place)
        }
        return profiles
    }

    private mutating func set(_ key: String, to value: String, at place: String) throws(Failure) {
        switch key {
        case "connect": connect = value
        case "label": label = value
        case "theme": theme = value
        case "metrics-addr": metricsAddress = value
        case "track-file": trackFile = value
        case "scoot-workers": scootWorkers = value
        case "scoot-workers-file": scootWorkersFile = value
        case "read-only":
            guard let flag = ["true": true, "false": false][value.lowercased()] else {
                throw Failure(description: "\(place): read-only: '\(value)' is not true or false")
            }
            readOnly = flag
        case "refresh":
            guard let seconds = Double(value), (0.1...60).contains(seconds) else {
                throw Failure(description: "\(place): refresh: '\(value)' is not a number of seconds from 0.1 to 60")
            }
            refreshSeconds = seconds
        default:
            throw Failure(description: "\(place): unknown key '\(key)'; a profile may set \(Self.keys.joined(separator: ", "))")
        }
    }
}
