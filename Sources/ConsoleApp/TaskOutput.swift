import Foundation

/// Reads the end of a task's output files (`file://` URIs of local runs), bounded so that a
/// huge log never fills memory.
public enum TaskOutput {
    /// Bytes read from the end of each file.
    public static let tailBytes = 64 * 1024

    /// The last lines of each URI's file, each file under a `── path` heading.
    public static func lastLines(of uris: [String]) -> [String] {
        var lines: [String] = []
        for uri in uris {
            guard uri.hasPrefix("file://") else {
                lines += ["── \(uri)", "(not a local file; open it where the worker runs)"]
                continue
            }
            let path = String(uri.dropFirst("file://".count))
            lines.append("── \(path)")
            guard let handle = FileHandle(forReadingAtPath: path) else {
                lines.append("(cannot read: no such file or not readable)")
                continue
            }
            defer { try? handle.close() }
            let size = (try? handle.seekToEnd()) ?? 0
            try? handle.seek(toOffset: size > UInt64(tailBytes) ? size - UInt64(tailBytes) : 0)
            let data = (try? handle.readToEnd()) ?? Data()
            var text = String(decoding: data, as: UTF8.self)
            if size > UInt64(tailBytes), let newline = text.firstIndex(of: "\n") {
                text = "(…earlier output cut)\n" + text[text.index(after: newline)...]
            }
            let fileLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines += fileLines.last == "" ? Array(fileLines.dropLast()) : fileLines
            if data.isEmpty { lines.append("(empty)") }
        }
        return lines
    }
}
