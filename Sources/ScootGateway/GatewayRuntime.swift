import ClusterObservation
import Foundation
import Logging
import ScootAPI
import ScootServer
import Thrift

/// What `scoot-console gateway` runs: a CloudScoot server in front of a real Scoot scheduler
/// that forwards every call, records jobs and actions, polls the Scoot workers, reads the
/// statuses of unfinished jobs within a budget and serves the console extension from all that.
public final class GatewayRuntime: Sendable {
    /// How to run.
    public struct Configuration: Sendable {
        /// The Scoot scheduler to forward to.
        public var upstream: HostAndPort
        /// Where clients connect (unframed TBinaryProtocol, as Scoot).
        public var thriftAddress: HostAndPort
        /// The gateway's own metrics (`/admin/metrics.json`).
        public var httpAddress: HostAndPort
        /// Where the record lives.
        public var dataDirectory: URL
        /// The Scoot workers to poll (their thrift addresses, named as the scheduler names them).
        public var workers: [HostAndPort]
        /// Status reads of unfinished jobs.
        public var statusReadsPerSecond: Int
        /// The least time between two status reads of one job.
        public var statusReadInterval: Duration
        /// How often the workers are polled.
        public var workerPollInterval: Duration
        /// Told of every state-changing call but RunJob once answered (`gateway --record`).
        public var changeObserver: (@Sendable (ObservedChange) -> Void)? = nil

        /// Creates a configuration with the documented defaults.
        public init(
            upstream: HostAndPort, thriftAddress: HostAndPort, httpAddress: HostAndPort, dataDirectory: URL, workers: [HostAndPort],
            statusReadsPerSecond: Int = 10, statusReadInterval: Duration = .seconds(5), workerPollInterval: Duration = .seconds(1)
        ) {
            self.upstream = upstream
            self.thriftAddress = thriftAddress
            self.httpAddress = httpAddress
            self.dataDirectory = dataDirectory
            self.workers = workers
            self.statusReadsPerSecond = statusReadsPerSecond
            self.statusReadInterval = statusReadInterval
            self.workerPollInterval = workerPollInterval
        }
    }

    /// Why the gateway could not start.
    public struct StartError: Error, CustomStringConvertible {
        /// What went wrong and what to do.
        public var description: String
    }

    /// The gateway's state.
    public let state: GatewayState
    /// The Thrift server clients use.
    public let thriftServer: ThriftServer
    /// The metrics endpoint.
    public let metricsServer: MetricsHTTPServer
    private let loops: [Task<Void, Never>]
    private let logger: Logger

    private init(state: GatewayState, thriftServer: ThriftServer, metricsServer: MetricsHTTPServer, loops: [Task<Void, Never>], logger: Logger) {
        self.state = state
        self.thriftServer = thriftServer
        self.metricsServer = metricsServer
        self.loops = loops
        self.logger = logger
    }

    /// Opens the record, starts the pollers and both servers.
    public static func start(_ configuration: Configuration, logger: Logger) async throws -> GatewayRuntime {
        let store: GatewayStore
        do {
            store = try await GatewayStore.open(dataDirectory: configuration.dataDirectory)
        } catch {
            throw StartError(description: error.description)
        }
        let state = GatewayState(
            store: store,
            schedule: StatusRefreshSchedule(readsPerSecond: configuration.statusReadsPerSecond, minimumInterval: configuration.statusReadInterval),
            logger: logger)
        do {
            try await state.load()
        } catch {
            throw StartError(description: "cannot read the gateway record \(store.path): \(error)")
        }
        let upstream = UpstreamScheduler(endpoint: configuration.upstream)
        // The gateway's own reads get their own connection, so clients never queue behind them.
        let reader = UpstreamScheduler(endpoint: configuration.upstream, connections: 1, callTimeout: .seconds(10))
        let poller = configuration.workers.isEmpty ? nil : WorkerPoller(configuration: .init(addresses: configuration.workers))
        var loops: [Task<Void, Never>] = []
        if let poller {
            let interval = configuration.workerPollInterval
            loops.append(Task.detached {
                while !Task.isCancelled {
                    let observations = await poller.poll()
                    await state.observed(workers: observations, atMs: GatewayService.nowMs())
                    try? await Task.sleep(for: interval)
                }
            })
        }
        loops.append(Task.detached { await statusLoop(state: state, reader: reader, logger: logger) })
        loops.append(Task.detached { await settingsLoop(state: state, reader: reader, logger: logger) })
        let processor: any ThriftProcessor = ScootConsoleProcessor(handler: GatewayService(upstream: upstream, state: state))
        do {
            let thriftServer = try await ThriftServer.start(
                configuration: .init(host: configuration.thriftAddress.host, port: configuration.thriftAddress.port),
                processor: configuration.changeObserver.map { ChangeObservingProcessor(wrapping: processor, observe: $0) } ?? processor, logger: logger)
            let metricsServer = try await MetricsHTTPServer.start(
                host: configuration.httpAddress.host, port: configuration.httpAddress.port, logger: logger
            ) { await state.metrics() }
            return GatewayRuntime(state: state, thriftServer: thriftServer, metricsServer: metricsServer, loops: loops, logger: logger)
        } catch {
            for loop in loops { loop.cancel() }
            throw StartError(description: "cannot listen: \(error)")
        }
    }

    /// Reads the statuses the budget allows, every 100 ms; backs off (up to 30 s) while the
    /// scheduler cannot be reached.
    private static func statusLoop(state: GatewayState, reader: UpstreamScheduler, logger: Logger) async {
        var backoff = Duration.zero
        while !Task.isCancelled {
            try? await Task.sleep(for: backoff > .zero ? backoff : .milliseconds(100))
            for id in await state.statusReadsDue(nowMs: GatewayService.nowMs()) {
                do {
                    let status = try await reader.call { try await $0.getStatus(jobId: id) }
                    await state.observed(status, atMs: GatewayService.nowMs())
                    await state.upstream(failure: nil)
                    backoff = .zero
                } catch let error as UpstreamUnavailable {
                    if backoff == .zero { logger.warning("\(error)") }
                    await state.upstream(failure: error.description)
                    backoff = min(.seconds(30), backoff == .zero ? .seconds(1) : backoff * 2)
                    break
                } catch {
                    logger.warning("GetStatus of \(id) failed upstream: \(error)")
                }
            }
        }
    }

    /// Reads the settings every 10 s, so changes made straight at the scheduler show too.
    private static func settingsLoop(state: GatewayState, reader: UpstreamScheduler, logger: Logger) async {
        while !Task.isCancelled {
            do {
                await state.settingsRead(try await GatewayService.readSettings(reader))
            } catch {
                await state.upstream(failure: String(describing: error))
            }
            try? await Task.sleep(for: .seconds(10))
        }
    }

    /// Stops the pollers and both servers; the record is committed as it goes.
    public func shutdown() async {
        for loop in loops { loop.cancel() }
        await thriftServer.shutdown()
        await metricsServer.shutdown()
        logger.info("gateway stopped")
    }
}
