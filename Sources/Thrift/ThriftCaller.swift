import NIOCore

/// The client side of a connection as generated clients see it: send a CALL with these
/// arguments, get back the decoded result struct or the error that ended the call.
public protocol ThriftCaller: Sendable {
    /// Calls `method` and decodes the REPLY's result struct. A `TApplicationException` reply is
    /// thrown as such; transport failures and timeouts as `ThriftTransportError`.
    func call<Arguments: ThriftStruct, Result: ThriftStruct>(
        method: String, arguments: Arguments, resultType: Result.Type
    ) async throws -> Result
}

/// Helpers shared by every `ThriftCaller`: encoding the CALL and checking the reply envelope.
public enum ThriftClientCall {
    /// Encodes a CALL message.
    public static func encodeCall<Arguments: ThriftStruct>(method: String, sequenceID: Int32, arguments: Arguments) -> [UInt8] {
        let header = ThriftMessageHeader(name: method, type: .call, sequenceID: sequenceID)
        return ThriftBinaryWriter.encode(size: ThriftBinaryWriter.messageHeaderSize(header) + arguments.thriftEncodedSize) { writer in
            writer.writeMessageHeader(header)
            arguments.write(to: &writer)
        }
    }

    /// Decodes a reply to the call `method`/`sequenceID`: checks name, sequence id and type as
    /// Apache Thrift's generated clients do, and throws a received `TApplicationException`.
    public static func decodeReply<Result: ThriftStruct>(
        _ reply: [UInt8], method: String, sequenceID: Int32, limits: ThriftLimits, resultType: Result.Type
    ) throws -> Result {
        try ThriftBinaryReader.withReader(reply, limits: limits) { reader in
            let header = try reader.readMessageHeader()
            if header.type == .exception {
                throw try reader.readStruct(TApplicationException.self)
            }
            guard header.type == .reply else {
                throw TApplicationException(.invalidMessageType, message: "\(method) failed: invalid message type \(header.type.rawValue)")
            }
            guard header.name == method else {
                throw TApplicationException(.wrongMethodName, message: "\(method) failed: wrong method name \(header.name)")
            }
            guard header.sequenceID == sequenceID else {
                throw TApplicationException(.badSequenceID, message: "\(method) failed: out of sequence response \(header.sequenceID), expected \(sequenceID)")
            }
            return try reader.readStruct(Result.self)
        }
    }
}

/// A caller that hands messages straight to a processor in the same process, with the same
/// encoding and checks as a network call: for tests, benchmarks and previews.
public struct ThriftLoopbackCaller<Processor: ThriftProcessor>: ThriftCaller {
    /// The processor that answers calls.
    public let processor: Processor
    /// Limits applied to replies.
    public let limits: ThriftLimits

    /// Creates a loopback caller.
    public init(processor: Processor, limits: ThriftLimits = .default) {
        self.processor = processor
        self.limits = limits
    }

    public func call<Arguments: ThriftStruct, Result: ThriftStruct>(
        method: String, arguments: Arguments, resultType: Result.Type
    ) async throws -> Result {
        let message = ThriftClientCall.encodeCall(method: method, sequenceID: 1, arguments: arguments)
        let outcome = await processor.process(message)
        guard let reply = outcome.reply else { throw ThriftTransportError.connectionClosed }
        return try ThriftClientCall.decodeReply(Array(reply.readableBytesView), method: method, sequenceID: 1, limits: limits, resultType: resultType)
    }
}
