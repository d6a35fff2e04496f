import Foundation
import NIOCore

/// Reads the end of a task's output, bounded so that a huge log never fills memory: `file://`
/// URIs of local runs from disk (on a thread of its own), `http://` URIs of Scoot workers from
/// the worker's HTTP port (a `Range` request for the tail).
public enum TaskOutput {
    /// Bytes read from the end of each output.
    public static let tailBytes = 64 * 1024
    /// Longest wait for a worker's answer.
    static let httpTimeout = TimeAmount.seconds(5)

    /// The last lines of each URI's output, each under a `── uri` heading.
    public static func lastLines(of uris: [String]) async -> [String] {
        var lines: [String] = []
        for uri in uris {
            if uri.hasPrefix("file://") {
                let path = String(uri.dropFirst("file://".count))
                lines.append("── \(path)")
                lines += await withCheckedContinuation { continuation in
                    Thread.detachNewThread { continuation.resume(returning: fileTail(path)) }
                }
            } else if uri.hasPrefix("http://") {
                lines.append("── \(uri)")
                lines += await httpTail(uri)
            } else {
                lines += ["── \(uri)", "(neither a local file nor an http:// URL; open it where the worker runs)"]
            }
        }
        return lines
    }

    /// The last `tailBytes` of a local file, as lines.
    static func fileTail(_ path: String) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return ["(cannot read: no such file or not readable)"] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > UInt64(tailBytes) ? size - UInt64(tailBytes) : 0)
        return lines(of: (try? handle.readToEnd()).map { [UInt8]($0) } ?? [], cut: size > UInt64(tailBytes))
    }

    /// The tail of a Scoot worker's output URL. Scoot's worker answers the URL as it is with an
    /// HTML viewer; `content=true` asks for the text itself.
    static func httpTail(_ uri: String) async -> [String] {
        guard let components = URLComponents(string: uri), let host = components.host else { return ["(not a valid URL)"] }
        var query = components.percentEncodedQueryItems ?? []
        if !query.contains(where: { $0.name == "content" }) { query.append(URLQueryItem(name: "content", value: "true")) }
        var target = components
        target.percentEncodedQueryItems = query
        // Scoot's URLs have `//` in the path, which the worker's Go HTTP mux answers with a
        // redirect to the cleaned path: ask for that at once.
        var cleaned = target.percentEncodedPath
        while cleaned.contains("//") { cleaned = cleaned.replacingOccurrences(of: "//", with: "/") }
        let path = (cleaned.isEmpty ? "/" : cleaned) + (target.percentEncodedQuery.map { "?" + $0 } ?? "")
        do {
            let body = try await BoundedHTTPClient.get(
                host: host, port: components.port ?? 80, path: path, headers: [("Range", "bytes=-\(tailBytes)")], timeout: httpTimeout,
                maxBodyBytes: 8 << 20)
            let cut = body.count >= tailBytes
            return lines(of: body.count > tailBytes ? Array(body.suffix(tailBytes)) : body, cut: cut)
        } catch where error.description.hasPrefix("HTTP 416") {
            return ["(empty)"]  // no byte to send from an empty file
        } catch {
            return ["(cannot read it from the worker: \(error))"]
        }
    }

    /// `bytes` as lines; when `cut`, the first (partial) line is replaced by a note.
    static func lines(of bytes: [UInt8], cut: Bool) -> [String] {
        var text = String(decoding: bytes, as: UTF8.self)
        if cut, let newline = text.firstIndex(of: "\n") {
            text = "(…earlier output cut)\n" + text[text.index(after: newline)...]
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let trimmed = lines.last == "" ? Array(lines.dropLast()) : lines
        return bytes.isEmpty ? ["(empty)"] : trimmed
    }
}
