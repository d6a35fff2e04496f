import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A Thrift server on a TCP port: many connections at once, requests on each connection
/// answered in order, unframed TBinaryProtocol by default (as Scoot), framed on request or
/// detected per connection.
public final class ThriftServer: Sendable {
    /// Where and how the server listens.
    public struct Configuration: Sendable {
        /// Address to bind; loopback unless told otherwise.
        public var host: String
        /// Port to bind; 0 picks a free one (see `ThriftServer.port`).
        public var port: Int
        /// How connections delimit messages.
        public var framing: ThriftServerFraming
        /// Limits applied to every incoming message.
        public var limits: ThriftLimits
        /// A connection with no complete request for this long is closed; `nil` never.
        public var idleTimeout: TimeAmount?
        /// The most client connections open at once; one more is accepted and closed at once
        /// (so that it leaves the backlog and accept never spins), with a log line at most once
        /// a minute.
        public var maximumConnections: Int
        /// Handlers every connection starts with (TLS) and the peer identity they establish;
        /// `nil` for plain TCP.
        public var connectionLayer: ThriftConnectionLayer?

        /// Creates a configuration; defaults: 127.0.0.1:9090, framing detected per connection,
        /// default limits, idle connections closed after 5 minutes, at most 1,024 connections,
        /// plain TCP.
        public init(
            host: String = "127.0.0.1", port: Int = 9090, framing: ThriftServerFraming = .automatic,
            limits: ThriftLimits = .default, idleTimeout: TimeAmount? = .minutes(5), maximumConnections: Int = 1_024,
            connectionLayer: ThriftConnectionLayer? = nil
        ) {
            self.host = host
            self.port = port
            self.framing = framing
            self.limits = limits
            self.idleTimeout = idleTimeout
            self.maximumConnections = maximumConnections
            self.connectionLayer = connectionLayer
        }
    }

    private let serverChannel: any Channel
    private let registry: ConnectionRegistry
    private let logger: Logger

    /// The port actually bound.
    public let port: Int
    /// The address actually bound, e.g. `127.0.0.1:9090`.
    public let address: String

    private init(serverChannel: any Channel, registry: ConnectionRegistry, logger: Logger) {
        self.serverChannel = serverChannel
        self.registry = registry
        self.logger = logger
        self.port = serverChannel.localAddress?.port ?? 0
        self.address = "\(serverChannel.localAddress?.ipAddress ?? "?"):\(serverChannel.localAddress?.port ?? 0)"
    }

    /// Binds and starts serving `processor`.
    public static func start(
        configuration: Configuration, processor: any ThriftProcessor,
        logger: Logger = Logger(label: "thrift.server"),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> ThriftServer {
        let registry = ConnectionRegistry()
        let refusals = OncePerInterval()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { child in
                guard registry.add(child, limit: configuration.maximumConnections) else {
                    refusals.run { suppressed in
                        logger.warning(
                            "connection limit reached: closing new connections",
                            metadata: ["limit": "\(configuration.maximumConnections)", "closed since the last warning": "\(suppressed + 1)"])
                    }
                    return child.close()
                }
                return child.eventLoop.makeCompletedFuture {
                    let handlers = child.pipeline.syncOperations
                    if let layer = configuration.connectionLayer {
                        try layer.addHandlers(child)
                    }
                    if let idle = configuration.idleTimeout {
                        try handlers.addHandler(IdleStateHandler(readTimeout: idle))
                    }
                    try handlers.addHandler(ByteToMessageHandler(
                        ThriftMessageDecoder(framing: configuration.framing, limits: configuration.limits)))
                    try handlers.addHandler(ThriftServerHandler(
                        processor: processor, logger: logger, peerIdentity: configuration.connectionLayer?.peerIdentity))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        let server = ThriftServer(serverChannel: channel, registry: registry, logger: logger)
        logger.info("thrift server listening", metadata: ["address": "\(server.address)"])
        return server
    }

    /// The number of open client connections.
    public var connectionCount: Int { registry.channels.withLock { $0.count } }

    /// Stops accepting connections, lets requests in progress finish and send their replies,
    /// then closes every connection. Connections still busy after `grace` are closed anyway.
    public func shutdown(grace: TimeAmount = .seconds(10)) async {
        try? await serverChannel.close()
        let open = registry.channels.withLock { Array($0.values) }
        for channel in open {
            channel.pipeline.fireUserInboundEventTriggered(CloseWhenIdleEvent())
        }
        let deadline = NIODeadline.now() + grace
        for channel in open {
            let closed = channel.closeFuture
            let timer = channel.eventLoop.scheduleTask(deadline: deadline) { channel.close(promise: nil) }
            try? await closed.get()
            timer.cancel()
        }
        logger.info("thrift server stopped", metadata: ["address": "\(address)"])
    }
}

/// The server's open connections, so that shutdown can reach them and their number is capped.
private final class ConnectionRegistry: Sendable {
    let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Registers `channel` unless `limit` connections are open already.
    func add(_ channel: any Channel, limit: Int) -> Bool {
        let id = ObjectIdentifier(channel)
        let added = channels.withLock { channels in
            guard channels.count < limit else { return false }
            channels[id] = channel
            return true
        }
        if added { channel.closeFuture.whenComplete { [self] _ in _ = channels.withLock { $0.removeValue(forKey: id) } } }
        return added
    }
}
