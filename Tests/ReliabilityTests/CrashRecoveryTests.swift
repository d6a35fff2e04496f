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

    private static func client(_ serve: ServeBinary) -> ScootConsoleClient {
        ScootConsoleClient(caller: ThriftClient(configuration: .init(port: serve.port, connectTimeout: .seconds(5), callTimeout: .seconds(30))))
    }

    /// KillJob answers once its one record is durable: a `kill -9` right after the answer still
    /// finds the job killed after a restart, every task ended as the kill ended it, none run again.
    @Test func aKillAcknowledgedJustBeforeSIGKILLStaysKilled() async throws {
        let data = try ServeBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try await ServeBinary(dataDirectory: data, workers: 2)
        let client = Self.client(first)
        let job = JobDefinition(
            tasks: (0..<2_000).map { TaskDefinition(command: Command(argv: ["sleep", "100"]), taskId: "t\($0)") }, requestor: "kill-crash")
        let id = try await client.runJob(job: job).id
        #expect(await Reliability.eventually(within: 30) {
            (try? await client.getStatus(jobId: id).taskStatus?.values.contains(.inProgress)) == true
        }, "two tasks run")
        let killed = try await client.killJob(jobId: id)
        await first.stop(signal: SIGKILL)
        #expect(killed.status == .completed && killed.taskData?.count == 2_000)

        let second = try await ServeBinary(dataDirectory: data, workers: 2)
        let after = Self.client(second)
        let recovered = try await after.getStatus(jobId: id)
        #expect(recovered.status == .completed)
        #expect(recovered.taskStatus?.count == 2_000 && recovered.taskStatus?.values.allSatisfy { $0 == .completed } == true)
        #expect(recovered.taskData?.values.allSatisfy { $0.status == .aborted && ($0.error ?? "").hasPrefix("UserRequested") } == true)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await after.getSchedulerStatus().currentTasks == 0, "nothing of the killed job runs again")
        #expect(try await after.listWorkers().allSatisfy { $0.state == .idle })
        await second.stop()
    }

    /// A data directory whose disk fills up: the journal's failure shows in GetClusterLoad, RunJob
    /// answers CanNotScheduleNow (the log says why), and once space is back every acknowledged job (and
    /// the task ends made meanwhile) is written and survives a `kill -9`. Mounts a small tmpfs,
    /// so it needs root (as `make test` has in CI).
    @Test(.enabled(if: getuid() == 0, "mounts a 6 MiB tmpfs as the data directory"))
    func aJournalThatFillsUpIsVisibleAndLosesNothing() async throws {
        let data = try ServeBinary.temporaryDirectory()
        try await Self.mountTmpfs(at: data, megabytes: 6)
        defer {
            _ = try? Self.runTool("/bin/umount", ["-l", data.path])
            try? FileManager.default.removeItem(at: data)
        }
        let fill = data.appendingPathComponent("fill").path
        let first = try await ServeBinary(dataDirectory: data, workers: 1, extraArguments: ["--disk-reserve", "0"])
        let client = Self.client(first)
        func small(_ name: String) -> JobDefinition {
            JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["true"]), taskId: name)], requestor: "fill")
        }
        // The one task fills the disk, holds it full for 4 s, then frees it.
        let filler = try await client.runJob(
            job: JobDefinition(
                tasks: [TaskDefinition(command: Command(argv: ["sh", "-c", "head -c 50000000 /dev/zero > '\(fill)'; sleep 4; rm -f '\(fill)'"]), taskId: "fill")],
                requestor: "fill")).id
        var accepted = [filler]
        #expect(await Reliability.eventually(within: 20) {
            do {
                accepted.append(try await client.runJob(job: small("during")).id)
                return false
            } catch is CanNotScheduleNow {
                return true
            } catch {
                return false
            }
        }, "RunJob is refused once the journal cannot be written")
        let failing = try await client.getClusterLoad().journal
        #expect(failing?.failure != nil && failing?.failingSinceMs != nil, "GetClusterLoad reports the failure: \(String(describing: failing))")

        #expect(await Reliability.eventually(within: 30) {
            guard let id = try? await client.runJob(job: small("after")).id else { return false }
            accepted.append(id)
            return true
        }, "RunJob is accepted again once space is back")
        #expect(await Reliability.eventually(within: 30) {
            guard let journal = try? await client.getClusterLoad().journal, journal.failure == nil, journal.waitingRecords == 0 else { return false }
            return (try? await client.getStatus(jobId: filler).status) == .completed
        }, "the journal catches up")
        await first.stop(signal: SIGKILL)

        let second = try await ServeBinary(dataDirectory: data, workers: 1, extraArguments: ["--disk-reserve", "0"])
        let after = Self.client(second)
        for id in accepted {
            let status = try await after.getStatus(jobId: id)
            #expect(status.taskStatus?.isEmpty == false, "acknowledged job \(id) survives")
        }
        #expect(try await after.getStatus(jobId: filler).status == .completed, "the filler's end, written after the disk came back, survives")
        await second.stop()
    }

    private static func mountTmpfs(at directory: URL, megabytes: Int) async throws {
        try runTool("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", directory.path])
    }

    @discardableResult
    private static func runTool(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServeBinary.StartError(description: "\(path) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return process.terminationStatus
    }

    private static func linesRun(_ log: URL) -> Int {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").count
    }
}
