import Foundation

/// A `scoot-console serve` process on free loopback ports, with its file descriptors and memory
/// read from /proc.
final class ServeBinary: @unchecked Sendable {
    /// `scoot-console`, built next to the test bundle by `swift build --build-tests`.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("scoot-console")

    struct StartError: Error, CustomStringConvertible {
        var description: String
    }

    private let process = Process()
    /// The CloudScoot (Thrift) port.
    let port: Int
    /// The metrics HTTP port.
    let httpPort: Int

    /// Starts `serve` on `dataDirectory` and waits for its banner.
    /// With `descriptorLimit`, it runs under `ulimit -n` of that many file descriptors (soft and hard).
    init(
        dataDirectory: URL, workers: Int, simulatedWorkers: Int = 0, descriptorLimit: Int? = nil, logLevel: String = "error",
        extraArguments: [String] = []
    ) async throws {
        let arguments = [
            "serve", "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--workers", String(workers),
            "--simulated-workers", String(simulatedWorkers), "--data-dir", dataDirectory.path, "--log-level", logLevel,
        ] + extraArguments
        if let descriptorLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(descriptorLimit) && exec \"$0\" \"$@\"", Self.binary.path] + arguments
        } else {
            process.executableURL = Self.binary
            process.arguments = arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.standardError
        try process.run()
        let handle = pipe.fileHandleForReading
        let banner: String = await Reliability.offPool {
            var collected = Data()
            while !collected.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                collected.append(chunk)
            }
            return String(decoding: collected, as: UTF8.self)
        }
        guard let range = banner.range(of: "CloudScoot on 127.0.0.1:"), let port = Int(banner[range.upperBound...].prefix { $0.isNumber }),
              let httpRange = banner.range(of: "http://127.0.0.1:"), let httpPort = Int(banner[httpRange.upperBound...].prefix { $0.isNumber })
        else {
            process.terminate()
            throw StartError(description: "serve did not print its address; it printed: \(banner)")
        }
        self.port = port
        self.httpPort = httpPort
    }

    /// A test that fails before `stop` must not leave its server behind (it holds the test
    /// runner's standard error open, so the run would never end).
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var pid: Int32 { process.processIdentifier }

    /// Open file descriptors.
    var openFileDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }

    /// CPU seconds used so far (user + system, every thread, exited ones too).
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let end = stat.lastIndex(of: ")") else { return -1 }
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        // After the name: state is field 3, utime 14 and stime 15 (1-based, counting pid and name).
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return -1 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident set size in KiB (VmRSS).
    var residentKiB: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return -1 }
        return Int(line.split(whereSeparator: \.isWhitespace)[1]) ?? -1
    }

    /// Sends `signal` and waits for the process to exit; returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) async -> Int32 {
        kill(process.processIdentifier, signal)
        let process = self.process
        return await Reliability.offPool {
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Runs `serve` on `dataDirectory` expecting it to refuse to start: its exit status and what
    /// it wrote to standard error.
    static func refusal(dataDirectory: URL) async throws -> (status: Int32, error: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--workers", "0", "--simulated-workers", "1", "--data-dir", dataDirectory.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return await Reliability.offPool {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
