import Logging
import Thrift

/// The calls of CloudScoot and of scoot-console's extension (`idl/scoot.thrift`), by whether
/// they change the cluster.
public enum CloudScootMethods {
    /// Calls that change jobs, workers or settings.
    public static let stateChanging: Set<String> = [
        "RunJob", "KillJob", "OfflineWorker", "ReinstateWorker", "SetSchedulerStatus", "SetClassLoadPercents",
        "SetRequestorToClassMap", "SetRebalanceMinimumDuration", "SetRebalanceThreshold",
    ]
    /// Calls that only read.
    public static let reading: Set<String> = [
        "GetStatus", "GetSchedulerStatus", "GetClassLoadPercents", "GetRequestorToClassMap", "GetRebalanceMinimumDuration",
        "GetRebalanceThreshold", "ListJobs", "ListWorkers", "GetClusterLoad", "ListTasks",
    ]

    /// The method a message calls, read from its envelope; nil when the envelope is unreadable
    /// (the wrapped processor then answers it as it answers any broken message).
    static func calledMethod(_ message: [UInt8]) -> String? {
        guard case .success(let incoming) = ThriftServerCall.parse(message, limits: .default) else { return nil }
        return incoming.header.name
    }
}

/// The processor of `serve --read-only-addr`: read calls go to the wrapped processor and are
/// answered exactly as on the main listener; a state-changing call is refused, before its
/// arguments are read, with `TApplicationException(UNKNOWN)` and the message
/// `read-only listener: <Method> changes the cluster; use the main address` (the connection then
/// closes, as after any TApplicationException). Names that are neither go to the wrapped
/// processor, which answers UNKNOWN_METHOD.
public struct ReadOnlyProcessor: ThriftProcessor {
    /// The processor that answers the calls let through.
    public let wrapped: any ThriftProcessor

    /// Wraps `wrapped`.
    public init(wrapping wrapped: any ThriftProcessor) {
        self.wrapped = wrapped
    }

    /// The text of the refusal of `method`.
    public static func refusalMessage(_ method: String) -> String {
        "read-only listener: \(method) changes the cluster; use the main address"
    }

    /// The wrapped processor's, for read calls.
    public func processWithoutWaiting(_ message: [UInt8]) -> ThriftProcessorResult? {
        guard let method = CloudScootMethods.calledMethod(message), !CloudScootMethods.stateChanging.contains(method) else { return nil }
        return wrapped.processWithoutWaiting(message)
    }

    public func process(_ message: [UInt8]) async -> ThriftProcessorResult {
        guard case .success(let incoming) = ThriftServerCall.parse(message, limits: .default),
            CloudScootMethods.stateChanging.contains(incoming.header.name)
        else { return await wrapped.process(message) }
        return ThriftServerCall.exception(
            TApplicationException(.unknown, message: Self.refusalMessage(incoming.header.name)), header: incoming.header)
    }
}

/// The processor of `serve --tls-addr`: logs each state-changing call, at info level, with the
/// operator's identity (the client certificate's common name, `ThriftCallContext.peerIdentity`)
/// as `KillJob by CN=alice`, then lets the wrapped processor answer it.
public struct IdentityLoggingProcessor: ThriftProcessor {
    /// The processor that answers every call.
    public let wrapped: any ThriftProcessor
    private let logger: Logger

    /// Wraps `wrapped`, logging to `logger`.
    public init(wrapping wrapped: any ThriftProcessor, logger: Logger) {
        self.wrapped = wrapped
        self.logger = logger
    }

    /// The wrapped processor's, for calls that are not logged.
    public func processWithoutWaiting(_ message: [UInt8]) -> ThriftProcessorResult? {
        guard let method = CloudScootMethods.calledMethod(message), !CloudScootMethods.stateChanging.contains(method) else { return nil }
        return wrapped.processWithoutWaiting(message)
    }

    public func process(_ message: [UInt8]) async -> ThriftProcessorResult {
        if let method = CloudScootMethods.calledMethod(message), CloudScootMethods.stateChanging.contains(method) {
            logger.info(
                "\(method) by CN=\(ThriftCallContext.peerIdentity ?? "?")",
                metadata: ["peer": "\(ThriftCallContext.peerAddress ?? "?")", "listener": "tls"])
        }
        return await wrapped.process(message)
    }
}

/// A state-changing call as a server answered it: what a flight recording keeps of an
/// operator's action, whoever the client was.
public struct ObservedChange: Sendable, Hashable {
    /// The method (`KillJob`, `SetRebalanceThreshold` …).
    public var method: String
    /// The decoded arguments as text: `{1: "job-1"}`, field ids and values (`ThriftValueText`).
    public var arguments: String
    /// The server's error (a declared exception or a `TApplicationException`), nil when it
    /// succeeded.
    public var error: String?
    /// The client's address and, over TLS, its certificate's common name.
    public var peer: String?
    public var identity: String?
}

/// Hands every state-changing call but RunJob (jobs show in the recorded snapshots, and RunJob
/// comes in bursts) to `observe` once it is answered, then returns the answer unchanged: what
/// `serve --record` and `gateway --record` keep as actions. Reads pass straight through.
public struct ChangeObservingProcessor: ThriftProcessor {
    /// The processor that answers every call.
    public let wrapped: any ThriftProcessor
    private let observe: @Sendable (ObservedChange) -> Void

    public init(wrapping wrapped: any ThriftProcessor, observe: @escaping @Sendable (ObservedChange) -> Void) {
        self.wrapped = wrapped
        self.observe = observe
    }

    public func processWithoutWaiting(_ message: [UInt8]) -> ThriftProcessorResult? {
        guard let method = CloudScootMethods.calledMethod(message), !Self.observes(method) else { return nil }
        return wrapped.processWithoutWaiting(message)
    }

    public func process(_ message: [UInt8]) async -> ThriftProcessorResult {
        guard case .success(let incoming) = ThriftServerCall.parse(message, limits: .default), Self.observes(incoming.header.name) else {
            return await wrapped.process(message)
        }
        let result = await wrapped.process(message)
        let arguments = ThriftValueText.structText(of: message, from: incoming.argumentsOffset)
        let error = result.reply.map { Self.error(inReply: Array($0.readableBytesView)) } ?? "no answer"
        observe(ObservedChange(
            method: incoming.header.name, arguments: arguments, error: error, peer: ThriftCallContext.peerAddress, identity: ThriftCallContext.peerIdentity))
        return result
    }

    static func observes(_ method: String) -> Bool { method != "RunJob" && CloudScootMethods.stateChanging.contains(method) }

    /// Nil for a reply that succeeded (its result struct's field 0, or none for a void call); the
    /// exception as text otherwise.
    static func error(inReply reply: [UInt8]) -> String? {
        do {
            return try ThriftBinaryReader.withReader(reply, limits: .default) { reader -> String? in
                let header = try reader.readMessageHeader()
                if header.type == .exception { return (try? TApplicationException(from: &reader))?.message ?? "exception" }
                let start = reader.offset
                guard let field = try reader.readFieldHeader(), field.id != 0 else { return nil }
                reader.seek(to: start)
                return ThriftValueText.structText(&reader)
            }
        } catch {
            return "an unreadable reply"
        }
    }
}

/// Any Thrift struct as short text without knowing its type: `{1: "job-1", 2: {"land": 60}}`,
/// bounded (containers past 16 elements, strings past 200 bytes and nesting past 8 are cut).
public enum ThriftValueText {
    /// The struct at `offset` of `message`; `?` where it cannot be read.
    public static func structText(of message: [UInt8], from offset: Int) -> String {
        (try? ThriftBinaryReader.withReader(message, limits: .default) { reader in
            reader.seek(to: offset)
            return structText(&reader)
        }) ?? "?"
    }

    static func structText(_ reader: inout ThriftBinaryReader, depth: Int = 0) -> String {
        var fields: [String] = []
        while true {
            let header: (type: ThriftType, id: Int16)?
            do { header = try reader.readFieldHeader() } catch { header = (.stop, -1) }
            guard let field = header else { break }  // STOP: the end of the struct
            // A field cut short or unreadable ends the text with `?`.
            guard field.id >= 0, let value = text(field.type, &reader, depth: depth + 1) else {
                fields.append("?")
                break
            }
            fields.append("\(field.id): \(value)")
        }
        return "{" + fields.joined(separator: ", ") + "}"
    }

    private static let elementLimit = 16
    private static let stringLimit = 200

    private static func text(_ type: ThriftType, _ reader: inout ThriftBinaryReader, depth: Int) -> String? {
        guard depth <= 8 else { return (try? reader.skip(type)).map { "…" } }
        do {
            switch type {
            case .bool: return String(try reader.readBool())
            case .byte: return String(try reader.readByte())
            case .i16: return String(try reader.readI16())
            case .i32: return String(try reader.readI32())
            case .i64: return String(try reader.readI64())
            case .double: return String(try reader.readDouble())
            case .string:
                let text = try reader.readString()
                return "\"" + (text.utf8.count > stringLimit ? String(text.prefix(stringLimit)) + "…" : text) + "\""
            case .struct: return structText(&reader, depth: depth)
            case .list, .set:
                let (element, count) = type == .list ? try reader.readListHeader() : try reader.readSetHeader()
                var items: [String] = []
                for index in 0..<count {
                    if index < elementLimit { items.append(text(element, &reader, depth: depth + 1) ?? "?") } else { try reader.skip(element) }
                }
                return "[" + items.joined(separator: ", ") + (count > elementLimit ? ", … \(count) in all" : "") + "]"
            case .map:
                let (keyType, valueType, count) = try reader.readMapHeader()
                var items: [String] = []
                for index in 0..<count {
                    if index < elementLimit {
                        items.append("\(text(keyType, &reader, depth: depth + 1) ?? "?"): \(text(valueType, &reader, depth: depth + 1) ?? "?")")
                    } else {
                        try reader.skip(keyType)
                        try reader.skip(valueType)
                    }
                }
                return "{" + items.joined(separator: ", ") + (count > elementLimit ? ", … \(count) in all" : "") + "}"
            default:
                try reader.skip(type)
                return "?"
            }
        } catch {
            return nil
        }
    }
}
