/// Encodes values with TBinaryProtocol into a growing byte array: big-endian integers, IEEE-754
/// doubles, length-prefixed strings, and strict (versioned) message headers.
public struct ThriftBinaryWriter: Sendable {
    @usableFromInline var storage: [UInt8]

    /// Everything written so far.
    public var bytes: [UInt8] { storage }

    /// Whether generated encoders write sets and maps in ascending order (deterministic bytes)
    /// rather than in Swift's iteration order, which differs between processes but is faster.
    public let sortsCollections: Bool

    /// Creates an empty writer; `capacity` pre-sizes the buffer.
    public init(capacity: Int = 256, sortsCollections: Bool = true) {
        storage = []
        storage.reserveCapacity(capacity)
        self.sortsCollections = sortsCollections
    }

    /// Writes a strict message header: `0x8001_0000 | type`, name, sequence id.
    public mutating func writeMessageHeader(_ header: ThriftMessageHeader) {
        writeI32(Int32(bitPattern: ThriftMessageHeader.version1 | UInt32(header.type.rawValue)))
        writeString(header.name)
        writeI32(header.sequenceID)
    }

    /// Writes an old-style (unversioned) message header, as non-strict peers do.
    public mutating func writeUnversionedMessageHeader(_ header: ThriftMessageHeader) {
        writeString(header.name)
        writeByte(Int8(bitPattern: header.type.rawValue))
        writeI32(header.sequenceID)
    }

    /// Writes a field header: type byte and field id.
    @inlinable
    public mutating func writeFieldHeader(_ type: ThriftType, id: Int16) {
        storage.append(type.rawValue)
        writeI16(id)
    }

    /// Writes the STOP byte that ends a struct.
    @inlinable
    public mutating func writeFieldStop() {
        storage.append(ThriftType.stop.rawValue)
    }

    /// Writes a list header: element type and count.
    @inlinable
    public mutating func writeListHeader(_ elementType: ThriftType, count: Int) {
        storage.append(elementType.rawValue)
        writeI32(Int32(truncatingIfNeeded: count))
    }

    /// Writes a set header; identical to a list header on the wire.
    @inlinable
    public mutating func writeSetHeader(_ elementType: ThriftType, count: Int) {
        writeListHeader(elementType, count: count)
    }

    /// Writes a map header: key type, value type and count.
    @inlinable
    public mutating func writeMapHeader(keyType: ThriftType, valueType: ThriftType, count: Int) {
        storage.append(keyType.rawValue)
        storage.append(valueType.rawValue)
        writeI32(Int32(truncatingIfNeeded: count))
    }

    /// Writes a bool as one byte, 1 or 0.
    @inlinable
    public mutating func writeBool(_ value: Bool) {
        storage.append(value ? 1 : 0)
    }

    /// Writes a signed byte.
    @inlinable
    public mutating func writeByte(_ value: Int8) {
        storage.append(UInt8(bitPattern: value))
    }

    /// Writes a big-endian 16-bit integer.
    @inlinable
    public mutating func writeI16(_ value: Int16) {
        let v = UInt16(bitPattern: value)
        storage.append(UInt8(truncatingIfNeeded: v >> 8))
        storage.append(UInt8(truncatingIfNeeded: v))
    }

    /// Writes a big-endian 32-bit integer.
    @inlinable
    public mutating func writeI32(_ value: Int32) {
        let v = UInt32(bitPattern: value)
        storage.append(UInt8(truncatingIfNeeded: v >> 24))
        storage.append(UInt8(truncatingIfNeeded: v >> 16))
        storage.append(UInt8(truncatingIfNeeded: v >> 8))
        storage.append(UInt8(truncatingIfNeeded: v))
    }

    /// Writes a big-endian 64-bit integer.
    @inlinable
    public mutating func writeI64(_ value: Int64) {
        withUnsafeBytes(of: UInt64(bitPattern: value).bigEndian) { storage.append(contentsOf: $0) }
    }

    /// Writes a double as its IEEE-754 bit pattern, big-endian.
    @inlinable
    public mutating func writeDouble(_ value: Double) {
        writeI64(Int64(bitPattern: value.bitPattern))
    }

    /// Writes a string as a 32-bit byte length followed by its UTF-8 bytes.
    @inlinable
    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeI32(Int32(truncatingIfNeeded: utf8.count))
            storage.append(contentsOf: utf8)
        }
    }

    /// Writes binary data as a 32-bit length followed by the bytes.
    @inlinable
    public mutating func writeBinary(_ value: [UInt8]) {
        writeI32(Int32(truncatingIfNeeded: value.count))
        storage.append(contentsOf: value)
    }

    /// Writes a nested struct (its fields and STOP).
    @inlinable
    public mutating func writeStruct<T: ThriftStruct>(_ value: T) {
        value.write(to: &self)
    }

    /// Appends bytes that are already encoded.
    public mutating func writeRaw(_ raw: [UInt8]) {
        storage.append(contentsOf: raw)
    }
}
