import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension FlightRecorder {
    /// What the console shows of `status`: a write failure while it lasts, else records dropped
    /// since the start (the queue was full).
    public var problem: String? {
        let status = self.status
        if let failure = status.failure { return "the flight recording cannot be written (\(failure)); \(status.recordsLost) records lost so far" }
        if status.recordsDropped > 0 { return "the flight recorder fell behind: \(status.recordsDropped) records dropped" }
        return nil
    }

    /// Why `directory` cannot take a recording, checked before the recorder starts: it is
    /// created (mode 0700) if missing, and must then be a directory this process can write.
    /// Nil when it can. The writer still reports failures that come later (a full disk).
    public static func problem(writing directory: String) -> String? {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            return "cannot create it: \((error as NSError).localizedDescription)"
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else { return "not a directory" }
        guard access(directory, W_OK | X_OK) == 0 else { return "not writable: \(String(cString: strerror(errno)))" }
        return nil
    }
}
