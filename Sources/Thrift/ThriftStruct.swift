/// A value that encodes itself as a Thrift struct. Generated types conform to it.
public protocol ThriftStruct: Sendable {
    /// Decodes the struct at the reader's position (the field list up to and including STOP).
    init(from reader: inout ThriftBinaryReader) throws
    /// Encodes the struct's fields followed by STOP.
    func write(to writer: inout ThriftBinaryWriter)
}

extension ThriftStruct {
    /// Decodes a struct from `bytes`, which must hold just this struct (trailing bytes are ignored).
    public init(thriftBytes bytes: [UInt8], limits: ThriftLimits = .default) throws {
        self = try ThriftBinaryReader.withReader(bytes, limits: limits) { reader in
            try reader.readStruct(Self.self)
        }
    }

    /// This struct encoded with TBinaryProtocol; sets and maps sorted unless `sortsCollections`
    /// is false (see `ThriftBinaryWriter.sortsCollections`).
    public func thriftBytes(sortsCollections: Bool = true) -> [UInt8] {
        var writer = ThriftBinaryWriter(sortsCollections: sortsCollections)
        write(to: &writer)
        return writer.bytes
    }
}
