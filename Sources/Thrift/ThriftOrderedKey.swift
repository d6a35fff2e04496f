/// A type whose values can be the keys of a `ThriftMap` or the elements of a `ThriftSet`: it has a
/// total order on the values as they are written, so that a map or set kept in that order always
/// encodes to the same bytes.
public protocol ThriftOrderedKey: Hashable {
    /// Negative when `lhs` comes first, zero when the two are the same key, positive when `rhs`
    /// comes first. A strict total order; the same key implies `==`.
    static func thriftCompare(_ lhs: Self, _ rhs: Self) -> Int
    /// A number per key, in the keys' order as far as it goes: when two keys' numbers differ, the
    /// key with the smaller one comes first; equal numbers say nothing. Sorting compares most
    /// keys as these integers and calls `thriftCompare` only on ties. All 0 by default.
    static func thriftSortPrefixes(_ keys: [Self]) -> [UInt64]
}

extension ThriftOrderedKey {
    /// No prefixes: every comparison is a `thriftCompare`.
    @inlinable
    public static func thriftSortPrefixes(_ keys: [Self]) -> [UInt64] { Array(repeating: 0, count: keys.count) }
}

extension ThriftOrderedKey where Self: BinaryInteger {
    /// Numeric order.
    @inlinable
    public static func thriftCompare(_ lhs: Self, _ rhs: Self) -> Int {
        lhs < rhs ? -1 : (lhs == rhs ? 0 : 1)
    }
}

extension ThriftOrderedKey where Self: FixedWidthInteger & SignedInteger {
    /// The values with their sign bit flipped: unsigned order is then numeric order.
    @inlinable
    public static func thriftSortPrefixes(_ keys: [Self]) -> [UInt64] {
        keys.map { UInt64(bitPattern: Int64($0)) ^ (1 << 63) }
    }
}

extension Int8: ThriftOrderedKey {}
extension Int16: ThriftOrderedKey {}
extension Int32: ThriftOrderedKey {}
extension Int64: ThriftOrderedKey {}

extension Bool: ThriftOrderedKey {
    /// `false` before `true`.
    @inlinable
    public static func thriftCompare(_ lhs: Bool, _ rhs: Bool) -> Int {
        lhs == rhs ? 0 : (lhs ? 1 : -1)
    }
}

extension Double: ThriftOrderedKey {
    /// IEEE-754 total order on the bit pattern: -NaN, -∞, …, -0, +0, …, +∞, +NaN; -0 and +0, and
    /// NaNs with different payloads, are different keys, as they are different bytes.
    @inlinable
    public static func thriftCompare(_ lhs: Double, _ rhs: Double) -> Int {
        UInt64.thriftCompareBits(orderedBits(lhs), orderedBits(rhs))
    }

    /// The bit pattern mapped so that unsigned order is the total order.
    @inlinable
    static func orderedBits(_ value: Double) -> UInt64 {
        let bits = value.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }
}

extension UInt64 {
    @inlinable
    static func thriftCompareBits(_ lhs: UInt64, _ rhs: UInt64) -> Int {
        lhs < rhs ? -1 : (lhs == rhs ? 0 : 1)
    }
}

extension String: ThriftOrderedKey {
    /// Byte order of the UTF-8 encoding, as the key is written. This is not Unicode's canonical
    /// order: two spellings of "é" (precomposed, or e and a combining accent) are two keys here,
    /// as they are two different keys on the wire, though `==` calls them equal.
    @inlinable
    public static func thriftCompare(_ lhs: String, _ rhs: String) -> Int {
        let order = lhs.utf8.withContiguousStorageIfAvailable { left in
            rhs.utf8.withContiguousStorageIfAvailable { right in ThriftBytes.compare(left, right) }
        }
        if let order = order ?? nil { return order }
        return ThriftBytes.compareSlowly(lhs.utf8, rhs.utf8)
    }

    /// The 8 bytes of each key's UTF-8 encoding that follow the bytes all the keys start with,
    /// big-endian, zero-padded: byte order as far as they go (a padding zero ties with a zero
    /// byte, and ties say nothing). Task ids such as `task-000123` differ only after their
    /// common start.
    @inlinable
    public static func thriftSortPrefixes(_ keys: [String]) -> [UInt64] {
        guard let first = keys.first else { return [] }
        return ThriftBytes.withUTF8(first) { start in
            var common = start.count
            for key in keys.dropFirst() where common > 0 {
                common = ThriftBytes.withUTF8(key) { bytes in
                    let limit = Swift.min(common, bytes.count)
                    var length = 0
                    while length < limit, bytes[length] == start[length] { length += 1 }
                    return length
                }
            }
            return keys.map { key in ThriftBytes.withUTF8(key) { ThriftBytes.prefix($0, from: common) } }
        }
    }
}

extension Array: ThriftOrderedKey where Element == UInt8 {
    /// Byte order (binary values).
    @inlinable
    public static func thriftCompare(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        lhs.withUnsafeBufferPointer { left in rhs.withUnsafeBufferPointer { right in ThriftBytes.compare(left, right) } }
    }
}

/// A generated Thrift enum: an i32 on the wire. Its keys sort by wire number.
public protocol ThriftEnum: ThriftOrderedKey, Sendable {
    /// Creates a value from its wire number.
    init(rawValue: Int32)
    /// The wire number.
    var rawValue: Int32 { get }
}

extension ThriftEnum {
    /// Wire-number order.
    @inlinable
    public static func thriftCompare(_ lhs: Self, _ rhs: Self) -> Int {
        Int32.thriftCompare(lhs.rawValue, rhs.rawValue)
    }

    /// The wire numbers' prefixes.
    @inlinable
    public static func thriftSortPrefixes(_ keys: [Self]) -> [UInt64] {
        Int32.thriftSortPrefixes(keys.map(\.rawValue))
    }
}

/// Byte-wise comparison of byte sequences: memcmp's order, then the shorter first.
@usableFromInline
enum ThriftBytes {
    @inlinable
    static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int {
        let common = Swift.min(lhs.count, rhs.count)
        var offset = 0
        if common >= 8, let left = lhs.baseAddress, let right = rhs.baseAddress {
            let leftRaw = UnsafeRawPointer(left), rightRaw = UnsafeRawPointer(right)
            while offset + 8 <= common {
                // Big-endian words compare as their bytes do.
                let a = leftRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian
                let b = rightRaw.loadUnaligned(fromByteOffset: offset, as: UInt64.self).bigEndian
                if a != b { return a < b ? -1 : 1 }
                offset += 8
            }
        }
        while offset < common {
            let a = lhs[offset], b = rhs[offset]
            if a != b { return a < b ? -1 : 1 }
            offset += 1
        }
        return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }

    /// Copies `count` bytes, inline: short strings are most of what is read and written, and a
    /// `memmove` call costs more than the copy itself. Every load and store stays within `count`
    /// bytes (overlapping words at the ends).
    @inlinable
    @inline(__always)
    static func copy(from source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count: Int) {
        switch count {
        case 0:
            return
        case 1..<4:
            target.storeBytes(of: source.load(as: UInt8.self), as: UInt8.self)
            target.storeBytes(of: source.load(fromByteOffset: count >> 1, as: UInt8.self), toByteOffset: count >> 1, as: UInt8.self)
            target.storeBytes(of: source.load(fromByteOffset: count - 1, as: UInt8.self), toByteOffset: count - 1, as: UInt8.self)
        case 4..<8:
            let head = source.loadUnaligned(as: UInt32.self), tail = source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        case 8...64:
            var offset = 0
            while offset + 8 < count {
                target.storeBytes(of: source.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8, as: UInt64.self)
        default:
            target.copyMemory(from: source, byteCount: count)
        }
    }

    /// The 8 bytes from `offset` on, big-endian, zero-padded.
    @inlinable
    static func prefix(_ bytes: UnsafeBufferPointer<UInt8>, from offset: Int) -> UInt64 {
        var prefix: UInt64 = 0
        var shift: UInt64 = 56
        var position = offset
        let end = Swift.min(bytes.count, offset + 8)
        while position < end {
            prefix |= UInt64(bytes[position]) << shift
            shift &-= 8
            position += 1
        }
        return prefix
    }

    /// Runs `body` on the UTF-8 bytes of `string`, copied first if they are not contiguous.
    @inlinable
    static func withUTF8<T>(_ string: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(string.utf8).withUnsafeBufferPointer(body)
    }

    /// For strings without contiguous UTF-8 (bridged ones).
    @usableFromInline
    static func compareSlowly(_ lhs: String.UTF8View, _ rhs: String.UTF8View) -> Int {
        Array(lhs).withUnsafeBufferPointer { left in Array(rhs).withUnsafeBufferPointer { right in compare(left, right) } }
    }
}
