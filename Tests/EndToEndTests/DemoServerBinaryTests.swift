import Dispatch
import Foundation
import ScootAPI
import Testing
import Thrift

/// Drives the real `scoot-console` binary, built next to the test bundle by `swift build --build-tests`.
@Suite("scoot-console binary", .serialized)
struct DemoServerBinaryTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("scoot-console")

    private func run(_ arguments: [String]) async -> (status: Int32, output: String) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = Self.binary
                process.arguments = arguments
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                do { try process.run() } catch {
                    continuation.resume(returning: (-1, "cannot start \(Self.binary.path): \(error)"))
                    return
                }
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
            }
        }
    }

    @Test func versionAndHelp() async {
        let version = await run(["--version"])
        #expect(version.status == 0)
        #expect(version.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        let help = await run(["--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("demo-server"))
        #expect(help.output.contains("not built yet"), "the help must not pretend the console exists")
    }

    @Test func badAddressIsAUsageError() async {
        let result = await run(["demo-server", "--addr", "nonsense"])
        #expect(result.status == 64)
        #expect(result.output.contains("expected host:port"), "\(result.output)")
    }

    @Test func demoServerServesCloudScootAndStopsOnSIGINT() async throws {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = ["demo-server", "--addr", "127.0.0.1:0", "--log-level", "warning"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let banner: String = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var collected = Data()
                while !String(decoding: collected, as: UTF8.self).contains("Ctrl-C") {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    collected.append(chunk)
                }
                continuation.resume(returning: String(decoding: collected, as: UTF8.self))
            }
        }
        let address = try #require(banner.split(separator: " ").first { $0.hasPrefix("127.0.0.1:") }, "banner: \(banner)")
        let endpoint = try HostAndPort(parsing: String(address))
        #expect(banner.contains("no task runs"), "the demo must say it runs nothing")

        let client = CloudScootClient(host: endpoint.host, port: endpoint.port, connectTimeout: .seconds(5), callTimeout: .seconds(5))
        let job = try await client.runJob(job: JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["true"]), taskId: "t1")]))
        #expect(try await client.getStatus(jobId: job.id).status == .inProgress)
        #expect(try await client.getSchedulerStatus() == SchedulerStatus(currentTasks: 1, maxTasks: -1))

        kill(process.processIdentifier, SIGINT)
        let status: Int32 = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
        #expect(status == 0, "demo-server must exit 0 on SIGINT")
    }
}
