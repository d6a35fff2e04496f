import NIOCore

/// The calls of one server connection, run one after another by one task that lives as long as
/// the connection and prefers the connection's event loop (`EventLoopTaskExecutor`): the handler
/// hands it each request and it hands back each result, both on the loop, so that a call costs no
/// task creation and, while its work stays on the loop, no thread switch. The caller's address and
/// identity are set once, for all the calls (`ThriftCallContext`).
///
/// It holds at most one request: the handler sends the next only after the last one's result.
final class ConnectionCalls: Sendable {
    private struct State {
        /// The request sent before the task asked for it.
        var pending: ThriftInboundMessage?
        /// The task, while it waits for a request.
        var waiting: UnsafeContinuation<ThriftInboundMessage?, Never>?
        var finished = false
    }

    private let state: NIOLoopBoundBox<State>

    /// Starts the task; `deliver` gets each result on the event loop.
    init(
        processor: any ThriftProcessor, eventLoop: any EventLoop, peerAddress: String?, peerIdentity: String?,
        deliver: @escaping @Sendable (ThriftProcessorResult, ThriftFraming) -> Void
    ) {
        state = NIOLoopBoundBox(State(), eventLoop: eventLoop)
        Task(executorPreference: EventLoopTaskExecutor(eventLoop)) { [self] in
            await ThriftCallContext.$peerAddress.withValue(peerAddress) {
                await ThriftCallContext.$peerIdentity.withValue(peerIdentity) {
                    while let message = await next() {
                        let result = await Self.process(message.bytes, processor)
                        if eventLoop.inEventLoop {
                            deliver(result, message.framing)
                        } else {
                            eventLoop.execute { deliver(result, message.framing) }
                        }
                    }
                }
            }
        }
    }

    /// Runs one call: on the event loop, or, for a large message, on the global executor.
    private static func process(_ message: [UInt8], _ processor: any ThriftProcessor) async -> ThriftProcessorResult {
        guard message.count > ThriftServerHandler.largeMessageSize else { return await processor.process(message) }
        return await withTaskExecutorPreference(globalConcurrentExecutor) { await processor.process(message) }
    }

    /// Hands the task its next request; on the event loop.
    func send(_ message: ThriftInboundMessage) {
        precondition(state.value.pending == nil, "one request at a time")
        guard !state.value.finished else { return }
        if let waiting = state.value.waiting {
            state.value.waiting = nil
            waiting.resume(returning: message)
        } else {
            state.value.pending = message
        }
    }

    /// Ends the task once its current call is done; on the event loop.
    func finish() {
        state.value.finished = true
        state.value.pending = nil
        if let waiting = state.value.waiting {
            state.value.waiting = nil
            waiting.resume(returning: nil)
        }
    }

    /// The next request, or nil once the connection is done; on the event loop.
    private func next() async -> ThriftInboundMessage? {
        if state.value.finished { return nil }
        if let pending = state.value.pending {
            state.value.pending = nil
            return pending
        }
        return await withUnsafeContinuation { continuation in state.value.waiting = continuation }
    }
}
