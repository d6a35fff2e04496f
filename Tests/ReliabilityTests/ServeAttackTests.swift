import Foundation
import NIOCore
import ScootAPI
import Testing
import Thrift

/// Attacks on a real `serve` from outside, as an unauthenticated client could make them.
@Suite("serve under attack")
struct ServeAttackTests {
    static func client(_ port: Int, callTimeout: TimeAmount = .seconds(10)) -> CloudScootClient {
        CloudScootClient(caller: ThriftClient(configuration: .init(port: port, connectTimeout: .seconds(5), callTimeout: callTimeout)))
    }

    /// `(a+)+$` against `aaaa…!` backtracks exponentially in Swift's `Regex`: 22 characters
    /// blocked the scheduler for good, across restarts. With the linear matcher it is answered at
    /// once, and again after a restart with the map in the journal.
    @Test func aBacktrackingRequestorMapCannotStallTheScheduler() async throws {
        let data = try ServeBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let requestor = String(repeating: "a", count: 40) + "!"
        let job = JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["sleep", "0"]), taskId: "t")], requestor: requestor)
        var answered: [Duration] = []
        for round in 0..<2 {
            let serve = try await ServeBinary(dataDirectory: data, workers: 0, simulatedWorkers: 1)
            let client = Self.client(serve.port)
            if round == 0 { try await client.setRequestorToClassMap(requestorToClassMap: ["(a+)+$": "land"]) }
            let started = ContinuousClock.now
            let id = try await client.runJob(job: job).id
            _ = try await client.getStatus(jobId: id)
            answered.append(ContinuousClock.now - started)
            #expect(try await client.getRequestorToClassMap() == ["(a+)+$": "land"], "the map survives the restart")
            _ = await serve.stop()
        }
        Reliability.figure("regex: a 41-character requestor against (a+)+$: RunJob + GetStatus in \(answered.map { "\($0.milliseconds) ms" }.joined(separator: ", then after a restart "))")
        // A hang would never answer; 100 ms is the issue's bound, asserted where the machine is not shared with the whole suite.
        #expect(answered.allSatisfy { $0 < (Reliability.full ? .milliseconds(100) : .seconds(5)) }, "\(answered)")
    }
}

@Suite("serve: one data directory, one owner")
struct DataDirectoryOwnerTests {
    /// Two servers on one directory each ran blind to the other's jobs.
    @Test func aSecondServeOnTheSameDirectoryExitsNamingTheHolder() async throws {
        let data = try ServeBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let first = try await ServeBinary(dataDirectory: data, workers: 0, simulatedWorkers: 1)
        let (status, error) = try await ServeBinary.refusal(dataDirectory: data)
        #expect(status == 1)
        #expect(error.contains("in use by another serve (pid \(first.pid))"), "\(error)")
        _ = await first.stop(signal: SIGKILL)
        // The kernel drops the lock with its holder, however it ended.
        let second = try await ServeBinary(dataDirectory: data, workers: 0, simulatedWorkers: 1)
        _ = await second.stop()
    }

    /// A 0-byte `jobs.sqlite` started silently empty: every acknowledged job gone.
    @Test func anEmptiedJobLogIsRefusedNotReplaced() async throws {
        let data = try ServeBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let serve = try await ServeBinary(dataDirectory: data, workers: 0, simulatedWorkers: 1)
        let job = JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["sleep", "60"]), taskId: "t")])
        _ = try await ServeAttackTests.client(serve.port).runJob(job: job)
        _ = await serve.stop()
        let path = data.appendingPathComponent("jobs.sqlite").path
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        #expect(truncate(path, 0) == 0)
        let (status, error) = try await ServeBinary.refusal(dataDirectory: data)
        #expect(status == 1)
        #expect(error.contains("held a job database"), "\(error)")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0, "the evidence is left as it was")
    }
}

extension Duration {
    /// Whole milliseconds, for figures.
    var milliseconds: Int64 { Int64(self / .milliseconds(1)) }
}
