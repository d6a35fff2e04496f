/// A value that writes itself as a Thrift struct: every `ThriftStruct`, and a reply a server
/// writes straight from its own data (which is never decoded as such).
public protocol ThriftStructEncoding: Sendable {
    /// Encodes the struct's fields followed by STOP.
    func write(to writer: inout ThriftBinaryWriter)
    /// The number of bytes `write(to:)` writes, or more, so that encoding allocates its buffer
    /// once. Generated structs compute it exactly; the default, 0, means unknown (the buffer grows).
    var thriftEncodedSize: Int { get }
}

/// A value that encodes and decodes itself as a Thrift struct. Generated types conform to it.
public protocol ThriftStruct: ThriftStructEncoding {
    /// Decodes the struct at the reader's position (the field list up to and including STOP).
    init(from reader: inout ThriftBinaryReader) throws
}

extension ThriftStructEncoding {
    /// Unknown: encoding grows its buffer as it writes.
    public var thriftEncodedSize: Int { 0 }

    /// This struct encoded with TBinaryProtocol; the same value always gives the same bytes
    /// (its sets and maps are kept sorted, see `ThriftMap`).
    public func thriftBytes() -> [UInt8] {
        ThriftBinaryWriter.encode(size: thriftEncodedSize) { write(to: &$0) }
    }
}

extension ThriftStruct {
    /// Decodes a struct from `bytes`, which must hold just this struct (trailing bytes are ignored).
    public init(thriftBytes bytes: [UInt8], limits: ThriftLimits = .default) throws {
        self = try ThriftBinaryReader.withReader(bytes, limits: limits) { reader in
            try reader.readStruct(Self.self)
        }
    }
}

/// A zero-size stored property of every generated struct, so that the compiler still synthesizes
/// its memberwise initializer (an explicit initializer in the struct would suppress it), and the
/// generated initializers delegate to it. The synthesized one builds the value in place; an
/// explicit one that assigns the fields of a struct with more than a few reference-counted fields
/// copies the whole value once more as it returns (Swift 6.3), which was a sixth of decoding a
/// `JobStatus`.
public struct ThriftMemberwise: Hashable, Sendable {
    /// The only value.
    @inlinable
    public init() {}
}
