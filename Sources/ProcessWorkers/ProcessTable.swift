import Glibc

/// The machine's processes as `/proc` lists them, read with plain system calls into a fixed
/// buffer (no Foundation, no allocation per file beyond the result).
enum ProcessTable {
    /// The pids of the live descendants of `root` (not `root` itself), found by following every
    /// process's parent pid (`/proc/<pid>/stat`, field 4). A snapshot: processes may start or end
    /// while it is read, which is why callers check again before they signal.
    static func descendants(of root: pid_t) -> [pid_t] {
        var children: [pid_t: [pid_t]] = [:]
        forEachProcess { pid, parent in children[parent, default: []].append(pid) }
        var found: [pid_t] = []
        var pending = children[root] ?? []
        while let pid = pending.popLast() {
            found.append(pid)
            pending += children[pid] ?? []
        }
        return found
    }

    /// Calls `body` with the pid and parent pid of every process in `/proc`.
    private static func forEachProcess(_ body: (pid_t, pid_t) -> Void) {
        guard let directory = opendir("/proc") else { return }
        defer { closedir(directory) }
        // The stat line up to the parent pid: "pid (name) S ppid …"; the name is at most 15 bytes.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 1)
        defer { buffer.deallocate() }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard let pid = pid_t(name), let parent = parentPID(statPath: "/proc/\(name)/stat", buffer: buffer) else { continue }
            body(pid, parent)
        }
    }

    /// The parent pid in a `/proc/<pid>/stat` file: the number after the state, which follows
    /// the last `)` (the process's name may contain anything, `)` included).
    private static func parentPID(statPath: String, buffer: UnsafeMutableRawBufferPointer) -> pid_t? {
        let count = ProcFile.read(statPath, into: buffer)
        guard count > 0 else { return nil }
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[..<count])
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        // ") S 1234 "
        var index = close + 4
        var parent: pid_t = 0
        var digits = 0
        while index < count, let digit = ProcFile.digitValue(bytes[index]) {
            parent = parent * 10 + pid_t(digit)
            digits += 1
            index += 1
        }
        return digits > 0 ? parent : nil
    }
}

/// Reading small kernel files (`/proc`, cgroupfs) with plain system calls.
enum ProcFile {
    /// Reads up to the buffer's size from the start of `path`; the byte count, or -1.
    static func read(_ path: String, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return -1 }
        defer { close(descriptor) }
        var total = 0
        while total < buffer.count {
            let count = Glibc.read(descriptor, buffer.baseAddress! + total, buffer.count - total)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            total += count
        }
        return total
    }

    /// The decimal numbers in `path`, one per line (`cgroup.procs`), read in 4 KiB chunks;
    /// empty when the file cannot be read.
    static func numbers(in path: String) -> [pid_t] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 1)
        defer { buffer.deallocate() }
        var numbers: [pid_t] = []
        var current: pid_t = 0
        var inNumber = false
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress!, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            for byte in buffer[..<count] {
                if let digit = digitValue(byte) {
                    current = current * 10 + pid_t(digit)
                    inNumber = true
                } else if inNumber {
                    numbers.append(current)
                    current = 0
                    inNumber = false
                }
            }
        }
        if inNumber { numbers.append(current) }
        return numbers
    }

    /// The value of an ASCII digit, nil for any other byte.
    static func digitValue(_ byte: UInt8) -> UInt8? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : nil
    }

    /// Writes `text` to the start of `path` (a control file such as `cgroup.kill`); the `errno`
    /// of a failure, or nil.
    static func write(_ text: String, to path: String) -> Int32? {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return errno }
        defer { close(descriptor) }
        let result = text.utf8CString.withUnsafeBufferPointer { Glibc.write(descriptor, $0.baseAddress!, $0.count - 1) }
        return result < 0 ? errno : nil
    }
}
