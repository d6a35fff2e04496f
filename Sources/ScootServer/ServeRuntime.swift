import Foundation
import JobStore
import Logging
import ProcessWorkers
import SchedulerCore
import ScootAPI
import Thrift

/// What `scoot-console serve` runs: the scheduler core with its durable job log, local process
/// workers and/or simulated ones, the CloudScoot (+ console extension) Thrift server and the
/// metrics HTTP endpoint.
public final class ServeRuntime: Sendable {
    /// How to run.
    public struct Configuration: Sendable {
        /// Thrift address; unframed TBinaryProtocol as Scoot (framed detected per connection).
        public var thriftAddress: HostAndPort
        /// Metrics HTTP address.
        public var httpAddress: HostAndPort
        /// Local process workers.
        public var processWorkers: Int
        /// Simulated workers (they "run" `sleep N` for N seconds, anything else for 1 s).
        public var simulatedWorkers: Int
        /// Where the job log and the runs' working directories live.
        public var dataDirectory: URL
        /// Retries, timeouts, throttle mode, admission limits, retention.
        public var scheduler: SchedulerConfiguration
        /// The most bytes each of a task's output streams keeps (`ProcessWorkers.Configuration`).
        public var maxOutputBytes: Int64
        /// How the process workers contain a run's processes.
        public var containment: ProcessContainment.Preference
        /// The free space RunJob keeps on the data directory's file system.
        public var diskReserve: DiskReserve

        /// Creates a configuration.
        public init(
            thriftAddress: HostAndPort, httpAddress: HostAndPort, processWorkers: Int, simulatedWorkers: Int,
            dataDirectory: URL, scheduler: SchedulerConfiguration,
            maxOutputBytes: Int64 = ProcessWorkers.Configuration.defaultMaxOutputBytes,
            containment: ProcessContainment.Preference = .automatic, diskReserve: DiskReserve = .standard
        ) {
            self.thriftAddress = thriftAddress
            self.httpAddress = httpAddress
            self.processWorkers = processWorkers
            self.simulatedWorkers = simulatedWorkers
            self.dataDirectory = dataDirectory
            self.scheduler = scheduler
            self.maxOutputBytes = maxOutputBytes
            self.containment = containment
            self.diskReserve = diskReserve
        }
    }

    /// Why `serve` could not start.
    public struct StartError: Error, CustomStringConvertible {
        /// What went wrong and what to do.
        public var description: String
    }

    /// The scheduler being served.
    public let scheduler: Scheduler
    /// The Thrift server.
    public let thriftServer: ThriftServer
    /// The metrics endpoint.
    public let metricsServer: MetricsHTTPServer
    private let loop: Task<Void, Never>
    private let logger: Logger

    private init(scheduler: Scheduler, thriftServer: ThriftServer, metricsServer: MetricsHTTPServer, loop: Task<Void, Never>, logger: Logger) {
        self.scheduler = scheduler
        self.thriftServer = thriftServer
        self.metricsServer = metricsServer
        self.loop = loop
        self.logger = logger
    }

    /// Opens the job log (recovering unfinished jobs and settings), starts the workers, the
    /// scheduler loop and both servers.
    public static func start(_ configuration: Configuration, logger: Logger) async throws -> ServeRuntime {
        do {
            try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw StartError(description: "cannot create the data directory \(configuration.dataDirectory.path): \(error.localizedDescription)")
        }
        let clock = WallClock()
        var backends: [any WorkerBackend] = []
        var processWorkers: ProcessWorkers?
        if configuration.processWorkers > 0 {
            processWorkers = ProcessWorkers(
                configuration: .init(
                    workerCount: configuration.processWorkers, dataDirectory: configuration.dataDirectory,
                    maxOutputBytes: configuration.maxOutputBytes),
                containment: await ProcessContainment.detect(configuration.containment), logger: logger)
        }
        if let processWorkers { backends.append(processWorkers) }
        if configuration.simulatedWorkers > 0 {
            backends.append(SimulatedWorkers(clock: clock, configuration: .init(workerCount: configuration.simulatedWorkers)))
        }
        let journal: SQLiteJobJournal
        do {
            journal = try SQLiteJobJournal(dataDirectory: configuration.dataDirectory)
        } catch {
            throw StartError(description: "cannot open the job log in \(configuration.dataDirectory.path): \(error)")
        }
        let scheduler: Scheduler
        do {
            scheduler = try await Scheduler(
                configuration: configuration.scheduler, clock: clock, backend: CombinedWorkerBackend(backends),
                recoveringFrom: journal, wallClockOrigin: Date(timeIntervalSince1970: 0))
        } catch {
            throw StartError(description: "cannot recover from the job log in \(configuration.dataDirectory.path): \(error)")
        }
        processWorkers?.setEventObserver { scheduler.wake() }
        let loop = Task.detached { await scheduler.run() }

        let metrics = ServerMetrics()
        let diskSpaceGuard = DiskSpaceGuard(
            directory: configuration.dataDirectory, reserve: configuration.diskReserve,
            retryAfter: configuration.scheduler.admissionRetryAfter, logger: logger)
        let service = SchedulerService(scheduler: scheduler, metrics: metrics, diskSpaceGuard: diskSpaceGuard)
        let startedAt = clock.now
        do {
            let thriftServer = try await ThriftServer.start(
                configuration: .init(host: configuration.thriftAddress.host, port: configuration.thriftAddress.port),
                processor: ScootConsoleProcessor(handler: service), logger: logger)
            let metricsServer = try await MetricsHTTPServer.start(
                host: configuration.httpAddress.host, port: configuration.httpAddress.port, logger: logger
            ) {
                await MetricsReport.collect(scheduler: scheduler, metrics: metrics, startedAt: startedAt, now: clock.now)
            }
            return ServeRuntime(scheduler: scheduler, thriftServer: thriftServer, metricsServer: metricsServer, loop: loop, logger: logger)
        } catch {
            await scheduler.stop()
            loop.cancel()
            throw StartError(description: "cannot listen: \(error)")
        }
    }

    /// Stops accepting, lets RPCs in progress finish, stops the scheduler loop. Every write to the
    /// job log is committed when it returns, so nothing is left to flush.
    public func shutdown() async {
        await thriftServer.shutdown()
        await metricsServer.shutdown()
        await scheduler.stop()
        scheduler.wake()
        await loop.value
        logger.info("serve stopped")
    }
}
