/// Decodes TBinaryProtocol from a complete message held in memory.
///
/// A reader only exists inside `withReader(_:limits:_:)`, which lends it the bytes. Every length
/// and count is checked against `ThriftLimits` and against the bytes that remain before anything
/// is allocated; every failure is a `ThriftProtocolError`.
public struct ThriftBinaryReader {
    @usableFromInline let base: UnsafeRawBufferPointer
    @usableFromInline var position: Int
    /// The limits this reader enforces.
    public let limits: ThriftLimits
    @usableFromInline var depth: Int = 0

    @usableFromInline
    init(base: UnsafeRawBufferPointer, limits: ThriftLimits) {
        self.base = base
        self.position = 0
        self.limits = limits
    }

    /// Runs `body` with a reader over `bytes`.
    public static func withReader<Result>(
        _ bytes: [UInt8], limits: ThriftLimits = .default,
        _ body: (inout ThriftBinaryReader) throws -> Result
    ) throws -> Result {
        try bytes.withUnsafeBytes { raw in
            var reader = ThriftBinaryReader(base: raw, limits: limits)
            return try body(&reader)
        }
    }

    /// Runs `body` with a reader over raw bytes that stay valid for the call.
    public static func withReader<Result>(
        unsafeBytes raw: UnsafeRawBufferPointer, limits: ThriftLimits = .default,
        _ body: (inout ThriftBinaryReader) throws -> Result
    ) throws -> Result {
        var reader = ThriftBinaryReader(base: raw, limits: limits)
        return try body(&reader)
    }

    /// Moves to `position`, which must lie within the bytes.
    public mutating func seek(to newPosition: Int) {
        precondition(newPosition >= 0 && newPosition <= base.count, "seek outside the message")
        position = newPosition
    }

    /// The position of the next byte to read.
    public var offset: Int { position }

    /// Bytes not yet read.
    @inlinable
    public var remaining: Int { base.count - position }

    @inlinable
    @inline(__always)
    mutating func take(_ count: Int) throws -> Int {
        guard _fastPath(count <= base.count - position) else { throw truncation(needing: count) }
        let start = position
        position += count
        return start
    }

    /// The error for `count` bytes that are not there; out of line, so that reads stay small.
    @usableFromInline
    @inline(never)
    func truncation(needing count: Int) -> ThriftProtocolError {
        .truncated(offset: position, needed: count - (base.count - position))
    }

    // MARK: Base types

    /// Reads one byte: 0 is false, anything else true (as Apache Thrift's C++ and Java readers).
    @inlinable
    @inline(__always)
    public mutating func readBool() throws -> Bool {
        let at = try take(1)
        return base[at] != 0
    }

    /// Reads a signed byte.
    @inlinable
    @inline(__always)
    public mutating func readByte() throws -> Int8 {
        let at = try take(1)
        return Int8(bitPattern: base[at])
    }

    /// Reads a big-endian 16-bit integer.
    @inlinable
    @inline(__always)
    public mutating func readI16() throws -> Int16 {
        let at = try take(2)
        return Int16(bitPattern: UInt16(base[at]) << 8 | UInt16(base[at + 1]))
    }

    /// Reads a big-endian 32-bit integer.
    @inlinable
    @inline(__always)
    public mutating func readI32() throws -> Int32 {
        let at = try take(4)
        return Int32(bitPattern: base.loadUnaligned(fromByteOffset: at, as: UInt32.self).bigEndian)
    }

    /// Reads a big-endian 64-bit integer.
    @inlinable
    @inline(__always)
    public mutating func readI64() throws -> Int64 {
        let at = try take(8)
        return Int64(bitPattern: base.loadUnaligned(fromByteOffset: at, as: UInt64.self).bigEndian)
    }

    /// Reads a big-endian IEEE-754 double.
    @inlinable
    @inline(__always)
    public mutating func readDouble() throws -> Double {
        Double(bitPattern: UInt64(bitPattern: try readI64()))
    }

    @inlinable
    @inline(__always)
    mutating func readLength(_ what: StaticString, limit: Int) throws -> Int {
        let length = try readI32()
        guard _fastPath(length >= 0 && Int(length) <= limit) else { throw badLength(length, what: what, limit: limit) }
        return Int(length)
    }

    @usableFromInline
    @inline(never)
    func badLength(_ length: Int32, what: StaticString, limit: Int) -> ThriftProtocolError {
        length < 0 ? .negativeSize(Int64(length)) : .sizeLimitExceeded(what: "\(what)", size: Int64(length), limit: limit)
    }

    /// Reads a length-prefixed string; invalid UTF-8 is repaired with U+FFFD, as Apache Thrift's
    /// Python library does.
    @inlinable
    public mutating func readString() throws -> String {
        let length = try readLength("string length", limit: limits.maxStringLength)
        let at = try take(length)
        return Self.string(fromUTF8: UnsafeRawBufferPointer(rebasing: base[at..<at + length]))
    }

    /// The most UTF-8 bytes a `String` holds in itself, without storage of its own (64-bit).
    @inlinable
    static var smallStringCapacity: Int { 15 }

    /// `String(decoding: bytes, as: UTF8.self)`, faster for short strings: their bytes are copied
    /// into the string first and checked there, one copy and one mask instead of a byte-by-byte
    /// scan and build. Invalid UTF-8 is repaired by the standard library exactly as
    /// `String(decoding:as:)` repairs it; longer strings take that path itself.
    @inlinable
    @inline(__always)
    static func string(fromUTF8 bytes: UnsafeRawBufferPointer) -> String {
        guard bytes.count <= smallStringCapacity else { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            if let source = bytes.baseAddress, let target = buffer.baseAddress {
                ThriftBytes.copy(from: source, to: UnsafeMutableRawPointer(target), count: bytes.count)
            }
            return bytes.count
        }
    }

    /// Reads length-prefixed binary data.
    @inlinable
    public mutating func readBinary() throws -> [UInt8] {
        let length = try readLength("binary length", limit: limits.maxStringLength)
        let at = try take(length)
        return Array(UnsafeRawBufferPointer(rebasing: base[at..<at + length]))
    }

    // MARK: Structure

    @inlinable
    @inline(__always)
    mutating func readType() throws -> ThriftType {
        let at = try take(1)
        guard let type = ThriftType(rawValue: base[at]) else { throw Self.invalidType(base[at]) }
        return type
    }

    @usableFromInline
    @inline(never)
    static func invalidType(_ byte: UInt8) -> ThriftProtocolError {
        .invalidType(byte)
    }

    @inlinable
    mutating func readValueType() throws -> ThriftType {
        let type = try readType()
        guard type.isValueType else { throw Self.invalidType(type.rawValue) }
        return type
    }

    /// Reads a field header; `nil` means the STOP byte that ends the struct.
    @inlinable
    @inline(__always)
    public mutating func readFieldHeader() throws -> (type: ThriftType, id: Int16)? {
        if _fastPath(position < base.count), base[position] == ThriftType.stop.rawValue {
            position += 1
            return nil
        }
        let type = try readType()
        if type == .stop { return nil }
        guard type.isValueType else { throw Self.invalidType(type.rawValue) }
        return (type, try readI16())
    }

    /// Consumes the next field header if it is field `id` of `type`, and reads nothing otherwise:
    /// generated decoders try each field in IDL order first, which is how fields usually arrive,
    /// and leave the others to `readFieldHeader()`.
    @inlinable
    @inline(__always)
    public mutating func readFieldHeader(ifNextIs type: ThriftType, id: Int16) -> Bool {
        guard _fastPath(base.count - position >= 3) else { return false }
        let expected = UInt32(type.rawValue) << 16 | UInt32(UInt16(bitPattern: id))
        let next = UInt32(base[position]) << 16 | UInt32(base[position + 1]) << 8 | UInt32(base[position + 2])
        guard next == expected else { return false }
        position += 3
        return true
    }

    @inlinable
    mutating func readCount(elementSize: Int) throws -> Int {
        let count = try readLength("container size", limit: limits.maxContainerElements)
        // Every element needs at least `elementSize` bytes: a count that cannot fit in what
        // remains is rejected before the caller reserves capacity for it.
        if elementSize > 0, count > remaining / elementSize {
            throw ThriftProtocolError.truncated(offset: position, needed: count * elementSize - remaining)
        }
        return count
    }

    /// Reads a list header: element type and count.
    @inlinable
    public mutating func readListHeader() throws -> (elementType: ThriftType, count: Int) {
        let elementType = try readValueType()
        return (elementType, try readCount(elementSize: elementType.minimumEncodedSize))
    }

    /// Reads a set header; identical to a list header on the wire.
    @inlinable
    public mutating func readSetHeader() throws -> (elementType: ThriftType, count: Int) {
        try readListHeader()
    }

    /// Reads a map header: key type, value type and count.
    @inlinable
    public mutating func readMapHeader() throws -> (keyType: ThriftType, valueType: ThriftType, count: Int) {
        let keyType = try readValueType()
        let valueType = try readValueType()
        let size = keyType.minimumEncodedSize + valueType.minimumEncodedSize
        return (keyType, valueType, try readCount(elementSize: size))
    }

    /// Marks the start of a nested struct or container, enforcing `ThriftLimits.maxDepth`.
    @inlinable
    public mutating func enterNesting() throws {
        depth += 1
        guard depth <= limits.maxDepth else { throw ThriftProtocolError.depthLimitExceeded(limit: limits.maxDepth) }
    }

    /// Marks the end of a nested struct or container.
    @inlinable
    public mutating func leaveNesting() {
        depth -= 1
    }

    /// Reads a nested struct, counting it against the depth limit.
    @inlinable
    public mutating func readStruct<T: ThriftStruct>(_ type: T.Type = T.self) throws -> T {
        try enterNesting()
        let value = try T(from: &self)
        leaveNesting()
        return value
    }

    /// Reads and discards a value of any type, for fields this side does not know.
    public mutating func skip(_ type: ThriftType) throws {
        switch type {
        case .stop, .void:
            throw ThriftProtocolError.invalidType(type.rawValue)
        case .bool, .byte: _ = try take(1)
        case .i16: _ = try take(2)
        case .i32: _ = try take(4)
        case .i64, .double: _ = try take(8)
        case .string:
            let length = try readLength("string length", limit: limits.maxStringLength)
            _ = try take(length)
        case .struct:
            try enterNesting()
            while let field = try readFieldHeader() { try skip(field.type) }
            leaveNesting()
        case .list, .set:
            let header = try readListHeader()
            try enterNesting()
            for _ in 0..<header.count { try skip(header.elementType) }
            leaveNesting()
        case .map:
            let header = try readMapHeader()
            try enterNesting()
            for _ in 0..<header.count {
                try skip(header.keyType)
                try skip(header.valueType)
            }
            leaveNesting()
        }
    }

    // MARK: Messages

    /// Reads a message header, strict or old-style. With `strict` an unversioned header is an error.
    public mutating func readMessageHeader(strict: Bool = false) throws -> ThriftMessageHeader {
        let first = try readI32()
        if first < 0 {
            let word = UInt32(bitPattern: first)
            guard word & ThriftMessageHeader.versionMask == ThriftMessageHeader.version1 else {
                throw ThriftProtocolError.badVersion(word & ThriftMessageHeader.versionMask)
            }
            let typeByte = UInt8(word & ThriftMessageHeader.typeMask)
            guard let type = ThriftMessageType(rawValue: typeByte) else {
                throw ThriftProtocolError.invalidMessageType(typeByte)
            }
            let name = try readString()
            return ThriftMessageHeader(name: name, type: type, sequenceID: try readI32())
        }
        guard !strict else { throw ThriftProtocolError.missingVersion }
        guard Int(first) <= limits.maxStringLength else {
            throw ThriftProtocolError.sizeLimitExceeded(what: "method name length", size: Int64(first), limit: limits.maxStringLength)
        }
        let at = try take(Int(first))
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: base[at..<at + Int(first)]), as: UTF8.self)
        let typeByte = UInt8(bitPattern: try readByte())
        guard let type = ThriftMessageType(rawValue: typeByte) else {
            throw ThriftProtocolError.invalidMessageType(typeByte)
        }
        return ThriftMessageHeader(name: name, type: type, sequenceID: try readI32())
    }
}
