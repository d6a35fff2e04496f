import NIOCore
import NIOPosix

/// A Thrift client connection to one endpoint, safe to share between tasks.
///
/// Calls are sent one at a time, in the order they were made, over one connection that is opened
/// on first use. After any transport error, timeout, unreadable reply or `TApplicationException`
/// the connection is dropped and the next call opens a new one: real Scoot closes its side after
/// every error reply.
public actor ThriftClient: ThriftCaller {
    /// Where to connect and how long to wait.
    public struct Configuration: Sendable {
        /// Server host name or address.
        public var host: String
        /// Server port.
        public var port: Int
        /// How messages are delimited; Scoot uses `.unframed`.
        public var framing: ThriftFraming
        /// Longest wait for a connection to open.
        public var connectTimeout: TimeAmount
        /// Longest wait for a reply, from sending the call.
        public var callTimeout: TimeAmount
        /// Limits applied to replies.
        public var limits: ThriftLimits
        /// Handlers the connection starts with (TLS); `nil` for plain TCP.
        public var connectionLayer: ThriftConnectionLayer?

        /// Creates a configuration; timeouts default to one minute, as scootcl's; plain TCP.
        public init(
            host: String = "127.0.0.1", port: Int = 9090, framing: ThriftFraming = .unframed,
            connectTimeout: TimeAmount = .seconds(60), callTimeout: TimeAmount = .seconds(60),
            limits: ThriftLimits = .default, connectionLayer: ThriftConnectionLayer? = nil
        ) {
            self.host = host
            self.port = port
            self.framing = framing
            self.connectTimeout = connectTimeout
            self.callTimeout = callTimeout
            self.limits = limits
            self.connectionLayer = connectionLayer
        }

        /// `host:port`, for messages.
        public var endpoint: String { "\(host):\(port)" }
    }

    /// The configuration this client was made with.
    public let configuration: Configuration
    private let group: any EventLoopGroup
    private var channel: (any Channel)?
    private var sequenceID: Int32 = 0
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a client; nothing connects until the first call.
    public init(configuration: Configuration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
    }

    /// Whether a connection is currently open.
    public var isConnected: Bool { channel?.isActive ?? false }

    public func call<Arguments: ThriftStruct, Result: ThriftStruct>(
        method: String, arguments: Arguments, resultType: Result.Type
    ) async throws -> Result {
        await acquireTurn()
        defer { releaseTurn() }
        sequenceID = sequenceID == Int32.max ? 1 : sequenceID + 1
        let sequenceID = self.sequenceID
        let message = ThriftClientCall.encodeCall(method: method, sequenceID: sequenceID, arguments: arguments)
        do {
            let channel = try await connectedChannel()
            let reply = try await exchange(message, method: method, on: channel)
            return try ThriftClientCall.decodeReply(
                reply.bytes, method: method, sequenceID: sequenceID, limits: configuration.limits, resultType: resultType)
        } catch {
            disconnect()
            throw error
        }
    }

    /// Closes the connection, if any; the next call reconnects.
    public func disconnect() {
        channel?.close(promise: nil)
        channel = nil
    }

    private func acquireTurn() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func releaseTurn() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    private func connectedChannel() async throws -> any Channel {
        if let channel, channel.isActive { return channel }
        channel = nil
        let framing: ThriftServerFraming = configuration.framing == .framed ? .framed : .unframed
        let limits = configuration.limits
        let endpoint = configuration.endpoint
        let layer = configuration.connectionLayer
        do {
            let opened = try await ClientBootstrap(group: group)
                .connectTimeout(configuration.connectTimeout)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handlers = channel.pipeline.syncOperations
                        try layer?.addHandlers(channel)
                        try handlers.addHandler(ByteToMessageHandler(ThriftMessageDecoder(framing: framing, limits: limits)))
                        try handlers.addHandler(ThriftClientHandler())
                    }
                }
                .connect(host: configuration.host, port: configuration.port)
                .get()
            channel = opened
            return opened
        } catch let error as ChannelError {
            if case .connectTimeout = error {
                throw ThriftTransportError.connectTimedOut(endpoint: endpoint, seconds: configuration.connectTimeout.seconds)
            }
            throw ThriftTransportError.connectFailed(endpoint: endpoint, reason: "\(error)")
        } catch {
            throw ThriftTransportError.connectFailed(endpoint: endpoint, reason: "\(error)")
        }
    }

    private func exchange(_ message: [UInt8], method: String, on channel: any Channel) async throws -> ThriftInboundMessage {
        let reply = channel.eventLoop.makePromise(of: ThriftInboundMessage.self)
        let buffer = configuration.framing.encode(message, allocator: channel.allocator)
        let timeout = configuration.callTimeout
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            reply.fail(ThriftTransportError.callTimedOut(method: method, seconds: timeout.seconds))
        }
        defer { timer.cancel() }
        channel.writeAndFlush(ThriftOutgoingCall(message: buffer, reply: reply)).whenFailure { error in
            reply.fail(ThriftTransportError.ioError("\(error)"))
        }
        return try await withTaskCancellationHandler {
            try await reply.futureResult.get()
        } onCancel: {
            reply.fail(CancellationError())
        }
    }
}

extension TimeAmount {
    /// The amount in seconds, for messages.
    var seconds: Double { Double(nanoseconds) / 1_000_000_000 }
}
