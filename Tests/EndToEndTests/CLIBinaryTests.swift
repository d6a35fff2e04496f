import Dispatch
import Foundation
import TestSupport
import Testing

/// The scootcl-compatible commands of the real binary against a real `serve` on free ports.
@Suite("scoot-console CLI commands end to end", .serialized)
struct CLIBinaryTests {
    /// What a finished command left behind.
    struct Result {
        var status: Int32
        var output: String
        var errors: String
    }

    let directory: URL
    let auditLog: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-cli-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        auditLog = directory.appendingPathComponent("audit.jsonl")
    }

    /// Runs the binary to completion; stdout and stderr go to files, so neither can fill a pipe.
    private func run(_ arguments: [String], environment extra: [String: String] = [:]) async -> Result {
        let id = UUID().uuidString
        let outURL = directory.appendingPathComponent("\(id).out"), errURL = directory.appendingPathComponent("\(id).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        var environment = ProcessInfo.processInfo.environment
        environment["SCOOT_CONSOLE_AUDIT_LOG"] = auditLog.path
        environment["HOME"] = directory.path
        environment.removeValue(forKey: "SCOOT_CONSOLE_READ_ONLY")
        environment.merge(extra) { $1 }
        let process = Process()
        process.executableURL = BinaryTests.binary
        process.arguments = arguments
        process.environment = environment
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                do {
                    process.standardOutput = try FileHandle(forWritingTo: outURL)
                    process.standardError = try FileHandle(forWritingTo: errURL)
                    try process.run()
                } catch {
                    continuation.resume(returning: Result(status: -1, output: "", errors: "cannot start: \(error)"))
                    return
                }
                process.waitUntilExit()
                let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
                let errors = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
                continuation.resume(returning: Result(status: process.terminationStatus, output: output, errors: errors))
            }
        }
    }

    /// Starts `serve` with two process workers; returns it and its Thrift port.
    private func startServe() async throws -> (Process, Int) {
        let process = Process()
        process.executableURL = BinaryTests.binary
        process.arguments = [
            "serve", "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--workers", "2",
            "--data-dir", directory.appendingPathComponent("data").path, "--log-level", "warning",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let banner = await pipe.read(until: "\n")
        guard let range = banner.range(of: "CloudScoot on 127.0.0.1:"), let port = Int(banner[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve printed no address: \(banner)"])
        }
        return (process, port)
    }

    private func stop(_ process: Process) async {
        kill(process.processIdentifier, SIGTERM)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                process.waitUntilExit()
                continuation.resume()
            }
        }
    }

    @Test func scootclCommandsAgainstServe() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (server, port) = try await startServe()
        let addr = ["--addr", "127.0.0.1:\(port)"]

        let submitted = await run(["run-job"] + addr + ["--", "sh", "-c", "echo hi"])
        #expect(submitted.status == 0, "\(submitted.errors)")
        let jobID = submitted.output.trimmingCharacters(in: .newlines)
        #expect(jobID.count == 36 && !jobID.contains("\n"), "the job id alone: \(submitted.output)")

        let status = await run(["get_job_status"] + addr + ["--json", jobID])
        #expect(status.status == 0, "\(status.errors)")
        #expect(status.output.hasPrefix(#"{"id":"\#(jobID)","status":""#), "\(status.output)")

        let watched = await run(["watch-job"] + addr + ["--interval", "0.2", jobID])
        #expect(watched.status == 0, "\(watched.errors)")
        #expect(watched.output.hasPrefix("Job \(jobID): COMPLETED"), "\(watched.output)")
        #expect(watched.errors.contains("task task1: COMPLETED"), "\(watched.errors)")

        let sleeper = await run(["run-job"] + addr + ["sleep", "30"])
        let sleeperID = sleeper.output.trimmingCharacters(in: .newlines)
        let killed = await run(["kill-job"] + addr + ["--json", sleeperID])
        #expect(killed.status == 0, "\(killed.errors)")
        #expect(killed.output.contains(#""status":"COMPLETED""#), "\(killed.output)")
        let killedAgain = await run(["kill_job"] + addr + [sleeperID])
        #expect(killedAgain.status == 1)
        #expect(killedAgain.errors.contains("Internal error processing KillJob:"), "\(killedAgain.errors)")

        let percents = directory.appendingPathComponent("pcts.json")
        try #"{"land": 70, "diff": 30}"#.write(to: percents, atomically: true, encoding: .utf8)
        let set = await run(["set_scheduling_alg_params"] + addr + ["--class_pcts_file", percents.path, "--rebalance_min", "9", "--rebalance-threshold", "15"])
        #expect(set.status == 0, "\(set.errors)")
        #expect(set.output.isEmpty)
        let parameters = await run(["get-scheduling-alg-params"] + addr + ["--json"])
        #expect(parameters.status == 0, "\(parameters.errors)")
        #expect(parameters.output.hasPrefix(#"{"ClassLoadPercents":{"diff":30,"land":70},"RequestorMap":{"#), "\(parameters.output)")
        #expect(parameters.output.hasSuffix(#""RebalanceMinimumDuration":9,"RebalanceThreshold":15}"# + "\n"), "\(parameters.output)")

        let audit = try String(contentsOf: auditLog, encoding: .utf8).split(separator: "\n")
        #expect(audit.count == 10, "run, run, kill, failed kill, set, each on record as sent first: \(audit)")
        #expect(audit.filter { $0.contains(#""outcome":"sent""#) }.count == 5)
        #expect(audit.allSatisfy { $0.contains(#""source":"cli""#) })
        #expect(audit.last?.contains(#""action":"set-scheduling-alg-params""#) == true)

        let readOnly = await run(["set-scheduler-status"] + addr + ["--task-throttle", "3"], environment: ["SCOOT_CONSOLE_READ_ONLY": "1"])
        #expect(readOnly.status == 2)
        #expect(readOnly.errors.contains("read-only mode"), "\(readOnly.errors)")
        let throttle = await run(["get-scheduler-status"] + addr + ["--json"])
        #expect(throttle.output.hasSuffix(#""maxTasks":-1}"# + "\n"), "nothing was sent: \(throttle.output)")
        let refusal = try String(contentsOf: auditLog, encoding: .utf8).split(separator: "\n").last
        #expect(refusal?.contains(#""outcome":"refused""#) == true)
        await stop(server)
    }

    @Test func theTLSFlagsConnectWithAClientCertificate() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificates = try await TestCertificates.shared()
        let serve = try await ServeProcess(
            dataDirectory: directory.appendingPathComponent("data"), workers: 1, extraArguments: ServeProcess.tlsArguments(certificates))
        let tls = [
            "--addr", "127.0.0.1:\(try #require(serve.tlsPort))", "--timeout", "5", "--tls-cert", certificates.aliceCertificate,
            "--tls-key", certificates.aliceKey, "--tls-ca", certificates.authority,
        ]
        let set = await run(["set-scheduler-status"] + tls + ["--task-throttle", "4"])
        #expect(set.status == 0, "\(set.errors)")
        let status = await run(["get-scheduler-status"] + tls + ["--json"])
        #expect(status.status == 0, "\(status.errors)")
        #expect(status.output.hasSuffix(#""maxTasks":4}"# + "\n"), "\(status.output)")
        let plain = await run(["get-scheduler-status", "--addr", "127.0.0.1:\(try #require(serve.tlsPort))", "--timeout", "5"])
        #expect(plain.status == 3, "plain Thrift on the TLS port: \(plain.errors)")
        let incomplete = await run(["get-scheduler-status", "--addr", "127.0.0.1:1", "--tls-cert", certificates.aliceCertificate])
        #expect(incomplete.status == 2)
        #expect(incomplete.errors.contains("--tls-cert, --tls-key and --tls-ca go together; missing --tls-key and --tls-ca"), "\(incomplete.errors)")
        await serve.stop()
    }

    @Test func unreachableExits3AndBadFlagsExit2() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let closed = await run(["get-scheduler-status", "--addr", "127.0.0.1:1", "--timeout", "5"])
        #expect(closed.status == 3)
        #expect(closed.errors.contains("cannot reach 127.0.0.1:1: connection refused; is the scheduler running? pass --addr HOST:PORT"), "\(closed.errors)")
        let badFlag = await run(["get-scheduler-status", "--no-such-flag"])
        #expect(badFlag.status == 2, "\(badFlag.errors)")
        #expect(badFlag.errors.contains("--no-such-flag"), "\(badFlag.errors)")
        let badFile = await run(["run-job", "--addr", "127.0.0.1:1", "--job-def", directory.appendingPathComponent("missing.json").path])
        #expect(badFile.status == 2)
        #expect(badFile.errors.contains("missing.json: no such file; check the path"), "\(badFile.errors)")
        let help = await run(["watch-job", "--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("Exit codes: 0 ok"), "\(help.output)")
    }

    /// `run-job --help` answered "unknown option '--help'": its command line is captured as typed.
    @Test func everySubcommandAnswersHelpAndAnArgvAfterDashDashStaysAnArgv() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        for command in ["run-job", "kill-job", "gateway", "serve", "set-scheduling-alg-params"] {
            for flag in ["--help", "-h"] {
                let help = await run([command, flag])
                #expect(help.status == 0 && help.output.hasPrefix("OVERVIEW:"), "\(command) \(flag): \(help.errors)")
            }
        }
        let argv = await run(["run-job", "--addr", "127.0.0.1:1", "--timeout", "5", "--", "--help"])
        #expect(argv.status == 3, "after --, --help is the command to run: \(argv.output)")
    }
}
