import TestSupport
import Dispatch
import Foundation
import Testing

/// A `scoot-console serve` process for a test, on free loopback ports.
final class ServeProcess: @unchecked Sendable {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("scoot-console")

    private let process = Process()
    /// The CloudScoot (Thrift) port.
    let port: Int
    /// The metrics (HTTP) port.
    let httpPort: Int
    /// The TLS listener's port, when `extraArguments` asked for one (`--tls-addr`).
    let tlsPort: Int?

    /// Starts `serve` on `dataDirectory` with `workers` process workers and `extraArguments`,
    /// and waits for its banner.
    init(dataDirectory: URL, workers: Int = 2, extraArguments: [String] = []) async throws {
        process.executableURL = Self.binary
        process.arguments = [
            "serve", "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--workers", String(workers),
            "--data-dir", dataDirectory.path, "--log-level", "warning",
        ] + extraArguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.standardError
        try process.run()
        let handle = pipe.fileHandleForReading
        let banner: String = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var collected = Data()
                while !String(decoding: collected, as: UTF8.self).contains("\n") {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    collected.append(chunk)
                }
                continuation.resume(returning: String(decoding: collected, as: UTF8.self))
            }
        }
        func number(after marker: String) -> Int? {
            guard let range = banner.range(of: marker) else { return nil }
            return Int(banner[range.upperBound...].prefix { $0.isNumber })
        }
        guard let port = number(after: "CloudScoot on 127.0.0.1:"), let httpPort = number(after: "metrics on http://127.0.0.1:") else {
            process.terminate()
            throw PythonInterop.InteropError("serve did not print its addresses; it printed: \(banner)")
        }
        self.port = port
        self.httpPort = httpPort
        self.tlsPort = number(after: "TLS on 127.0.0.1:")
    }

    /// `--tls-addr` on a free loopback port with the test certificates' server files.
    static func tlsArguments(_ certificates: TestCertificates) -> [String] {
        [
            "--tls-addr", "127.0.0.1:0", "--tls-cert", certificates.serverCertificate, "--tls-key", certificates.serverKey,
            "--tls-ca", certificates.authority,
        ]
    }

    /// A test that throws before `stop()` still ends the server: a `serve` left running would
    /// hold the test runner's output open and the run would never finish.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Sends `signal` and waits for the process to exit; returns its exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) async -> Int32 {
        kill(process.processIdentifier, signal)
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                self.process.waitUntilExit()
                continuation.resume(returning: self.process.terminationStatus)
            }
        }
    }
}

@Suite("scoot-console serve end to end, driven by Apache Thrift's Python client", .serialized)
struct ServeInteropTests {
    private func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func realCommandsWorkersSettingsAndMetricsSurviveARestart() async throws {
        let data = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try await ServeProcess(dataDirectory: data)
        let run = try await PythonInterop.runScript("serve_suite.py", [String(first.port), "run"])
        #expect(run.status == 0, "serve_suite.py run failed:\n\(run.output)")
        let metrics = try await PythonInterop.runScript("metrics_check.py", [String(first.httpPort)])
        #expect(metrics.status == 0, "metrics_check.py failed:\n\(metrics.output)")
        #expect(await first.stop() == 0, "SIGTERM must stop serve cleanly with exit 0")

        let second = try await ServeProcess(dataDirectory: data)
        let settings = try await PythonInterop.runScript("serve_suite.py", [String(second.port), "settings"])
        #expect(settings.status == 0, "settings did not survive the restart:\n\(settings.output)")
        await second.stop()
    }

    @Test func pythonsTSSLSocketWithAClientCertificateReadsAndChangesSettingsOverTLS() async throws {
        let data = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let certificates = try await TestCertificates.shared()
        let serve = try await ServeProcess(dataDirectory: data, workers: 1, extraArguments: ServeProcess.tlsArguments(certificates))
        let tlsPort = try #require(serve.tlsPort)
        let check = try await PythonInterop.runScript(
            "tls_check.py", [String(tlsPort), certificates.authority, certificates.aliceCertificate, certificates.aliceKey])
        #expect(check.status == 0, "tls_check.py failed:\n\(check.output)")
        await serve.stop()
    }

    @Test func everyAcceptedJobCompletesAfterSIGKILL() async throws {
        let data = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let ids = data.appendingPathComponent("ids.json")
        let first = try await ServeProcess(dataDirectory: data, workers: 4)
        // 10 jobs × 50 tasks of `sleep 0.02` on 4 workers take a few seconds: kill -9 mid-run.
        let submit = Task { try await PythonInterop.runScript("crash_suite.py", [String(first.port), "submit", "10", "50", ids.path]) }
        // Kill once a few jobs are acknowledged (not after a fixed time: on a loaded machine the
        // submitter may not have started by then).
        for _ in 0..<600 where Self.acknowledgedIDs(in: ids) < 3 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(Self.acknowledgedIDs(in: ids) >= 3, "the submitter got its first ids")
        await first.stop(signal: SIGKILL)
        _ = try? await submit.value  // the submitter may lose its connection; every id it got is in the file
        let second = try await ServeProcess(dataDirectory: data, workers: 4)
        let verify = try await PythonInterop.runScript("crash_suite.py", [String(second.port), "verify", ids.path])
        #expect(verify.status == 0, "after kill -9:\n\(verify.output)")
        await second.stop()
    }

    /// How many ids the crash suite's submitter has written so far (0 while its file is missing
    /// or being rewritten).
    private static func acknowledgedIDs(in file: URL) -> Int {
        guard let data = try? Data(contentsOf: file), let ids = try? JSONSerialization.jsonObject(with: data) as? [String] else { return 0 }
        return ids.count
    }
}
