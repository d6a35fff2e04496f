import Dispatch
import Foundation
import ScootAPI
import Testing

/// The real console binary in tmux against a real `serve`: kill a job with keys, confirm through
/// the Thrift API that it was killed.
@Suite("Console in tmux against serve", .serialized)
struct ConsoleTmuxTests {
    /// Runs tmux; `new-session` starts a server that keeps inherited pipes open, so tmux's
    /// output goes to a file rather than a pipe read to its end.
    private func tmux(_ arguments: [String]) async -> String {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).txt")
                _ = FileManager.default.createFile(atPath: output.path, contents: nil)
                defer { try? FileManager.default.removeItem(at: output) }
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = ["tmux"] + arguments
                process.standardOutput = try? FileHandle(forWritingTo: output)
                process.standardError = FileHandle.nullDevice
                process.standardInput = FileHandle.nullDevice
                do { try process.run() } catch { continuation.resume(returning: ""); return }
                process.waitUntilExit()
                continuation.resume(returning: (try? String(contentsOf: output, encoding: .utf8)) ?? "")
            }
        }
    }

    @Test func killAJobWithKeys() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try await ServeProcess(dataDirectory: data, workers: 2)
        let client = CloudScootClient(host: "127.0.0.1", port: server.port, connectTimeout: .seconds(5), callTimeout: .seconds(10))
        let job = try await client.runJob(job: JobDefinition(
            tasks: (0..<3).map { TaskDefinition(command: Command(argv: ["sleep", "30"]), taskId: "t\($0)") }, requestor: "land-tmux")).id

        let session = "scoot-e2e-\(getpid())"
        let command = "env TERM=tmux-256color LANG=C.UTF-8 \(ServeProcess.binary.path) --connect 127.0.0.1:\(server.port); sleep 30"
        _ = await tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command])
        defer { Task { _ = await tmux(["kill-session", "-t", session]) } }
        var screen = ""
        for _ in 0..<100 where !screen.contains(String(job.prefix(8))) {
            try await Task.sleep(for: .milliseconds(100))
            screen = await tmux(["capture-pane", "-p", "-t", session])
        }
        #expect(screen.contains(String(job.prefix(8))), "the job never appeared:\n\(screen)")
        _ = await tmux(["send-keys", "-t", session, "x"])
        for _ in 0..<50 where !screen.contains("[ Kill ]") {
            try await Task.sleep(for: .milliseconds(100))
            screen = await tmux(["capture-pane", "-p", "-t", session])
        }
        #expect(screen.contains("Confirm") && screen.contains(job), "the confirmation must name the job:\n\(screen)")
        _ = await tmux(["send-keys", "-t", session, "Tab", "Enter"])
        var status = try await client.getStatus(jobId: job)
        for _ in 0..<100 where status.status != .completed {
            try await Task.sleep(for: .milliseconds(100))
            status = try await client.getStatus(jobId: job)
        }
        #expect(status.status == .completed)
        #expect(status.taskData?.values.allSatisfy { $0.status == .aborted && ($0.error ?? "").hasPrefix("UserRequested") } == true)
        _ = await tmux(["send-keys", "-t", session, "q"])
        await server.stop()
    }
}
