import Foundation
@testable import SchedulerCore
import NIOCore
import Synchronization
import ScootAPI
import Testing
import Thrift

/// Attacks on a real `serve` from outside, as an unauthenticated client could make them.
@Suite("serve under attack")
struct ServeAttackTests {
    /// `limits`: a reply of a 400,000-task job (every task's status) is larger than the default
    /// 16 MiB a message.
    static func client(_ port: Int, callTimeout: TimeAmount = .seconds(10), limits: ThriftLimits = .default) -> CloudScootClient {
        CloudScootClient(caller: ThriftClient(configuration: .init(port: port, connectTimeout: .seconds(5), callTimeout: callTimeout, limits: limits)))
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
        Reliability.figure("regex: a 41-character requestor against (a+)+$: RunJob + GetStatus in \(answered.map { "\($0.wholeMilliseconds) ms" }.joined(separator: ", then after a restart "))")
        // A hang would never answer; 100 ms is the issue's bound, asserted where the machine is not shared with the whole suite.
        #expect(answered.allSatisfy { $0 < (Reliability.full ? .milliseconds(100) : .seconds(5)) }, "\(answered)")
    }
}

@Suite("serve: fairness under big requests")
struct BigRequestFairnessTests {
    /// Latencies of GetSchedulerStatus from another client, made back to back while `work` runs.
    static func latencies(port: Int, during work: () async throws -> Void) async throws -> [Duration] {
        let watcher = ServeAttackTests.client(port)
        _ = try await watcher.getSchedulerStatus()
        let stop = Mutex(false)
        let probe = Task {
            var seen: [Duration] = []
            while !stop.withLock({ $0 }) {
                let started = ContinuousClock.now
                _ = try await watcher.getSchedulerStatus()
                seen.append(ContinuousClock.now - started)
                try await Task.sleep(for: .milliseconds(2))
            }
            return seen
        }
        try await work()
        try await Task.sleep(for: .milliseconds(200))
        stop.withLock { $0 = true }
        return try await probe.value
    }

    static func p99(_ values: [Duration]) -> Duration {
        let sorted = values.sorted()
        return sorted.isEmpty ? .zero : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
    }

    /// One 400,000-task job took 4.4 s to admit and stalled others 2.8 s; its kill took 33 s and
    /// another client waited 27.7 s. (Later, with the kill one record: the kill still took 10 s,
    /// as SQLite rewrote the job's 30 MB definition, and the others waited up to 200 ms while
    /// the actor copied the job's tasks because a status was being built from them.) Under `make test` a 20,000-task job (a debug build on a
    /// shared machine); under `make reliability` the 400,000-task one (`true` tasks, as small
    /// as a task gets: about 12 MB on the wire, under the 16 MiB message limit), with the p99
    /// bound. One simulated worker runs them, a second each, so nearly all are killed waiting.
    @Test func aHugeJobAndItsKillDoNotStallOtherClients() async throws {
        let data = try ServeBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let taskCount = Reliability.full ? 400_000 : 20_000
        let serve = try await ServeBinary(
            dataDirectory: data, workers: 0, simulatedWorkers: 1, extraArguments: ["--max-tasks-per-job", String(taskCount)])
        let large = ThriftLimits(maxMessageSize: 256 << 20)
        let client = ServeAttackTests.client(serve.port, callTimeout: .seconds(120), limits: large)
        let job = JobDefinition(
            tasks: (0..<taskCount).map { TaskDefinition(command: Command(argv: ["true"]), taskId: "\($0)") }, requestor: "big")
        var id = ""
        let whileRunning = try await Self.latencies(port: serve.port) { id = try await client.runJob(job: job).id }
        let whileKilling = try await Self.latencies(port: serve.port) { _ = try await client.killJob(jobId: id) }
        var shown = ScootAPI.JobStatus(id: "", status: .notStarted, taskStatus: [:])
        let whileReading = try await Self.latencies(port: serve.port) { shown = try await client.getStatus(jobId: id) }
        // kill -9 right after the answer: the job must still be killed after the restart.
        _ = await serve.stop(signal: SIGKILL)
        let again = try await ServeBinary(
            dataDirectory: data, workers: 0, simulatedWorkers: 1, extraArguments: ["--max-tasks-per-job", String(taskCount)])
        let recovered = try await ServeAttackTests.client(again.port, callTimeout: .seconds(120), limits: large).getStatus(jobId: id)
        let finals = (recovered.taskData ?? [:]).values.map(\.status)
        let states = Set(finals)
        let aborted = finals.count { $0 == .aborted }
        Reliability.figure(
            "fairness: \(taskCount)-task job: another client's GetSchedulerStatus p99 \(Self.p99(whileRunning).wholeMilliseconds) ms, "
                + "max \(whileRunning.max()?.wholeMilliseconds ?? 0) ms while it was admitted; p99 \(Self.p99(whileKilling).wholeMilliseconds) ms, "
                + "max \(whileKilling.max()?.wholeMilliseconds ?? 0) ms while it was killed; p99 \(Self.p99(whileReading).wholeMilliseconds) ms, "
                + "max \(whileReading.max()?.wholeMilliseconds ?? 0) ms while its status was read")
        #expect(shown.taskStatus?.count == taskCount && shown.status == .completed)
        #expect(recovered.status == .completed && states.isSubset(of: [.aborted, .complete]), "killed before the kill -9, killed after it: \(states)")
        #expect(finals.count == taskCount && aborted >= taskCount - 1_000, "\(aborted) of \(taskCount) aborted")
        #expect(Self.p99(whileRunning) < (Reliability.full ? .milliseconds(50) : .seconds(2)))
        #expect(Self.p99(whileKilling) < (Reliability.full ? .milliseconds(50) : .seconds(2)))
        #expect(Self.p99(whileReading) < (Reliability.full ? .milliseconds(50) : .seconds(2)))
        _ = await again.stop()
    }
}

@Suite("serve: every listener bounded")
struct ListenerBoundsTests {
    /// 1,100 idle HTTP connections under `ulimit -n 1024` filled the descriptor table: every
    /// Thrift call timed out and serve spun a core. Now the metrics port takes 32 and closes the
    /// rest at once, and the Thrift port keeps answering.
    @Test func idleHTTPConnectionsCannotStarveTheThriftPort() async throws {
        let data = try ServeBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let serve = try await ServeBinary(dataDirectory: data, workers: 0, simulatedWorkers: 1, descriptorLimit: 1024)
        let port = serve.httpPort
        let connections: [RawConnection] = await Reliability.offPool {
            (0..<1_100).compactMap { _ in RawConnection(port: port, receiveTimeoutMs: 2_000) }
        }
        #expect(connections.count == 1_100, "every connection was accepted (and most closed at once)")
        let cpuBefore = serve.cpuSeconds
        let started = ContinuousClock.now
        let status = try await ServeAttackTests.client(serve.port, callTimeout: .seconds(5)).getSchedulerStatus()
        let answeredIn = ContinuousClock.now - started
        try await Task.sleep(for: .seconds(2))
        let cpu = serve.cpuSeconds - cpuBefore
        let descriptors = serve.openFileDescriptors
        Reliability.figure(
            "listeners: 1,100 idle HTTP connections under ulimit -n 1024: GetSchedulerStatus answered in \(answeredIn.wholeMilliseconds) ms, "
                + "serve holds \(descriptors) descriptors, \(String(format: "%.2f", cpu)) CPU s over the next 2 s")
        #expect(status.maxTasks == -1)
        #expect(descriptors < 200, "the metrics port holds at most 32 connections: \(descriptors) descriptors open")
        #expect(cpu < 0.5, "no spinning: \(cpu) CPU seconds in 2 s")
        withExtendedLifetime(connections) {}
        _ = await serve.stop()
    }

    @Test func aSilentOrSlowHTTPClientIsClosed() async throws {
        let data = try ServeBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let serve = try await ServeBinary(dataDirectory: data, workers: 0, simulatedWorkers: 1)
        let port = serve.httpPort
        // A well-behaved request is answered.
        let answer: [UInt8] = await Reliability.offPool {
            guard let connection = RawConnection(port: port, receiveTimeoutMs: 5_000) else { return [] }
            connection.send(Array("GET /admin/metrics.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
            return connection.readUntilClosed().bytes
        }
        #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"))
        // The timeouts are 10 s and 30 s: the slow client runs under make reliability.
        guard Reliability.full else {
            _ = await serve.stop()
            return
        }
        // Slowloris: a header a byte every 2 s is cut at the 10 s request timeout.
        let slow: (closed: Bool, after: Duration) = await Reliability.offPool {
            guard let connection = RawConnection(port: port, receiveTimeoutMs: 3_000) else { return (false, .zero) }
            let started = ContinuousClock.now
            for byte in "GET /admin/metrics.json HTTP/1.1\r\nX-Slow: yes".utf8 {
                guard connection.send([byte]) else { return (true, ContinuousClock.now - started) }
                Thread.sleep(forTimeInterval: 2)
                if ContinuousClock.now - started > .seconds(30) { break }
            }
            return (false, ContinuousClock.now - started)
        }
        #expect(slow.closed && slow.after < .seconds(15), "\(slow)")
        _ = await serve.stop()
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

