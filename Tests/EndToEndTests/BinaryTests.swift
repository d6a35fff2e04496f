import Dispatch
import Foundation
import ScootAPI
import Testing
import Thrift

/// Drives the real `scoot-console` binary, built next to the test bundle by `swift build --build-tests`.
@Suite("scoot-console binary", .serialized)
struct BinaryTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("scoot-console")

    private func run(_ arguments: [String]) async -> (status: Int32, output: String) { await runToEnd(Self.binary, arguments) }

    @Test func versionAndHelp() async {
        let version = await run(["--version"])
        #expect(version.status == 0)
        #expect(version.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = await run(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("interactive console"))
        #expect(help.output.contains("serve") && help.output.contains("gateway"))
    }

    @Test func badAddressIsAUsageError() async {
        let result = await run(["serve", "--addr", "nonsense"])
        #expect(result.status == 2, "usage errors exit 2 (docs/cli.md), not ArgumentParser's 64")
        #expect(result.output.contains("expected host:port"), "\(result.output)")
    }

    @Test func serveAnswersCloudScootAndStopsOnSIGINT() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-binary-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = [
            "serve", "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--workers", "0", "--simulated-workers", "2",
            "--data-dir", data.path, "--log-level", "warning",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let banner = await pipe.read(until: "Ctrl-C")
        let address = try #require(banner.split(separator: " ").first { $0.hasPrefix("127.0.0.1:") }, "banner: \(banner)")
        let endpoint = try HostAndPort(parsing: String(address.trimmingCharacters(in: .punctuationCharacters.subtracting(CharacterSet(charactersIn: ":")))))

        let client = CloudScootClient(host: endpoint.host, port: endpoint.port, connectTimeout: .seconds(5), callTimeout: .seconds(5))
        let job = try await client.runJob(job: JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["true"]), taskId: "t1")]))
        #expect(try await client.getStatus(jobId: job.id).id == job.id)

        kill(process.processIdentifier, SIGINT)
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
        #expect(status == 0, "serve must exit 0 on SIGINT")
    }
}

@Suite("scoot-console plan")
struct PlanBinaryTests {
    private func plan(_ arguments: [String], input: String) async -> (status: Int32, output: String, errors: String) {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = BinaryTests.binary
                process.arguments = ["plan"] + arguments
                let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
                process.standardInput = stdin
                process.standardOutput = stdout
                process.standardError = stderr
                do { try process.run() } catch {
                    continuation.resume(returning: (-1, "", "cannot start: \(error)"))
                    return
                }
                stdin.fileHandleForWriting.write(Data(input.utf8))
                try? stdin.fileHandleForWriting.close()
                let output = stdout.fileHandleForReading.readDataToEndOfFile()
                let errors = stderr.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self)))
            }
        }
    }

    @Test func readmeExampleAsATable() async {
        let input = """
            {"workers": 1000, "classLoadPercents": {"c0": 30, "c1": 25, "c2": 20, "c3": 15, "c4": 10, "c5": 0},
             "requestorToClassMap": {"r0": "c0", "r1": "c1", "r2": "c2", "r3": "c3", "r4": "c4", "r5": "c5"},
             "jobs": [{"id": "a", "requestor": "r0", "running": 200, "waiting": 290}, {"id": "b", "requestor": "r1", "running": 300, "waiting": 230},
                      {"id": "c", "requestor": "r2", "waiting": 150}, {"id": "d", "requestor": "r3", "running": 100, "waiting": 150},
                      {"id": "e", "requestor": "r4", "running": 110, "waiting": 90}, {"id": "f", "requestor": "r5", "waiting": 328}]}
            """
        let result = await plan(["-", "--format", "table"], input: input)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains("c0          30     300      200      290       0     94     0"), "\(result.output)")
        #expect(result.output.contains("spread 25  rebalance no  start 290  stop 0"))
    }

    @Test func badInputExitsWithCode2AndNamesTheField() async {
        let result = await plan([], input: #"{"workers": 10, "jobs": [{"id": "j", "waiting": "many"}]}"#)
        #expect(result.status == 2)
        #expect(result.errors.contains("jobs[0].waiting: expected an integer, got a string"), "\(result.errors)")
        #expect(result.output.isEmpty)
    }
}
