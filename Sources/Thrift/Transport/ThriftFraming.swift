import NIOCore

/// How messages are delimited on a connection.
public enum ThriftFraming: Sendable, Hashable {
    /// A plain byte stream: each message ends where its structure ends. What real Scoot uses.
    case unframed
    /// Each message is preceded by its length as a big-endian 32-bit integer (`TFramedTransport`).
    case framed
}

/// How a server decides the framing of a new connection.
public enum ThriftServerFraming: Sendable, Hashable {
    /// Always unframed, as Scoot.
    case unframed
    /// Always framed.
    case framed
    /// Decided per connection from its first bytes: a strict message starts with `0x80 0x01`;
    /// a frame starts with a length whose next two bytes are `0x80 0x01`. Anything else is
    /// taken as an old-style unframed message.
    case automatic
}

/// One complete message read off a connection, and the framing it arrived with (so the reply
/// goes back the same way).
public struct ThriftInboundMessage: Sendable {
    /// The message: envelope and body, without any frame length.
    public var bytes: [UInt8]
    /// The framing the message used.
    public var framing: ThriftFraming
}

/// A message could not be read off the connection. `header` is known when the envelope was
/// readable, so that a `TApplicationException(PROTOCOL_ERROR)` reply can still be addressed.
public struct ThriftFramingError: Error, Sendable, CustomStringConvertible {
    /// The envelope of the broken message, when it could be read.
    public var header: ThriftMessageHeader?
    /// What was wrong.
    public var error: ThriftProtocolError

    public var description: String { error.description }
}

extension ThriftFraming {
    /// Adds the frame length (framed) or nothing (unframed) in front of an encoded message.
    func encode(_ message: [UInt8], allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: message.count + 4)
        if self == .framed { buffer.writeInteger(Int32(truncatingIfNeeded: message.count)) }
        buffer.writeBytes(message)
        return buffer
    }
}
