import Foundation
import Glibc

/// The exclusive hold one `serve` has on its data directory: an `flock` on `<data>/serve.lock`,
/// which holds the holder's pid. A second `serve` on the same directory cannot take it and is
/// told which process has it. The kernel drops the lock when the process ends, however it ends,
/// so a crash never leaves a stale lock behind.
final class DataDirectoryLock: Sendable {
    /// The lock file's name inside the data directory.
    static let fileName = "serve.lock"

    private let descriptor: Int32

    /// Why the lock was not taken.
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    /// Takes the lock on `directory` (which must exist), or says who holds it.
    init(directory: URL) throws(Refused) {
        let path = directory.appendingPathComponent(Self.fileName).path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard descriptor >= 0 else {
            throw Refused(description: "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readPid(descriptor)
            close(descriptor)
            guard code == EWOULDBLOCK else {
                throw Refused(description: "cannot lock \(path): \(String(cString: strerror(code)))")
            }
            throw Refused(description: "the data directory \(directory.path) is in use by another serve"
                + (holder.map { " (pid \($0))" } ?? "") + "; stop it, or pass another --data-dir")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pid.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.descriptor = descriptor
    }

    private static func readPid(_ descriptor: Int32) -> Int? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int(String(decoding: bytes[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Releases the lock (also released when the process ends).
    func release() {
        close(descriptor)
    }
}
