/// Why the job store cannot be used. Every case names the file or directory and says what to do.
public enum JobStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The data directory does not exist and cannot be created, or is not writable.
    case dataDirectoryUnusable(path: String, reason: String)
    /// The database file cannot be opened or migrated: not an SQLite file, corrupt, or written by
    /// a newer version.
    case databaseUnusable(path: String, reason: String)
    /// A stored value cannot be decoded.
    case corruptRecord(path: String, reason: String)

    /// The message an operator sees.
    public var description: String {
        switch self {
        case .dataDirectoryUnusable(let path, let reason):
            "cannot use data directory \(path): \(reason); check that it exists and is writable, or pass another --data-dir"
        case .databaseUnusable(let path, let reason):
            "cannot open job database \(path): \(reason); restore it from a backup, or move it away to start empty"
        case .corruptRecord(let path, let reason):
            "job database \(path) holds an unreadable record: \(reason); restore it from a backup, or move it away to start empty"
        }
    }
}
