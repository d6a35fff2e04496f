/// Encodes values with TBinaryProtocol into a buffer: big-endian integers, IEEE-754 doubles,
/// length-prefixed strings, and strict (versioned) message headers.
///
/// The writer owns its buffer (it cannot be copied, so no write pays for a uniqueness check) and
/// doubles it when full; `bytes` copies out what was written. `encode(size:_:)` writes straight
/// into the array it returns when told the size beforehand, as `ThriftStruct.thriftBytes()` is.
/// Maps and sets of generated structs are kept sorted (`ThriftMap`, `ThriftSet`), so the same
/// value always encodes to the same bytes.
public struct ThriftBinaryWriter: ~Copyable {
    @usableFromInline var base: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline var length = 0
    /// False while writing into memory lent by `encode(size:_:)`.
    @usableFromInline var ownsBuffer: Bool

    /// Creates an empty writer; `capacity` pre-sizes the buffer.
    public init(capacity: Int = 256) {
        self.capacity = Swift.max(capacity, 16)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 8)
        ownsBuffer = true
    }

    /// A writer that fills `buffer` first (and moves to a buffer of its own if that is too small).
    init(lending buffer: UnsafeMutableRawPointer, capacity: Int) {
        base = buffer
        self.capacity = capacity
        ownsBuffer = false
    }

    deinit {
        if ownsBuffer { base.deallocate() }
    }

    /// The bytes `body` writes, in an array allocated once when `size` is what `body` writes (a
    /// smaller `size` costs a copy, a larger one unused capacity).
    public static func encode(size: Int, _ body: (inout ThriftBinaryWriter) -> Void) -> [UInt8] {
        guard size > 0 else {
            var writer = ThriftBinaryWriter()
            body(&writer)
            return writer.bytes
        }
        var outgrown: [UInt8]?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var writer = ThriftBinaryWriter(lending: UnsafeMutableRawPointer(buffer.baseAddress!), capacity: buffer.count)
            body(&writer)
            if writer.ownsBuffer {
                outgrown = writer.bytes
                count = 0
            } else {
                count = writer.length
            }
        }
        return outgrown ?? bytes
    }

    /// Everything written so far.
    public var bytes: [UInt8] {
        Array(UnsafeRawBufferPointer(start: base, count: length))
    }

    /// Makes room for `byteCount` more bytes, so that the writes that follow do not grow the buffer.
    @inlinable
    @inline(__always)
    public mutating func reserve(_ byteCount: Int) {
        if _slowPath(capacity - length < byteCount) { grow(byteCount) }
    }

    @usableFromInline
    @inline(never)
    mutating func grow(_ byteCount: Int) {
        let newCapacity = Swift.max(capacity * 2, length + byteCount)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        newBase.copyMemory(from: base, byteCount: length)
        if ownsBuffer { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsBuffer = true
    }

    /// Stores `value`'s bytes, big-endian, at the end; room must have been reserved.
    @inlinable
    @inline(__always)
    mutating func store<T: FixedWidthInteger>(_ value: T) {
        base.storeBytes(of: value.bigEndian, toByteOffset: length, as: T.self)
        length += MemoryLayout<T>.size
    }

    /// The bytes a strict message header takes.
    public static func messageHeaderSize(_ header: ThriftMessageHeader) -> Int {
        12 + header.name.utf8.count
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
    @inline(__always)
    public mutating func writeFieldHeader(_ type: ThriftType, id: Int16) {
        reserve(3)
        store(type.rawValue)
        store(UInt16(bitPattern: id))
    }

    /// Writes the STOP byte that ends a struct.
    @inlinable
    @inline(__always)
    public mutating func writeFieldStop() {
        reserve(1)
        store(ThriftType.stop.rawValue)
    }

    /// Writes a list header: element type and count.
    @inlinable
    @inline(__always)
    public mutating func writeListHeader(_ elementType: ThriftType, count: Int) {
        reserve(5)
        store(elementType.rawValue)
        store(UInt32(truncatingIfNeeded: count))
    }

    /// Writes a set header; identical to a list header on the wire.
    @inlinable
    @inline(__always)
    public mutating func writeSetHeader(_ elementType: ThriftType, count: Int) {
        writeListHeader(elementType, count: count)
    }

    /// Writes a map header: key type, value type and count.
    @inlinable
    @inline(__always)
    public mutating func writeMapHeader(keyType: ThriftType, valueType: ThriftType, count: Int) {
        reserve(6)
        store(keyType.rawValue)
        store(valueType.rawValue)
        store(UInt32(truncatingIfNeeded: count))
    }

    /// Writes a bool as one byte, 1 or 0.
    @inlinable
    @inline(__always)
    public mutating func writeBool(_ value: Bool) {
        reserve(1)
        store(UInt8(value ? 1 : 0))
    }

    /// Writes a signed byte.
    @inlinable
    @inline(__always)
    public mutating func writeByte(_ value: Int8) {
        reserve(1)
        store(UInt8(bitPattern: value))
    }

    /// Writes a big-endian 16-bit integer.
    @inlinable
    @inline(__always)
    public mutating func writeI16(_ value: Int16) {
        reserve(2)
        store(UInt16(bitPattern: value))
    }

    /// Writes a big-endian 32-bit integer.
    @inlinable
    @inline(__always)
    public mutating func writeI32(_ value: Int32) {
        reserve(4)
        store(UInt32(bitPattern: value))
    }

    /// Writes a big-endian 64-bit integer.
    @inlinable
    @inline(__always)
    public mutating func writeI64(_ value: Int64) {
        reserve(8)
        store(UInt64(bitPattern: value))
    }

    /// Writes a double as its IEEE-754 bit pattern, big-endian.
    @inlinable
    @inline(__always)
    public mutating func writeDouble(_ value: Double) {
        reserve(8)
        store(value.bitPattern)
    }

    /// Writes a 32-bit length followed by `raw`.
    @inlinable
    @inline(__always)
    mutating func writeLengthPrefixed(_ raw: UnsafeRawBufferPointer) {
        reserve(4 + raw.count)
        store(UInt32(truncatingIfNeeded: raw.count))
        if let source = raw.baseAddress {
            ThriftBytes.copy(from: source, to: base + length, count: raw.count)
            length += raw.count
        }
    }

    /// Writes a string as a 32-bit byte length followed by its UTF-8 bytes.
    @inlinable
    @inline(__always)
    public mutating func writeString(_ value: String) {
        let written: Void? = value.utf8.withContiguousStorageIfAvailable { writeLengthPrefixed(UnsafeRawBufferPointer($0)) }
        if written == nil { writeNonContiguousString(value) }
    }

    /// A string without contiguous UTF-8 (a bridged one).
    @usableFromInline
    mutating func writeNonContiguousString(_ value: String) {
        var contiguous = value
        contiguous.makeContiguousUTF8()
        contiguous.withUTF8 { writeLengthPrefixed(UnsafeRawBufferPointer($0)) }
    }

    /// Writes binary data as a 32-bit length followed by the bytes.
    @inlinable
    @inline(__always)
    public mutating func writeBinary(_ value: [UInt8]) {
        value.withUnsafeBytes { writeLengthPrefixed($0) }
    }

    /// Writes a nested struct (its fields and STOP).
    @inlinable
    public mutating func writeStruct<T: ThriftStruct>(_ value: T) {
        value.write(to: &self)
    }

    /// Appends bytes that are already encoded.
    public mutating func writeRaw(_ raw: [UInt8]) {
        raw.withUnsafeBytes { raw in
            reserve(raw.count)
            if let source = raw.baseAddress, raw.count > 0 {
                (base + length).copyMemory(from: source, byteCount: raw.count)
                length += raw.count
            }
        }
    }
}
