import Logging
import NIOCore
import Thrift

extension CloudScootClient {
    /// A client for the CloudScoot server at `host:port`, speaking unframed TBinaryProtocol as
    /// Scoot does unless `framing` says otherwise; timeouts default to scootcl's one minute.
    public init(
        host: String, port: Int, framing: ThriftFraming = .unframed,
        connectTimeout: TimeAmount = .seconds(60), callTimeout: TimeAmount = .seconds(60)
    ) {
        self.init(caller: ThriftClient(configuration: .init(
            host: host, port: port, framing: framing, connectTimeout: connectTimeout, callTimeout: callTimeout)))
    }
}

/// Starts CloudScoot servers.
public enum CloudScootServer {
    /// Serves `handler` on a TCP port with Scoot's wire protocol.
    public static func start(
        handler: some CloudScootHandler, configuration: ThriftServer.Configuration = .init(),
        logger: Logger = Logger(label: "cloudscoot.server")
    ) async throws -> ThriftServer {
        try await ThriftServer.start(
            configuration: configuration, processor: CloudScootProcessor(handler: handler, limits: configuration.limits), logger: logger)
    }
}
