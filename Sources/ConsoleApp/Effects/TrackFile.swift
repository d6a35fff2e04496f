import Foundation

/// The `--track-file` format: one job id per line; blank lines and `#` comments (a whole line, or
/// after whitespace at the end of a line) are ignored.
public enum TrackFile {
    /// A file that cannot be read or has a bad line, named with the line number.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The job ids in the file at `path`, in order, without repeats.
    public static func read(path: String) throws(ReadError) -> [String] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ReadError(description: "\(path): cannot read: \(error.localizedDescription)")
        }
        return try parse(text, name: path)
    }

    /// The job ids in `text`; `name` names the file in errors.
    public static func parse(_ text: String, name: String) throws(ReadError) -> [String] {
        var ids: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var content = Substring(line)
            if let hash = content.indices.first(where: { content[$0] == "#" && ($0 == content.startIndex || content[content.index(before: $0)].isWhitespace) }) {
                content = content[..<hash]
            }
            let id = content.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !id.isEmpty else { continue }
            guard !id.contains(where: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }) else {
                throw ReadError(description: "\(name):\(index + 1): '\(id)' is not one job id (ids have no spaces); put one id per line")
            }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}
