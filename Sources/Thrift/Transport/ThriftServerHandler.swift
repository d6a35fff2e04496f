import Logging
import NIOCore

/// Asks a connection to close as soon as it has no request in progress (server shutdown).
struct CloseWhenIdleEvent: Sendable {}

/// Serves one connection: hands each complete message to the processor and writes the replies
/// back in order. Requests on a connection are handled one after another, as Apache Thrift's
/// simple server does; the next read is requested only when the queue is empty, so a client that
/// pipelines cannot make the server buffer without bound.
final class ThriftServerHandler: ChannelInboundHandler {
    typealias InboundIn = ThriftInboundMessage
    typealias OutboundOut = ByteBuffer

    private let processor: any ThriftProcessor
    private let logger: Logger
    /// Reads the connection layer's peer identity; nil on a plain listener.
    private let peerIdentitySource: (@Sendable (any Channel) -> String?)?
    /// The peer identity, read once when the first request arrives (after any handshake).
    private var peerIdentity: String??
    /// Work in arrival order: requests, and the answer owed to a message that could not be read.
    private enum Work {
        case request(ThriftInboundMessage)
        case protocolFailure(ThriftProcessorResult?)
    }

    private var queue: [Work] = []
    private var processing = false
    private var closing = false
    private var closeWhenIdle = false

    init(processor: any ThriftProcessor, logger: Logger, peerIdentity: (@Sendable (any Channel) -> String?)?) {
        self.processor = processor
        self.logger = logger
        self.peerIdentitySource = peerIdentity
    }

    func channelActive(context: ChannelHandlerContext) {
        context.read()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        queue.append(.request(unwrapInboundIn(data)))
        startNextIfIdle(context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !processing && queue.isEmpty && !closing { context.read() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is CloseWhenIdleEvent {
            closeWhenIdle = true
            if !processing && queue.isEmpty { close(context: context) }
        } else if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, !processing {
            logger.debug("closing idle connection", metadata: ["peer": "\(context.remoteAddress.map { "\($0)" } ?? "?")"])
            close(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let framing = error as? ThriftFramingError else {
            logger.debug("connection error", metadata: ["error": "\(error)"])
            close(context: context)
            return
        }
        logger.info("protocol error from client, closing", metadata: ["error": "\(framing)"])
        // The broken message is not processed, but once the requests before it are answered its
        // caller gets a TApplicationException(PROTOCOL_ERROR) if it can be addressed.
        let answer = framing.header.map {
            ThriftServerCall.exception(TApplicationException(.protocolError, message: framing.description), header: $0)
        }
        queue.append(.protocolFailure(answer))
        startNextIfIdle(context: context)
    }

    private func startNextIfIdle(context: ChannelHandlerContext) {
        guard !processing, !closing, !queue.isEmpty else { return }
        let message: ThriftInboundMessage
        switch queue.removeFirst() {
        case .request(let request):
            message = request
        case .protocolFailure(let answer):
            queue.removeAll()
            if let answer { write(answer, framing: .unframed, context: context) } else { close(context: context) }
            return
        }
        processing = true
        let processor = self.processor
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let peer = context.remoteAddress.map(Self.hostAndPort)
        let identity = resolvedPeerIdentity(context: context)
        Task {
            let result = await ThriftCallContext.$peerAddress.withValue(peer) {
                await ThriftCallContext.$peerIdentity.withValue(identity) { await processor.process(message.bytes) }
            }
            bound.eventLoop.execute {
                let (handler, context) = bound.value
                handler.finish(result, framing: message.framing, context: context)
            }
        }
    }

    private func resolvedPeerIdentity(context: ChannelHandlerContext) -> String? {
        if let peerIdentity { return peerIdentity }
        let identity = peerIdentitySource?(context.channel)
        peerIdentity = .some(identity)
        return identity
    }

    private func finish(_ result: ThriftProcessorResult, framing: ThriftFraming, context: ChannelHandlerContext) {
        processing = false
        guard !closing else { return }
        if let reply = result.reply {
            write(ThriftProcessorResult(reply: reply, closeConnection: result.closeConnection), framing: framing, context: context)
        } else if result.closeConnection {
            close(context: context)
        }
        guard !closing else { return }
        if closeWhenIdle && queue.isEmpty {
            close(context: context)
        } else if queue.isEmpty {
            context.read()
        } else {
            startNextIfIdle(context: context)
        }
    }

    /// Writes a reply; when it asks for the connection to close, closes only after the bytes
    /// were handed to the kernel, so the caller always receives the exception it is owed.
    private func write(_ result: ThriftProcessorResult, framing: ThriftFraming, context: ChannelHandlerContext) {
        guard let reply = result.reply else { return }
        let buffer = framing.encode(reply, allocator: context.channel.allocator)
        if result.closeConnection {
            closing = true
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(buffer)).whenComplete { _ in bound.value.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
    }

    private func close(context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        context.close(promise: nil)
    }

    /// `host:port` of a socket address (`[v6]:port` for IPv6), as audit records show callers.
    static func hostAndPort(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "?"
        let port = address.port.map(String.init) ?? "?"
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
