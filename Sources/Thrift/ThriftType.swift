/// The type byte that precedes every field, container element type and map key/value in
/// TBinaryProtocol (Apache Thrift's `TType`).
public enum ThriftType: UInt8, Sendable, CaseIterable {
    case stop = 0
    case void = 1
    case bool = 2
    case byte = 3
    case double = 4
    case i16 = 6
    case i32 = 8
    case i64 = 10
    case string = 11
    case `struct` = 12
    case map = 13
    case set = 14
    case list = 15

    /// The fewest bytes a value of this type can occupy on the wire; used to reject element
    /// counts that cannot possibly fit in the bytes that remain, before anything is allocated.
    @inlinable
    public var minimumEncodedSize: Int {
        switch self {
        case .stop, .void: return 0
        case .bool, .byte: return 1
        case .i16: return 2
        case .i32: return 4
        case .i64, .double: return 8
        case .string: return 4
        case .struct: return 1
        case .map: return 6
        case .set, .list: return 5
        }
    }

    /// Whether the type can be the value of a field or a container element.
    @inlinable
    public var isValueType: Bool { self != .stop && self != .void }
}

/// The kind of a Thrift message, carried in its envelope.
public enum ThriftMessageType: UInt8, Sendable {
    case call = 1
    case reply = 2
    case exception = 3
    case oneway = 4
}
