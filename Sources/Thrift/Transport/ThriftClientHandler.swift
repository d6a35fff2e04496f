import NIOCore

/// A request on its way out, with the promise its reply completes.
struct ThriftOutgoingCall: Sendable {
    var message: ByteBuffer
    var reply: EventLoopPromise<ThriftInboundMessage>
}

/// Pairs replies with calls on one client connection, in order. Any error or the connection
/// closing fails every call still waiting.
final class ThriftClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ThriftInboundMessage
    typealias OutboundIn = ThriftOutgoingCall
    typealias OutboundOut = ByteBuffer

    private var waiting: [EventLoopPromise<ThriftInboundMessage>] = []

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let call = unwrapOutboundIn(data)
        waiting.append(call.reply)
        context.write(wrapOutboundOut(call.message), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard !waiting.isEmpty else {
            // A reply nobody asked for: the stream is out of step, so it cannot be trusted.
            context.fireErrorCaught(ThriftTransportError.badReply("unsolicited message"))
            return
        }
        waiting.removeFirst().succeed(message)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let failure: Error = if let framing = error as? ThriftFramingError {
            ThriftTransportError.badReply(framing.description)
        } else if error is ThriftTransportError {
            error
        } else {
            ThriftTransportError.ioError("\(error)")
        }
        failAll(failure)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(ThriftTransportError.connectionClosed)
        context.fireChannelInactive()
    }

    private func failAll(_ error: Error) {
        let pending = waiting
        waiting.removeAll()
        for promise in pending { promise.fail(error) }
    }
}
