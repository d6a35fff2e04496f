import Foundation
import Thrift

/// Parses the list of Scoot workers to poll: `host:port,host:port` on the command line, or a
/// file with one address a line (blank lines and `#` comments ignored).
public enum WorkerAddressList {
    /// Why a list was refused.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong, naming the entry (and line) at fault.
        public var description: String
    }

    /// The most workers one list may name.
    public static let maximumWorkers = 10_000

    /// Parses a comma-separated list.
    public static func parse(commaSeparated text: String) throws(Invalid) -> [HostAndPort] {
        let entries = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        return try parse(entries.enumerated().map { ($0.element, "entry \($0.offset + 1)") })
    }

    /// Parses a file's text, one address a line.
    public static func parse(fileText text: String, name: String) throws(Invalid) -> [HostAndPort] {
        var entries: [(String, String)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = content.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { entries.append((trimmed, "\(name):\(index + 1)")) }
        }
        return try parse(entries)
    }

    /// Reads and parses a file.
    public static func read(file path: String) throws(Invalid) -> [HostAndPort] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Invalid(description: "cannot read the worker list \(path): \(error.localizedDescription)")
        }
        return try parse(fileText: text, name: path)
    }

    private static func parse(_ entries: [(text: String, place: String)]) throws(Invalid) -> [HostAndPort] {
        guard !entries.isEmpty else { throw Invalid(description: "the worker list is empty; give host:port of each Scoot worker (thrift port, 9092 by default)") }
        guard entries.count <= maximumWorkers else { throw Invalid(description: "the worker list names \(entries.count) workers; at most \(maximumWorkers)") }
        var addresses: [HostAndPort] = []
        for entry in entries {
            do {
                addresses.append(try HostAndPort(parsing: entry.text))
            } catch {
                throw Invalid(description: "\(entry.place): \(error)")
            }
        }
        return addresses
    }
}
