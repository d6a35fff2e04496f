/// The envelope in front of every Thrift message: method name, message type and sequence id.
public struct ThriftMessageHeader: Sendable, Hashable {
    /// The method this message calls or answers.
    public var name: String
    /// CALL, REPLY, EXCEPTION or ONEWAY.
    public var type: ThriftMessageType
    /// Chosen by the caller and echoed by the server, to pair replies with calls.
    public var sequenceID: Int32

    /// Creates a header.
    public init(name: String, type: ThriftMessageType, sequenceID: Int32) {
        self.name = name
        self.type = type
        self.sequenceID = sequenceID
    }

    /// The strict (versioned) header's first word: version `0x8001` in the high half.
    public static let version1: UInt32 = 0x8001_0000
    /// Mask selecting the version from the first word.
    public static let versionMask: UInt32 = 0xFFFF_0000
    /// Mask selecting the message type from the first word.
    public static let typeMask: UInt32 = 0x0000_00FF
}
