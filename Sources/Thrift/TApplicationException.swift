/// The error a Thrift server sends, as an EXCEPTION message, for failures outside a method's
/// declared exceptions: unknown method, bad arguments, handler failure and so on.
public struct TApplicationException: Error, ThriftStruct, Hashable, CustomStringConvertible {
    /// The standard type codes of Apache Thrift's `TApplicationException`.
    public enum Kind: Sendable, Hashable {
        case unknown
        case unknownMethod
        case invalidMessageType
        case wrongMethodName
        case badSequenceID
        case missingResult
        case internalError
        case protocolError
        case invalidTransform
        case invalidProtocol
        case unsupportedClientType
        /// A code this implementation does not know; kept so that it can be shown and re-sent.
        case unrecognized(Int32)

        /// Creates a kind from its wire code.
        public init(rawValue: Int32) {
            switch rawValue {
            case 0: self = .unknown
            case 1: self = .unknownMethod
            case 2: self = .invalidMessageType
            case 3: self = .wrongMethodName
            case 4: self = .badSequenceID
            case 5: self = .missingResult
            case 6: self = .internalError
            case 7: self = .protocolError
            case 8: self = .invalidTransform
            case 9: self = .invalidProtocol
            case 10: self = .unsupportedClientType
            default: self = .unrecognized(rawValue)
            }
        }

        /// The wire code.
        public var rawValue: Int32 {
            switch self {
            case .unknown: return 0
            case .unknownMethod: return 1
            case .invalidMessageType: return 2
            case .wrongMethodName: return 3
            case .badSequenceID: return 4
            case .missingResult: return 5
            case .internalError: return 6
            case .protocolError: return 7
            case .invalidTransform: return 8
            case .invalidProtocol: return 9
            case .unsupportedClientType: return 10
            case .unrecognized(let code): return code
            }
        }
    }

    /// Human-readable text (field 1, optional on the wire).
    public var message: String?
    /// The type code (field 2).
    public var kind: Kind

    /// Creates an exception.
    public init(_ kind: Kind, message: String? = nil) {
        self.kind = kind
        self.message = message
    }

    public init(from reader: inout ThriftBinaryReader) throws {
        var message: String?
        var kind = Kind.unknown
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .string): message = try reader.readString()
            case (2, .i32): kind = Kind(rawValue: try reader.readI32())
            default: try reader.skip(field.type)
            }
        }
        self.init(kind, message: message)
    }

    public func write(to writer: inout ThriftBinaryWriter) {
        if let message {
            writer.writeFieldHeader(.string, id: 1)
            writer.writeString(message)
        }
        writer.writeFieldHeader(.i32, id: 2)
        writer.writeI32(kind.rawValue)
        writer.writeFieldStop()
    }

    public var description: String {
        "TApplicationException(\(kind)\(message.map { ": \($0)" } ?? ""))"
    }
}
