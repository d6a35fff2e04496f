import HostEnvironment
import Foundation
import Thrift

/// Where the CloudScoot scheduler is, found as scootcl finds it.
public enum CloudScootAddress {
    /// Used when `~/.cloudscootaddr$SCOOT_ID` does not exist.
    public static let fallback = HostAndPort(host: "127.0.0.1", port: 9090)

    /// The address file: `$HOME/.cloudscootaddr$SCOOT_ID`.
    public static func filePath(environment: [String: String]) -> String {
        HostEnvironment.home(environment) + "/.cloudscootaddr" + (environment["SCOOT_ID"] ?? "")
    }

    /// The first line of `~/.cloudscootaddr$SCOOT_ID` (its second line, the apiserver, is not
    /// used), else 127.0.0.1:9090. A file whose first line is not `host:port` is an error that
    /// names the file, rather than a silent fallback to another scheduler.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(CLIFailure) -> HostAndPort {
        let path = filePath(environment: environment)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return fallback }
        let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        do {
            return try HostAndPort(parsing: firstLine)
        } catch {
            throw .usage("\(path): the first line must be the scheduler's host:port (\(error)); fix the file or give the address (--addr or --connect HOST:PORT)")
        }
    }

    /// `--addr` if given, else `resolve(environment:)`.
    public static func resolve(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(CLIFailure) -> HostAndPort {
        guard let flag else { return try resolve(environment: environment) }
        do {
            return try HostAndPort(parsing: flag)
        } catch {
            throw .usage("--addr: \(error)")
        }
    }
}
