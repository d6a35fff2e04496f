import Foundation
import ScootAPI
import Testing
import Thrift

/// Many connections of mixed calls against the `serve` binary: no errors, no leaked file
/// descriptors, no memory growth from one round to the next.
@Suite("Load against scoot-console serve", .serialized)
struct LoadTests {
    struct Round: Sendable {
        var calls = 0
        var errors: [String] = []
        var seconds = 0.0
        var callsPerSecond: Double { Double(calls) / seconds }
    }

    /// `connections` clients, each on its own connection, each making `callsEach` calls cycling
    /// through RunJob, GetStatus, KillJob and the settings getters and setters.
    static func round(port: Int, connections: Int, callsEach: Int) async -> Round {
        let started = ContinuousClock.now
        var round = await withTaskGroup(of: Round.self) { group in
            for connection in 0..<connections {
                group.addTask { await client(port: port, number: connection, calls: callsEach) }
            }
            return await group.reduce(into: Round()) { total, one in
                total.calls += one.calls
                total.errors += one.errors
            }
        }
        round.seconds = (ContinuousClock.now - started) / .seconds(1)
        return round
    }

    private static func client(port: Int, number: Int, calls: Int) async -> Round {
        let thrift = ThriftClient(configuration: .init(port: port, connectTimeout: .seconds(30), callTimeout: .seconds(60)))
        let client = CloudScootClient(caller: thrift)
        var round = Round()
        var jobID = ""
        let job = JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["sleep", "600"]), taskId: "t")], requestor: "load-\(number % 4)")
        for call in 0..<calls {
            do {
                switch call % 10 {
                case 0: jobID = try await client.runJob(job: job).id
                case 1, 7:
                    let status = try await client.getStatus(jobId: jobID)
                    if status.id != jobID { round.errors.append("GetStatus(\(jobID)) answered \(status.id)") }
                case 2:
                    let killed = try await client.killJob(jobId: jobID)
                    if killed.status != .completed { round.errors.append("KillJob(\(jobID)) left it \(killed.status)") }
                case 3: _ = try await client.getSchedulerStatus()
                case 4: _ = try await client.getClassLoadPercents()
                case 5: _ = try await client.getRequestorToClassMap()
                case 6: try await client.setRebalanceThreshold(threshold: Int32(number % 50))
                case 8: try await client.setRebalanceMinimumDuration(durationMin: 4)
                default: _ = try await client.getRebalanceThreshold()
                }
                round.calls += 1
            } catch {
                round.errors.append("call \(call) of client \(number): \(error)")
            }
        }
        await thrift.disconnect()
        return round
    }

    private func run(connections: Int, callsEach: Int) async throws {
        let data = try ServeBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        let serve = try await ServeBinary(dataDirectory: data, workers: 0, simulatedWorkers: 4)
        // A warm-up, so that files the job log opens on first use are not counted as leaks.
        let warmUp = await Self.round(port: serve.port, connections: 1, callsEach: 10)
        #expect(warmUp.errors.isEmpty, "\(warmUp.errors)")
        try await Task.sleep(for: .milliseconds(500))  // lets the warm-up connection close
        let fdsBefore = serve.openFileDescriptors
        let rssBefore = serve.residentKiB
        var rounds: [Round] = []
        var fdsAfter: [Int] = []
        var rssAfter: [Int] = []
        for _ in 0..<2 {
            let round = await Self.round(port: serve.port, connections: connections, callsEach: callsEach)
            #expect(round.errors.isEmpty, "\(round.errors.count) errors, e.g. \(round.errors.prefix(3))")
            #expect(round.calls == connections * callsEach)
            rounds.append(round)
            // Closed connections give their descriptors back (the server notices the close at once).
            _ = await Reliability.eventually(within: 10) { serve.openFileDescriptors <= fdsBefore }
            fdsAfter.append(serve.openFileDescriptors)
            rssAfter.append(serve.residentKiB)
        }
        #expect(fdsAfter.allSatisfy { $0 <= fdsBefore }, "file descriptors before \(fdsBefore), after each round \(fdsAfter)")
        // The second round adds as many jobs as the first: generous bound on what it may add.
        let firstGrowth = max(0, rssAfter[0] - rssBefore)
        #expect(rssAfter[1] <= rssAfter[0] + max(firstGrowth, 32 * 1024), "RSS KiB: before \(rssBefore), after rounds \(rssAfter)")
        for (index, round) in rounds.enumerated() {
            Reliability.figure(
                "load round \(index + 1): \(connections) connections × \(callsEach) calls = \(round.calls) calls in "
                    + String(format: "%.1f s, %.0f calls/s, %d errors", round.seconds, round.callsPerSecond, round.errors.count))
        }
        Reliability.figure("load: fds before \(fdsBefore), after rounds \(fdsAfter); RSS KiB before \(rssBefore), after rounds \(rssAfter)")
        #expect(await serve.stop() == 0)
    }

    @Test func sixteenConnectionsOfAHundredCalls() async throws {
        try await run(connections: 16, callsEach: 100)
    }

    @Test(.enabled(if: Reliability.full, Comment(rawValue: Reliability.fullOnly)))
    func sixtyFourConnectionsOfAThousandCalls() async throws {
        try await run(connections: 64, callsEach: 1000)
    }
}
