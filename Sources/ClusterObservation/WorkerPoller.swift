import Foundation
import NIOCore
import NIOPosix
import ScootWorkerAPI
import Thrift

/// Asks every Scoot worker `QueryWorker` at once and never waits long for any of them: a poll
/// returns after at most `answerWait`, with the last known state of a worker still answering
/// (its query goes on and lands in the next poll) and `unreachable` for one whose query failed.
public actor WorkerPoller {
    /// Which workers to ask and how long to wait.
    public struct Configuration: Sendable {
        /// The workers' thrift addresses; `host:port` is also each worker's id, as the scheduler
        /// names it.
        public var addresses: [HostAndPort]
        /// Longest wait for a worker's answer before it is unreachable.
        public var queryTimeout: Duration
        /// Longest a poll waits for answers before returning what it knows.
        public var answerWait: Duration

        /// Creates a configuration.
        public init(addresses: [HostAndPort], queryTimeout: Duration = .seconds(2), answerWait: Duration = .milliseconds(400)) {
            self.addresses = addresses
            self.queryTimeout = queryTimeout
            self.answerWait = answerWait
        }
    }

    /// Run ids remembered per worker to count distinct runs; past it the set starts over (the
    /// count keeps growing; a run still reported then may be counted twice).
    public static let runsRemembered = 1024

    /// The configuration the poller was made with.
    public let configuration: Configuration
    private let clients: [String: WorkerClient]
    private var observations: [String: WorkerObservation]
    private var queries: [String: Task<Void, Never>] = [:]
    private var seenRunIDs: [String: Set<String>] = [:]

    /// A poller over `configuration.addresses` (duplicates are asked once).
    public init(configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        var clients: [String: WorkerClient] = [:]
        var observations: [String: WorkerObservation] = [:]
        for endpoint in configuration.addresses where clients[endpoint.description] == nil {
            let address = endpoint.description
            let timeout = TimeAmount.nanoseconds(Int64(configuration.queryTimeout.components.seconds) * 1_000_000_000
                + configuration.queryTimeout.components.attoseconds / 1_000_000_000)
            let caller = ThriftClient(
                configuration: .init(host: endpoint.host, port: endpoint.port, connectTimeout: timeout, callTimeout: timeout),
                group: group)
            clients[address] = WorkerClient(caller: caller)
            observations[address] = WorkerObservation(id: address, reachable: false, failure: "not asked yet")
        }
        self.clients = clients
        self.observations = observations
    }

    /// The workers' ids in the order they were configured.
    public var workerIDs: [String] {
        var seen = Set<String>()
        return configuration.addresses.map(\.description).filter { seen.insert($0).inserted }
    }

    /// Starts a query of every worker not already being asked, waits up to `answerWait` for
    /// them, and returns every worker's latest observation in configured order.
    public func poll() async -> [WorkerObservation] {
        var started: [String] = []
        for id in workerIDs where queries[id] == nil {
            guard let client = clients[id] else { continue }
            queries[id] = Task { [weak self] in
                let outcome: Result<ScootWorkerAPI.WorkerStatus, any Error>
                do {
                    outcome = .success(try await client.queryWorker())
                } catch {
                    outcome = .failure(error)
                }
                await self?.record(outcome, for: id)
            }
            started.append(id)
        }
        if !started.isEmpty {
            let wait = configuration.answerWait
            let started = started
            // Awaiting a query's task cannot be cancelled, so the answers are watched instead:
            // whichever comes first, every answer or the end of the wait, ends the poll.
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [weak self] in
                    while !Task.isCancelled, await self?.anyAsked(started) == true { try? await Task.sleep(for: .milliseconds(10)) }
                }
                group.addTask { try? await Task.sleep(for: wait) }
                await group.next()
                group.cancelAll()
            }
        }
        return observationsInOrder
    }

    private func anyAsked(_ ids: [String]) -> Bool {
        ids.contains { queries[$0] != nil }
    }

    /// The latest observations without asking anyone.
    public var observationsInOrder: [WorkerObservation] {
        workerIDs.compactMap { observations[$0] }
    }

    private func record(_ outcome: Result<ScootWorkerAPI.WorkerStatus, any Error>, for id: String) {
        queries[id] = nil
        var observation = observations[id] ?? WorkerObservation(id: id, reachable: false)
        switch outcome {
        case .success(let status):
            observation.reachable = true
            observation.status = status
            observation.failure = nil
            observation.lastAnswerAtMs = Self.epochMilliseconds()
            var seen = seenRunIDs[id] ?? []
            for run in status.runs where !seen.contains(run.runId) {
                if seen.count >= Self.runsRemembered { seen.removeAll(keepingCapacity: true) }
                seen.insert(run.runId)
                observation.runsSeen += 1
            }
            seenRunIDs[id] = seen
        case .failure(let error):
            observation.reachable = false
            observation.failure = Self.brief(error)
        }
        observations[id] = observation
    }

    /// Why a query failed, in a few words.
    static func brief(_ error: any Error) -> String {
        if let transport = error as? ThriftTransportError { return transport.briefReason }
        if let exception = error as? TApplicationException { return "it answered with an error: \(exception.message ?? "\(exception.kind)")" }
        return String(describing: error)
    }

    /// Wall-clock milliseconds since 1970.
    static func epochMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
