/// Finds where one TBinaryProtocol message ends in an unframed byte stream, without decoding it.
///
/// Real Scoot speaks Thrift over a plain TCP stream with no length prefix, so the only way to
/// know a request is complete is to walk its structure. The scanner does that incrementally: fed
/// the bytes received so far (always starting at the message's first byte), it either returns the
/// message's length, asks for more bytes, or throws a `ThriftProtocolError`. It resumes where it
/// stopped, so a message arriving in many pieces is walked once, and it enforces the same limits
/// as the decoder, so garbage is rejected as soon as it is seen.
public struct ThriftMessageScanner: Sendable {
    private enum Frame: Sendable {
        case fields
        case elements(ThriftType, remaining: Int)
        case mapEntries(key: ThriftType, value: ThriftType, remainingValues: Int)
    }

    /// The limits enforced while scanning.
    public let limits: ThriftLimits
    private var stack: [Frame] = []
    private var position = 0
    private var header: ThriftMessageHeader?

    /// Creates a scanner for one message after another.
    public init(limits: ThriftLimits = .default) {
        self.limits = limits
    }

    /// The header of the message being scanned, once its bytes have arrived.
    public var currentHeader: ThriftMessageHeader? { header }

    /// Scans `bytes` (the current message's bytes received so far). Returns the message length
    /// once it is complete and resets for the next message; `nil` when more bytes are needed.
    public mutating func scan(_ bytes: UnsafeRawBufferPointer) throws -> Int? {
        if header == nil {
            guard let (parsed, end) = try Self.scanHeader(bytes, limits: limits) else { return nil }
            header = parsed
            position = end
            stack = [.fields]
        }
        guard try walk(bytes) else { return nil }
        let length = position
        reset()
        return length
    }

    /// Forgets any partial message.
    public mutating func reset() {
        stack.removeAll(keepingCapacity: true)
        position = 0
        header = nil
    }

    // MARK: Header

    private static func scanHeader(_ bytes: UnsafeRawBufferPointer, limits: ThriftLimits) throws -> (ThriftMessageHeader, Int)? {
        guard bytes.count >= 4 else { return nil }
        let first = readI32(bytes, at: 0)
        if first < 0 {
            let word = UInt32(bitPattern: first)
            guard word & ThriftMessageHeader.versionMask == ThriftMessageHeader.version1 else {
                throw ThriftProtocolError.badVersion(word & ThriftMessageHeader.versionMask)
            }
            let typeByte = UInt8(word & ThriftMessageHeader.typeMask)
            guard let type = ThriftMessageType(rawValue: typeByte) else { throw ThriftProtocolError.invalidMessageType(typeByte) }
            guard bytes.count >= 8 else { return nil }
            let nameLength = try checkedLength(readI32(bytes, at: 4), limit: min(limits.maxStringLength, limits.maxMessageSize), what: "method name length")
            let end = 8 + nameLength + 4
            guard bytes.count >= end else { return nil }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[8..<8 + nameLength]), as: UTF8.self)
            return (ThriftMessageHeader(name: name, type: type, sequenceID: readI32(bytes, at: 8 + nameLength)), end)
        }
        let nameLength = try checkedLength(first, limit: min(limits.maxStringLength, limits.maxMessageSize), what: "method name length")
        let end = 4 + nameLength + 1 + 4
        guard bytes.count >= end else { return nil }
        let typeByte = bytes[4 + nameLength]
        guard let type = ThriftMessageType(rawValue: typeByte) else { throw ThriftProtocolError.invalidMessageType(typeByte) }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[4..<4 + nameLength]), as: UTF8.self)
        return (ThriftMessageHeader(name: name, type: type, sequenceID: readI32(bytes, at: 5 + nameLength)), end)
    }

    // MARK: Body

    /// Walks values until the argument struct ends (true) or the bytes run out (false).
    private mutating func walk(_ bytes: UnsafeRawBufferPointer) throws -> Bool {
        while let top = stack.last {
            switch top {
            case .fields:
                guard let typeByte = try peekByte(bytes, at: position) else { return false }
                if typeByte == ThriftType.stop.rawValue {
                    position += 1
                    stack.removeLast()
                    continue
                }
                let type = try Self.valueType(typeByte)
                guard try consumeValue(type, bytes, prefix: 3) else { return false }
            case .elements(let type, let remaining):
                if remaining == 0 {
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1] = .elements(type, remaining: remaining - 1)
                guard try consumeValue(type, bytes, prefix: 0) else {
                    stack[stack.count - 1] = .elements(type, remaining: remaining)
                    return false
                }
            case .mapEntries(let key, let value, let remainingValues):
                if remainingValues == 0 {
                    stack.removeLast()
                    continue
                }
                let type = remainingValues % 2 == 0 ? key : value
                stack[stack.count - 1] = .mapEntries(key: key, value: value, remainingValues: remainingValues - 1)
                guard try consumeValue(type, bytes, prefix: 0) else {
                    stack[stack.count - 1] = .mapEntries(key: key, value: value, remainingValues: remainingValues)
                    return false
                }
            }
        }
        return true
    }

    /// Consumes `prefix` bytes (a field header) plus one value of `type`, all or nothing.
    /// Containers and structs consume their header and push a frame for their contents.
    private mutating func consumeValue(_ type: ThriftType, _ bytes: UnsafeRawBufferPointer, prefix: Int) throws -> Bool {
        let start = position + prefix
        switch type {
        case .stop, .void:
            throw ThriftProtocolError.invalidType(type.rawValue)
        case .bool, .byte, .i16, .i32, .i64, .double:
            return try consumeFixed(prefix + type.minimumEncodedSize, bytes)
        case .string:
            guard try available(start + 4, bytes) else { return false }
            let length = try Self.checkedLength(Self.readI32(bytes, at: start), limit: limits.maxStringLength, what: "string length")
            return try consumeFixed(prefix + 4 + length, bytes)
        case .struct:
            guard try available(start, bytes) else { return false }
            try push(.fields)
            position = start
            return true
        case .list, .set:
            guard try available(start + 5, bytes) else { return false }
            let elementType = try Self.valueType(bytes[start])
            let count = try Self.checkedLength(Self.readI32(bytes, at: start + 1), limit: limits.maxContainerElements, what: "container size")
            try push(.elements(elementType, remaining: count))
            position = start + 5
            return true
        case .map:
            guard try available(start + 6, bytes) else { return false }
            let keyType = try Self.valueType(bytes[start])
            let valueType = try Self.valueType(bytes[start + 1])
            let count = try Self.checkedLength(Self.readI32(bytes, at: start + 2), limit: limits.maxContainerElements, what: "container size")
            try push(.mapEntries(key: keyType, value: valueType, remainingValues: count * 2))
            position = start + 6
            return true
        }
    }

    private mutating func consumeFixed(_ count: Int, _ bytes: UnsafeRawBufferPointer) throws -> Bool {
        guard try available(position + count, bytes) else { return false }
        position += count
        return true
    }

    private mutating func push(_ frame: Frame) throws {
        // The argument struct is depth 1, as in the decoder.
        guard stack.count < limits.maxDepth else { throw ThriftProtocolError.depthLimitExceeded(limit: limits.maxDepth) }
        stack.append(frame)
    }

    /// Whether the first `end` bytes have arrived; an `end` past the size limit is an error,
    /// so a huge length prefix is refused before anything waits for (or allocates) its bytes.
    private func available(_ end: Int, _ bytes: UnsafeRawBufferPointer) throws -> Bool {
        guard end <= limits.maxMessageSize else {
            throw ThriftProtocolError.sizeLimitExceeded(what: "message size", size: Int64(end), limit: limits.maxMessageSize)
        }
        return end <= bytes.count
    }

    private func peekByte(_ bytes: UnsafeRawBufferPointer, at index: Int) throws -> UInt8? {
        guard try available(index + 1, bytes) else { return nil }
        return bytes[index]
    }

    private static func valueType(_ byte: UInt8) throws -> ThriftType {
        guard let type = ThriftType(rawValue: byte), type.isValueType else { throw ThriftProtocolError.invalidType(byte) }
        return type
    }

    private static func checkedLength(_ value: Int32, limit: Int, what: String) throws -> Int {
        guard value >= 0 else { throw ThriftProtocolError.negativeSize(Int64(value)) }
        guard Int(value) <= limit else { throw ThriftProtocolError.sizeLimitExceeded(what: what, size: Int64(value), limit: limit) }
        return Int(value)
    }

    private static func readI32(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int32 {
        Int32(bitPattern: bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self).bigEndian)
    }
}
