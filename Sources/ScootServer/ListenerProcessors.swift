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
