import Foundation

/// How much recording to keep: hour files are deleted, oldest first, once they are older than
/// `maximumAge` or while all of them together exceed `maximumBytes`. The recorder applies it when
/// it starts and whenever it opens a new file; the file being written is never deleted.
public struct RecordingRetention: Sendable, Hashable {
    /// The most bytes all recording files together may take (default 1 GiB).
    public var maximumBytes: Int64
    /// How old a file's hour may end before the file goes (default 7 days).
    public var maximumAge: TimeInterval

    /// Keeps at most `maximumBytes` and `maximumAge`.
    public init(maximumBytes: Int64 = 1 << 30, maximumAge: TimeInterval = 7 * 86_400) {
        self.maximumBytes = maximumBytes
        self.maximumAge = maximumAge
    }

    /// Deletes the recording files in `directory` that this retention does not keep at `now`,
    /// never `current`; returns how many it deleted. Files it cannot list or delete stay (the
    /// next sweep tries again); other files in the directory are never touched.
    func sweep(directory: String, now: Date, keeping current: RecordingFileName?) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var files: [(name: RecordingFileName, bytes: Int64)] = names.compactMap { name in
            guard let parsed = RecordingFileName(parsing: name), parsed != current else { return nil }
            var status = stat()
            guard lstat(directory + "/" + name, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
            return (parsed, Int64(status.st_size))
        }
        files.sort { $0.name < $1.name }
        var total = files.reduce(0) { $0 + $1.bytes }
        if let current {
            var status = stat()
            if stat(directory + "/" + current.name, &status) == 0 { total += Int64(status.st_size) }
        }
        let oldestKeptHourEnd = RecordingTime.milliseconds(now.addingTimeInterval(-maximumAge))
        var deleted = 0
        for file in files {
            let hourEnd = (file.name.hour + 1) * 3_600_000
            guard hourEnd <= oldestKeptHourEnd || total > maximumBytes else { break }
            if unlink(directory + "/" + file.name.name) == 0 {
                total -= file.bytes
                deleted += 1
            }
        }
        return deleted
    }
}
