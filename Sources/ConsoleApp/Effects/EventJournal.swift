import Foundation

/// `events.jsonl`, next to the audit log: one JSON line per event, so the events outlive the
/// console. Bounded: past `maximumBytes` the file moves to `events.jsonl.1` (replacing the older
/// one) and starts again. Writes run on a thread of their own.
public struct EventJournal: Sendable {
    /// The file.
    public let path: String
    /// The size past which the file is rotated (4 MiB by default).
    public let maximumBytes: Int

    /// A journal at `path`.
    public init(path: String, maximumBytes: Int = 4 << 20) {
        self.path = path
        self.maximumBytes = maximumBytes
    }

    /// The journal beside the audit log at `auditLogPath`.
    public init(besideAuditLog auditLogPath: String) {
        self.init(path: URL(fileURLWithPath: auditLogPath).deletingLastPathComponent().appendingPathComponent("events.jsonl").path)
    }

    /// Appends `events`; returns why it could not, if it could not.
    public func append(_ events: [ConsoleEvent]) async -> String? {
        let path = self.path, maximumBytes = self.maximumBytes
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: Self.write(events, to: path, maximumBytes: maximumBytes)) }
        }
    }

    private static func write(_ events: [ConsoleEvent], to path: String, maximumBytes: Int) -> String? {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        var data = Data()
        for event in events {
            guard let line = try? encoder.encode(event) else { continue }
            data.append(line)
            data.append(UInt8(ascii: "\n"))
        }
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if let size = (try? manager.attributesOfItem(atPath: path)[.size] as? Int) ?? nil, size > maximumBytes {
                try? manager.removeItem(atPath: path + ".1")
                try manager.moveItem(atPath: path, toPath: path + ".1")
            }
            if !manager.fileExists(atPath: path) { _ = manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) }
            guard let handle = FileHandle(forWritingAtPath: path) else { return "cannot open \(path)" }
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
            return nil
        } catch {
            return "cannot write \(path): \(error.localizedDescription)"
        }
    }
}
