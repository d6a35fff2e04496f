import Foundation
import JobStore
import Logging
import NIOPosix
import ProcessWorkers
import SchedulerCore
import ScootAPI
import Thrift
import ThriftTLS

/// What `scoot-console serve` runs: the scheduler core with its durable job log, local process
/// workers and/or simulated ones, the CloudScoot (+ console extension) Thrift server and the
/// metrics HTTP endpoint; optionally a read-only Thrift listener and a TLS one with client
/// certificates beside the main one.
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
        /// The most Thrift connections open at once (lowered at start if the descriptor limit
        /// cannot hold them beside the reserve).
        public var maximumConnections = 1_024
        /// The metrics port's bounds.
        public var metricsLimits = MetricsHTTPServer.Limits()
        /// The most bytes each of a task's output streams keeps (`ProcessWorkers.Configuration`).
        public var maxOutputBytes: Int64
        /// How the process workers contain a run's processes.
        public var containment: ProcessContainment.Preference
        /// The free space RunJob keeps on the data directory's file system.
        public var diskReserve: DiskReserve
        /// A second Thrift address that answers read calls only (`ReadOnlyProcessor`); nil: none.
        public var readOnlyThriftAddress: HostAndPort? = nil
        /// A Thrift listener over TLS that requires client certificates; nil: none.
        public var tlsListener: TLSListener? = nil
        /// Told of every state-changing call but RunJob once answered, on every listener
        /// (`serve --record`); nil: nothing observes them.
        public var changeObserver: (@Sendable (ObservedChange) -> Void)? = nil

        /// `serve --tls-addr`: where, and the server's certificate, key and the authority
        /// that signs the operators' client certificates.
        public struct TLSListener: Sendable {
            /// The address to bind.
            public var address: HostAndPort
            /// The PEM files.
            public var files: ThriftTLSFiles

            /// Creates the listener's configuration.
            public init(address: HostAndPort, files: ThriftTLSFiles) {
                self.address = address
                self.files = files
            }
        }

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
    /// The read-only Thrift server, when configured.
    public let readOnlyThriftServer: ThriftServer?
    /// The TLS Thrift server, when configured.
    public let tlsThriftServer: ThriftServer?
    /// The metrics endpoint.
    public let metricsServer: MetricsHTTPServer
    private let loop: Task<Void, Never>
    private let lock: DataDirectoryLock
    private let heapTrimmer: HeapTrimmer
    private let logger: Logger

    private init(
        scheduler: Scheduler, thriftServers: (main: ThriftServer, readOnly: ThriftServer?, tls: ThriftServer?), metricsServer: MetricsHTTPServer,
        loop: Task<Void, Never>, lock: DataDirectoryLock, logger: Logger
    ) {
        self.lock = lock
        self.scheduler = scheduler
        self.thriftServer = thriftServers.main
        self.readOnlyThriftServer = thriftServers.readOnly
        self.tlsThriftServer = thriftServers.tls
        self.metricsServer = metricsServer
        self.loop = loop
        self.logger = logger
        heapTrimmer = HeapTrimmer()
    }

    /// Opens the job log (recovering unfinished jobs and settings), starts the workers, the
    /// scheduler loop and both servers.
    public static func start(_ configuration: Configuration, logger: Logger) async throws -> ServeRuntime {
        do {
            try FileManager.default.createDirectory(at: configuration.dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw StartError(description: "cannot create the data directory \(configuration.dataDirectory.path): \(error.localizedDescription)")
        }
        // One owner per data directory: two servers would each be blind to the other's jobs.
        let lock: DataDirectoryLock
        do {
            lock = try DataDirectoryLock(directory: configuration.dataDirectory)
        } catch {
            throw StartError(description: error.description)
        }
        // The Thrift listeners share the descriptor budget equally, each up to `maximumConnections`.
        let listenerCount = 1 + (configuration.readOnlyThriftAddress == nil ? 0 : 1) + (configuration.tlsListener == nil ? 0 : 1)
        var tlsLayer: ThriftConnectionLayer?
        if let listener = configuration.tlsListener {
            do {
                tlsLayer = try await ThriftTLS.serverLayer(listener.files)
            } catch {
                lock.release()
                throw StartError(description: "the TLS listener: \(error)")
            }
        }
        let descriptors = FileDescriptorBudget.raiseAndShare(
            wantedThriftConnections: configuration.maximumConnections * listenerCount, httpConnections: configuration.metricsLimits.maximumConnections,
            processWorkers: configuration.processWorkers)
        let connectionsPerListener = descriptors.thriftConnections / listenerCount
        guard connectionsPerListener >= 16 else {
            lock.release()
            throw StartError(description: "only \(descriptors.limit) file descriptors (ulimit -n), and \(descriptors.reserve) are needed besides client connections; raise the limit")
        }
        logger.info("file descriptors", metadata: [
            "limit": "\(descriptors.limit)", "reserved": "\(descriptors.reserve)", "thrift connections": "\(descriptors.thriftConnections)",
            "http connections": "\(configuration.metricsLimits.maximumConnections)",
        ])
        if connectionsPerListener < configuration.maximumConnections {
            logger.warning("the Thrift connection cap is lowered to fit the file descriptor limit", metadata: [
                "asked": "\(configuration.maximumConnections)", "cap": "\(connectionsPerListener)", "listeners": "\(listenerCount)",
                "limit": "\(descriptors.limit)",
            ])
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
            lock.release()
            throw StartError(description: "cannot open the job log in \(configuration.dataDirectory.path): \(error)")
        }
        // The scheduler and every Thrift connection share one event loop, so that a call whose
        // work is small is read, answered and written on one thread (docs/architecture.md).
        let serviceLoop = MultiThreadedEventLoopGroup.singleton.next()
        let scheduler: Scheduler
        do {
            scheduler = try await Scheduler(
                configuration: configuration.scheduler, clock: clock, backend: CombinedWorkerBackend(backends),
                recoveringFrom: journal, wallClockOrigin: Date(timeIntervalSince1970: 0),
                onJournalHealthChange: { [logger] health in Self.log(health, logger: logger) }, executor: serviceLoop.executor)
        } catch {
            lock.release()
            throw StartError(description: "cannot recover from the job log in \(configuration.dataDirectory.path): \(error)")
        }
        for warning in await scheduler.recoveryWarnings { logger.warning("\(warning)") }
        processWorkers?.setEventObserver { scheduler.wake() }
        let loop = Task.detached { await scheduler.run() }

        let metrics = ServerMetrics()
        let diskSpaceGuard = DiskSpaceGuard(
            directory: configuration.dataDirectory, reserve: configuration.diskReserve,
            retryAfter: configuration.scheduler.admissionRetryAfter, logger: logger)
        let service = SchedulerService(scheduler: scheduler, metrics: metrics, diskSpaceGuard: diskSpaceGuard)
        let startedAt = clock.now
        let serveProcessor = ServeProcessor(wrapping: ScootConsoleProcessor(handler: service), service: service, schedulerLoop: serviceLoop)
        let processor: any ThriftProcessor = configuration.changeObserver.map { ChangeObservingProcessor(wrapping: serveProcessor, observe: $0) } ?? serveProcessor
        var started: [ThriftServer] = []
        func startListener(_ address: HostAndPort, _ processor: any ThriftProcessor, layer: ThriftConnectionLayer? = nil) async throws -> ThriftServer {
            let server = try await ThriftServer.start(
                configuration: .init(
                    host: address.host, port: address.port, maximumConnections: connectionsPerListener, connectionLayer: layer),
                processor: processor, logger: logger, group: serviceLoop)
            started.append(server)
            return server
        }
        do {
            let thriftServer = try await startListener(configuration.thriftAddress, processor)
            var readOnlyServer: ThriftServer?
            if let address = configuration.readOnlyThriftAddress {
                readOnlyServer = try await startListener(address, ReadOnlyProcessor(wrapping: processor))
            }
            var tlsServer: ThriftServer?
            if let listener = configuration.tlsListener {
                tlsServer = try await startListener(listener.address, IdentityLoggingProcessor(wrapping: processor, logger: logger), layer: tlsLayer)
            }
            let metricsServer = try await MetricsHTTPServer.start(
                host: configuration.httpAddress.host, port: configuration.httpAddress.port, limits: configuration.metricsLimits, logger: logger
            ) {
                await MetricsReport.collect(scheduler: scheduler, metrics: metrics, startedAt: startedAt, now: clock.now)
            }
            return ServeRuntime(
                scheduler: scheduler, thriftServers: (thriftServer, readOnlyServer, tlsServer), metricsServer: metricsServer, loop: loop,
                lock: lock, logger: logger)
        } catch {
            for server in started { await server.shutdown(grace: .zero) }
            await scheduler.stop()
            loop.cancel()
            lock.release()
            throw StartError(description: "cannot listen: \(error)")
        }
    }

    /// Says that the job log started or stopped failing.
    static func log(_ health: JournalHealth, logger: Logger) {
        if let failure = health.failure {
            logger.error("the job log cannot be written; RunJob answers CanNotScheduleNow, kills and settings changes fail, until it can", metadata: [
                "reason": "\(failure)", "waitingRecords": "\(health.waitingRecords)",
            ])
        } else {
            logger.notice("the job log is written again", metadata: [
                "waitingRecords": "\(health.waitingRecords)", "recordsDropped": "\(health.recordsDropped)",
            ])
        }
    }

    /// Stops accepting, lets RPCs in progress finish, stops the scheduler loop, then waits for the
    /// job log to commit every record made so far (task ends ride in group commits).
    public func shutdown() async {
        await thriftServer.shutdown()
        await readOnlyThriftServer?.shutdown()
        await tlsThriftServer?.shutdown()
        await metricsServer.shutdown()
        await scheduler.stop()
        scheduler.wake()
        await loop.value
        if await !scheduler.flushJournal() {
            logger.error("serve stops with job log records unwritten; the tasks they record run again after a restart")
        }
        heapTrimmer.stop()
        lock.release()
        logger.info("serve stopped")
    }
}
