import NIOCore

/// What a processor wants sent back for one incoming message.
public struct ThriftProcessorResult: Sendable {
    /// The encoded reply message, without any frame length, or `nil` when nothing is to be sent
    /// (ONEWAY).
    public var reply: ByteBuffer?
    /// Whether the connection must be closed after the reply, as Apache Thrift servers do after
    /// any `TApplicationException`.
    public var closeConnection: Bool

    /// Creates a result.
    public init(reply: ByteBuffer?, closeConnection: Bool) {
        self.reply = reply
        self.closeConnection = closeConnection
    }
}

/// Who sent the message being processed, set by `ThriftServer` for the duration of each call
/// (nil for loopback callers).
public enum ThriftCallContext {
    /// The calling connection's remote address as `host:port`.
    @TaskLocal public static var peerAddress: String?
    /// The caller's authenticated identity, when the listener's connection layer established one
    /// (TLS: the client certificate's subject common name); nil on a plain listener.
    @TaskLocal public static var peerIdentity: String?
}

/// The server side of a service: turns one complete request message into its reply.
/// Generated per service (`CloudScootProcessor`); driven by `ThriftServer` or a loopback caller.
public protocol ThriftProcessor: Sendable {
    /// Handles one complete message (envelope and arguments).
    func process(_ message: [UInt8]) async -> ThriftProcessorResult

    /// Answers `message` at once, on the connection's event loop, when that needs no waiting
    /// (a read of state kept on that loop); nil to have it `process`ed as usual. A server asks
    /// this first for each message of at most `ThriftServerHandler.largeMessageSize` bytes; the
    /// answer must be the one `process` would give. Called without `ThriftCallContext`.
    func processWithoutWaiting(_ message: [UInt8]) -> ThriftProcessorResult?
}

extension ThriftProcessor {
    /// Never: every message is `process`ed.
    public func processWithoutWaiting(_ message: [UInt8]) -> ThriftProcessorResult? { nil }
}

/// Building blocks shared by generated processors: envelope checks, argument decoding, error
/// mapping and reply encoding, done the way Apache Thrift's generated processors do them.
public enum ThriftServerCall {
    /// A decoded incoming envelope and where its argument struct starts.
    public struct Incoming: Sendable {
        /// The message header.
        public var header: ThriftMessageHeader
        /// The whole message.
        public var message: [UInt8]
        /// Offset of the argument struct in `message`.
        public var argumentsOffset: Int
        /// Limits applied to the arguments.
        public var limits: ThriftLimits
    }

    /// Parses the envelope. On failure returns the result to send instead (a reply is possible
    /// only once name and sequence id are known; otherwise the connection is just closed).
    public static func parse(_ message: [UInt8], limits: ThriftLimits) -> Result<Incoming, FailedCall> {
        do {
            let (header, offset) = try ThriftBinaryReader.withReader(message, limits: limits) { reader in
                (try reader.readMessageHeader(), reader.offset)
            }
            switch header.type {
            case .call:
                return .success(Incoming(header: header, message: message, argumentsOffset: offset, limits: limits))
            case .oneway:
                // Nothing in our IDLs is oneway, and a oneway caller reads no reply: close.
                return .failure(FailedCall(ThriftProcessorResult(reply: nil, closeConnection: true)))
            case .reply, .exception:
                return .failure(FailedCall(exception(
                    TApplicationException(.invalidMessageType, message: "Unexpected message type \(header.type.rawValue) for \(header.name)"),
                    header: header)))
            }
        } catch {
            return .failure(FailedCall(ThriftProcessorResult(reply: nil, closeConnection: true)))
        }
    }

    /// The result to send when a call could not be handled.
    public struct FailedCall: Error, Sendable {
        /// What to send and whether to close.
        public var result: ThriftProcessorResult
        init(_ result: ThriftProcessorResult) { self.result = result }
    }

    /// Encodes `exception` as an EXCEPTION message answering `header`; the connection closes after it.
    public static func exception(_ exception: TApplicationException, header: ThriftMessageHeader) -> ThriftProcessorResult {
        var reply = ByteBuffer()
        ThriftBinaryWriter.encode(size: 256, into: &reply) { writer in
            writer.writeMessageHeader(ThriftMessageHeader(name: header.name, type: .exception, sequenceID: header.sequenceID))
            exception.write(to: &writer)
        }
        return ThriftProcessorResult(reply: reply, closeConnection: true)
    }

    /// The answer to a method this service does not have (`UNKNOWN_METHOD`, then close, as Scoot).
    public static func unknownMethod(_ incoming: Incoming) -> ThriftProcessorResult {
        exception(TApplicationException(.unknownMethod, message: "Unknown function \(incoming.header.name)"), header: incoming.header)
    }

    /// Replies larger than this many bytes are encoded on Swift's global executor, so that a server
    /// connection's event loop is not held up by them (`ThriftServer`).
    public static let largeReplySize = 256 * 1024

    /// Decodes the arguments, runs `body`, and encodes its result struct as a REPLY.
    /// `body` returns the result struct with either the success value or a declared exception
    /// set; any error it throws becomes `TApplicationException(INTERNAL_ERROR)` with the text
    /// `Internal error processing <Method>: <error>` and the connection is closed; a thrown
    /// `TApplicationException` is sent as it is (a proxy forwarding its upstream's answer).
    public static func handle<Arguments: ThriftStruct, Result: ThriftStructEncoding>(
        _ incoming: Incoming,
        arguments: Arguments.Type,
        _ body: (Arguments) async throws -> Result
    ) async -> ThriftProcessorResult {
        let decoded: Arguments
        switch decodeArguments(incoming, Arguments.self) {
        case .success(let arguments): decoded = arguments
        case .failure(let failed): return failed.result
        }
        do {
            let result = try await body(decoded)
            let (size, encode) = replyEncoder(incoming, result)
            // A large reply is encoded on the global executor, not on a connection's event loop.
            let reply = size > largeReplySize ? await withTaskExecutorPreference(globalConcurrentExecutor) { encode() } : encode()
            return ThriftProcessorResult(reply: reply, closeConnection: false)
        } catch {
            return failure(error, incoming)
        }
    }

    /// `handle` for a `body` that answers at once (`ThriftProcessor.processWithoutWaiting`):
    /// nil, to have the call processed as usual, when `body` returns nil or the reply is large.
    public static func handleWithoutWaiting<Arguments: ThriftStruct, Result: ThriftStructEncoding>(
        _ incoming: Incoming,
        arguments: Arguments.Type,
        _ body: (Arguments) throws -> Result?
    ) -> ThriftProcessorResult? {
        let decoded: Arguments
        switch decodeArguments(incoming, Arguments.self) {
        case .success(let arguments): decoded = arguments
        case .failure(let failed): return failed.result
        }
        do {
            guard let result = try body(decoded) else { return nil }
            let (size, encode) = replyEncoder(incoming, result)
            guard size <= largeReplySize else { return nil }
            return ThriftProcessorResult(reply: encode(), closeConnection: false)
        } catch {
            return failure(error, incoming)
        }
    }

    private static func decodeArguments<Arguments: ThriftStruct>(_ incoming: Incoming, _: Arguments.Type) -> Result<Arguments, FailedCall> {
        do {
            return .success(
                try ThriftBinaryReader.withReader(incoming.message, limits: incoming.limits) { reader in
                    reader.seek(to: incoming.argumentsOffset)
                    return try reader.readStruct(Arguments.self)
                })
        } catch {
            return .failure(FailedCall(exception(TApplicationException(.protocolError, message: String(describing: error)), header: incoming.header)))
        }
    }

    /// The reply's size and the function that encodes it.
    private static func replyEncoder<Result: ThriftStructEncoding>(_ incoming: Incoming, _ result: Result) -> (Int, () -> ByteBuffer) {
        let header = ThriftMessageHeader(name: incoming.header.name, type: .reply, sequenceID: incoming.header.sequenceID)
        let size = ThriftBinaryWriter.messageHeaderSize(header) + result.thriftEncodedSize
        return (size, {
            var reply = ByteBuffer()
            ThriftBinaryWriter.encode(size: size, into: &reply) { writer in
                writer.writeMessageHeader(header)
                result.write(to: &writer)
            }
            return reply
        })
    }

    /// The exception sent for an error the body threw.
    private static func failure(_ error: any Error, _ incoming: Incoming) -> ThriftProcessorResult {
        if let forwarded = error as? TApplicationException {
            // A proxy passes an upstream server's exception back unchanged (kind and text).
            return exception(forwarded, header: incoming.header)
        }
        let text = "Internal error processing \(incoming.header.name): \(String(describing: error))"
        return exception(TApplicationException(.internalError, message: text), header: incoming.header)
    }
}
