import Thrift

/// Why recorded bytes could not be read: a record, chunk or file that does not follow
/// docs/recording.md.
public struct RecordingFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, for a warning or an error line.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Appends the recording's primitive values to a byte array: LEB128 varints (unsigned, and
/// ZigZag for signed values), length-prefixed strings and blobs, and big-endian fixed-width
/// integers for the file and chunk headers (docs/recording.md, "Primitives").
struct RecordingBytesWriter {
    /// Everything written so far.
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 64) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    /// An unsigned LEB128 varint: 7 bits a byte, low bits first, the high bit set on all but the last.
    mutating func unsigned(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// A count or an index (never negative) as an unsigned varint.
    mutating func count(_ value: Int) {
        precondition(value >= 0, "a count is never negative")
        unsigned(UInt64(value))
    }

    /// A signed value, ZigZag-mapped (0, -1, 1, -2 … → 0, 1, 2, 3 …) then as an unsigned varint.
    mutating func signed(_ value: Int64) {
        unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// A string as its UTF-8 byte count (varint) and the bytes.
    mutating func string(_ value: String) {
        count(value.utf8.count)
        bytes.append(contentsOf: value.utf8)
    }

    /// Bytes as their count (varint) and the bytes.
    mutating func blob(_ value: some Collection<UInt8>) {
        count(value.count)
        bytes.append(contentsOf: value)
    }

    /// Bytes as they are (a header's magic, an encoded record).
    mutating func raw(_ value: some Sequence<UInt8>) {
        bytes.append(contentsOf: value)
    }

    /// A fixed-width integer, big-endian.
    mutating func bigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Reads what `RecordingBytesWriter` writes, from a range of a byte array. Every read checks the
/// bytes that remain first, and every count is checked against them before anything is allocated
/// (each counted element takes at least one byte), so malformed input throws
/// `RecordingFormatError` and never traps or allocates without bound.
struct RecordingBytesReader {
    let bytes: [UInt8]
    /// The next byte to read.
    private(set) var position: Int
    /// One past the last byte this reader may read.
    let end: Int

    init(_ bytes: [UInt8], range: Range<Int>? = nil) {
        self.bytes = bytes
        position = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
    }

    var isAtEnd: Bool { position >= end }
    var remaining: Int { end - position }

    mutating func byte() throws -> UInt8 {
        guard position < end else { throw RecordingFormatError("record ends early") }
        defer { position += 1 }
        return bytes[position]
    }

    /// A presence byte: 0 for absent, 1 for present.
    mutating func presence() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        case let other: throw RecordingFormatError("presence byte \(other)")
        }
    }

    mutating func unsigned() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64, shift < 63 || next <= 1 else { throw RecordingFormatError("varint longer than 64 bits") }
            value |= UInt64(next & 0x7F) << shift
            if next & 0x80 == 0 { return value }
            shift += 7
        }
    }

    /// A count of elements that each take at least one byte, or an index below `limit`.
    mutating func count(below limit: Int? = nil) throws -> Int {
        let value = try unsigned()
        let bound = UInt64(limit ?? remaining + 1)
        guard value < bound else { throw RecordingFormatError("count \(value) out of range (below \(bound))") }
        return Int(value)
    }

    mutating func signed() throws -> Int64 {
        let value = try unsigned()
        return Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1)))
    }

    mutating func int32() throws -> Int32 {
        let value = try signed()
        guard let narrow = Int32(exactly: value) else { throw RecordingFormatError("\(value) does not fit 32 bits") }
        return narrow
    }

    mutating func int() throws -> Int {
        let value = try signed()
        guard let narrow = Int(exactly: value) else { throw RecordingFormatError("\(value) does not fit an Int") }
        return narrow
    }

    /// The range of the next blob's bytes, which the reader moves past.
    mutating func blobRange() throws -> Range<Int> {
        let length = try count()
        guard length <= remaining else { throw RecordingFormatError("blob of \(length) bytes with \(remaining) left") }
        defer { position += length }
        return position..<(position + length)
    }

    mutating func string() throws -> String {
        String(decoding: bytes[try blobRange()], as: UTF8.self)
    }

    mutating func bigEndian<T: FixedWidthInteger>(_ type: T.Type = T.self) throws -> T {
        let size = MemoryLayout<T>.size
        guard size <= remaining else { throw RecordingFormatError("header ends early") }
        var value: T = 0
        for offset in 0..<size { value = value << 8 | T(bytes[position + offset]) }
        position += size
        return value
    }

    /// The Thrift struct encoded in `range` of the bytes (TBinaryProtocol, the project's codec).
    func thrift<T: ThriftStruct>(_ type: T.Type = T.self, in range: Range<Int>) throws -> T {
        try bytes.withUnsafeBytes { raw in
            try ThriftBinaryReader.withReader(unsafeBytes: UnsafeRawBufferPointer(rebasing: raw[range])) { try $0.readStruct(T.self) }
        }
    }
}
