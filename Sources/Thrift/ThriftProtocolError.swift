/// Why a byte stream could not be decoded as TBinaryProtocol. Every decoding failure is one of
/// these; none of them crashes or allocates the size a hostile length prefix asked for.
public enum ThriftProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The input ended before the value did (`needed` more bytes at `offset`).
    case truncated(offset: Int, needed: Int)
    /// A string, binary, container or message length prefix was negative.
    case negativeSize(Int64)
    /// A length or count exceeded the configured limit (`what` names the limit).
    case sizeLimitExceeded(what: String, size: Int64, limit: Int)
    /// Structs and containers were nested deeper than `ThriftLimits.maxDepth`.
    case depthLimitExceeded(limit: Int)
    /// A type byte that TBinaryProtocol does not define.
    case invalidType(UInt8)
    /// A versioned message header with a version other than `0x8001`.
    case badVersion(UInt32)
    /// An old-style (unversioned) message header where strict reading was required.
    case missingVersion
    /// A message type byte outside CALL, REPLY, EXCEPTION and ONEWAY.
    case invalidMessageType(UInt8)
    /// A struct arrived without one of its required fields.
    case missingRequiredField(structName: String, fieldName: String)

    public var description: String {
        switch self {
        case .truncated(let offset, let needed):
            return "truncated input: \(needed) more byte(s) needed at offset \(offset)"
        case .negativeSize(let size):
            return "negative size \(size)"
        case .sizeLimitExceeded(let what, let size, let limit):
            return "\(what) of \(size) exceeds the limit of \(limit)"
        case .depthLimitExceeded(let limit):
            return "nesting deeper than the limit of \(limit)"
        case .invalidType(let byte):
            return "invalid type byte \(byte)"
        case .badVersion(let version):
            return "bad message version 0x\(String(version, radix: 16))"
        case .missingVersion:
            return "unversioned message header where a versioned one is required"
        case .invalidMessageType(let byte):
            return "invalid message type \(byte)"
        case .missingRequiredField(let structName, let fieldName):
            return "required field '\(fieldName)' of \(structName) is missing"
        }
    }
}
