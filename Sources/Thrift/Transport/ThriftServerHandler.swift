import Logging
import NIOCore

/// Asks a connection to close as soon as it has no request in progress (server shutdown).
struct CloseWhenIdleEvent: Sendable {}

/// Serves one connection: hands each complete message to the processor and writes the replies
/// back in order. Requests on a connection are handled one after another, as Apache Thrift's
/// simple server does, by one task per connection (`ConnectionCalls`) that runs on the
/// connection's event loop: a call whose work stays on that loop (the scheduler of `serve` runs
/// there) is answered without a thread switch. A message larger than `largeMessageSize` is
/// processed on Swift's global executor instead, so that decoding it holds up no other
/// connection of the loop. One more read is requested only when the queue is empty, so a client
/// that pipelines cannot make the server buffer more than what one read brings.
final class ThriftServerHandler: ChannelInboundHandler {
    typealias InboundIn = ThriftInboundMessage
    typealias OutboundOut = ByteBuffer

    /// Messages larger than this many bytes are processed off the event loop.
    static let largeMessageSize = 64 * 1024

    private let processor: any ThriftProcessor
    private let logger: Logger
    /// Reads the connection layer's peer identity; nil on a plain listener.
    private let peerIdentitySource: (@Sendable (any Channel) -> String?)?
    /// Work in arrival order: requests, and the answer owed to a message that could not be read.
    private enum Work {
        case request(ThriftInboundMessage)
        case protocolFailure(ThriftProcessorResult?)
    }

    private var queue: [Work] = []
    /// The task that runs the connection's calls, started by the first request (after any
    /// handshake, so that the peer identity is known).
    private var calls: ConnectionCalls?
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

    func channelInactive(context: ChannelHandlerContext) {
        calls?.finish()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        calls?.finish()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        queue.append(.request(unwrapInboundIn(data)))
        startNextIfIdle(context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Reading on while the last request is processed keeps the socket registered for reads
        // (no epoll change per call); what arrives meanwhile waits in the queue.
        if queue.isEmpty && !closing { context.read() }
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

    /// Answers the queued requests in order: each at once when the processor can
    /// (`processWithoutWaiting`), else through the connection's call task, after which `finish`
    /// comes back here.
    private func startNextIfIdle(context: ChannelHandlerContext) {
        while !processing, !closing, !queue.isEmpty {
            let message: ThriftInboundMessage
            switch queue.removeFirst() {
            case .request(let request):
                message = request
            case .protocolFailure(let answer):
                queue.removeAll()
                if let answer { write(answer, framing: .unframed, context: context) } else { close(context: context) }
                return
            }
            if message.bytes.count <= Self.largeMessageSize, let result = processor.processWithoutWaiting(message.bytes) {
                send(result, framing: message.framing, context: context)
                continue
            }
            processing = true
            callsOfConnection(context: context).send(message)
            return
        }
        guard !processing, !closing else { return }
        if closeWhenIdle {
            close(context: context)
        } else {
            context.read()
        }
    }

    /// The connection's call task, started on first use.
    private func callsOfConnection(context: ChannelHandlerContext) -> ConnectionCalls {
        if let calls { return calls }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let calls = ConnectionCalls(
            processor: processor, eventLoop: context.eventLoop, peerAddress: context.remoteAddress.map(Self.hostAndPort),
            peerIdentity: peerIdentitySource?(context.channel)
        ) { result, framing in
            let (handler, context) = bound.value
            handler.finish(result, framing: framing, context: context)
        }
        self.calls = calls
        return calls
    }

    private func finish(_ result: ThriftProcessorResult, framing: ThriftFraming, context: ChannelHandlerContext) {
        processing = false
        send(result, framing: framing, context: context)
        startNextIfIdle(context: context)
    }

    /// Sends a call's result: its reply, then a close if it asks for one.
    private func send(_ result: ThriftProcessorResult, framing: ThriftFraming, context: ChannelHandlerContext) {
        guard !closing else { return }
        if result.reply != nil {
            write(result, framing: framing, context: context)
        } else if result.closeConnection {
            close(context: context)
        }
    }

    /// Writes a reply; when it asks for the connection to close, closes only after the bytes
    /// were handed to the kernel, so the caller always receives the exception it is owed.
    private func write(_ result: ThriftProcessorResult, framing: ThriftFraming, context: ChannelHandlerContext) {
        guard let reply = result.reply else { return }
        if framing == .framed {
            var length = context.channel.allocator.buffer(capacity: 4)
            length.writeInteger(Int32(truncatingIfNeeded: reply.readableBytes))
            context.write(wrapOutboundOut(length), promise: nil)
        }
        if result.closeConnection {
            closing = true
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in bound.value.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(reply), promise: nil)
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
