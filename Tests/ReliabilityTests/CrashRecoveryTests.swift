import Foundation
import ScootAPI
import Synchronization
import Testing
import Thrift

/// `kill -9` of `serve` in the middle of a 1,000-task run; after a restart on the same data
/// directory every accepted job completes and every task has run.
@Suite("Crash recovery of scoot-console serve", .serialized)
struct CrashRecoveryTests {
    static let jobs = 20
    static let tasksPerJob = 50

    /// Each task sleeps briefly and appends `job-task` to a log, so the log shows which ran.
    private static func definition(job: Int, log: URL) -> JobDefinition {
        JobDefinition(
            tasks: (0..<tasksPerJob).map { task in
                TaskDefinition(command: Command(argv: ["sh", "-c", "sleep 0.02; echo j\(job)-t\(task) >> '\(log.path)'"]), taskId: "t\(task)")
            },
            requestor: "crash-\(job % 5)")
    }

    @Test(.enabled(if: Reliability.full, Comment(rawValue: Reliability.fullOnly)))
    func everyAcceptedJobOfAThousandTasksCompletesAfterSIGKILL() async throws {
        let data = try ServeBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let log = data.appendingPathComponent("ran.log")
        let first = try await ServeBinary(dataDirectory: data, workers: 4)
        let accepted = Mutex<[Int: String]>([:])
        let submitter = Task {
            let client = CloudScootClient(caller: ThriftClient(configuration: .init(port: first.port, connectTimeout: .seconds(5), callTimeout: .seconds(20))))
            for job in 0..<Self.jobs {
                guard let id = try? await client.runJob(job: Self.definition(job: job, log: log)).id else { return }
                accepted.withLock { $0[job] = id }
            }
        }
        // Kill once some tasks have run but well before the run ends.
        #expect(await Reliability.eventually(within: 60) { Self.linesRun(log) >= 100 }, "the run started")
        await first.stop(signal: SIGKILL)
        await submitter.value
        let ranBeforeKill = Self.linesRun(log)
        let ids = accepted.withLock { $0 }
        #expect(ranBeforeKill < Self.jobs * Self.tasksPerJob, "killed mid-run")
        #expect(!ids.isEmpty)

        let second = try await ServeBinary(dataDirectory: data, workers: 4)
        let client = CloudScootClient(caller: ThriftClient(configuration: .init(port: second.port, connectTimeout: .seconds(5), callTimeout: .seconds(20))))
        let completed = await Reliability.eventually(within: 300) {
            for id in ids.values {
                guard let status = try? await client.getStatus(jobId: id), status.status == .completed else { return false }
            }
            return true
        }
        #expect(completed, "every accepted job completes after the restart")
        for (job, id) in ids.sorted(by: { $0.key < $1.key }) {
            let status = try await client.getStatus(jobId: id)
            let states = Set((status.taskData ?? [:]).values.map(\.status))
            #expect(status.taskData?.count == Self.tasksPerJob && states == [.complete], "job \(job) (\(id)): \(states)")
        }
        let ran = Set((try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? [])
        let missing = ids.keys.flatMap { job in (0..<Self.tasksPerJob).map { "j\(job)-t\($0)" } }.filter { !ran.contains($0) }
        #expect(missing.isEmpty, "tasks that never ran: \(missing.prefix(10))")
        Reliability.figure(
            "crash: kill -9 after \(ranBeforeKill) of \(Self.jobs * Self.tasksPerJob) task runs; \(ids.count) accepted jobs, "
                + "all completed after restart, \(missing.count) tasks missing")
        await second.stop()
    }

    private static func linesRun(_ log: URL) -> Int {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").count
    }
}
