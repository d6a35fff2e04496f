import NIOCore

/// Splits a connection's bytes into complete Thrift messages, framed or unframed, enforcing
/// `ThriftLimits` before buffering or allocating anything a length prefix asks for.
final class ThriftMessageDecoder: ByteToMessageDecoder {
    typealias InboundOut = ThriftInboundMessage

    private var framing: ThriftServerFraming
    private var scanner: ThriftMessageScanner
    private let limits: ThriftLimits

    init(framing: ThriftServerFraming, limits: ThriftLimits) {
        self.framing = framing
        self.limits = limits
        self.scanner = ThriftMessageScanner(limits: limits)
    }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        switch framing {
        case .automatic:
            guard let detected = Self.detectFraming(buffer) else { return .needMoreData }
            framing = detected == .framed ? .framed : .unframed
            return .continue
        case .unframed:
            let length: Int?
            do {
                length = try buffer.withUnsafeReadableBytes { try scanner.scan($0) }
            } catch let error as ThriftProtocolError {
                throw ThriftFramingError(header: scanner.currentHeader, error: error)
            }
            guard let length, let bytes = buffer.readBytes(length: length) else { return .needMoreData }
            context.fireChannelRead(wrapInboundOut(ThriftInboundMessage(bytes: bytes, framing: .unframed)))
            return .continue
        case .framed:
            guard let length = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
            guard length >= 0 else { throw ThriftFramingError(header: nil, error: .negativeSize(Int64(length))) }
            guard Int(length) <= limits.maxMessageSize else {
                throw ThriftFramingError(header: nil, error: .sizeLimitExceeded(what: "frame size", size: Int64(length), limit: limits.maxMessageSize))
            }
            guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: 4)
            let bytes = buffer.readBytes(length: Int(length))!
            context.fireChannelRead(wrapInboundOut(ThriftInboundMessage(bytes: bytes, framing: .framed)))
            return .continue
        }
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // Complete messages before the end of stream are still delivered; a partial one is dropped.
        let state = try decode(context: context, buffer: &buffer)
        if state == .needMoreData { buffer.clear() }
        return state
    }

    /// Reads the framing from the first bytes, or `nil` while too few have arrived.
    static func detectFraming(_ buffer: ByteBuffer) -> ThriftFraming? {
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        if first == 0x80 { return .unframed }
        guard let marker = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt16.self) else { return nil }
        return marker == 0x8001 ? .framed : .unframed
    }
}
