import NIOCore
import NIOPosix
import ScootAPI
import Synchronization
import Thrift

/// The Scoot scheduler behind the gateway: a fixed set of connections, taken in turn, so one
/// slow call (a big RunJob) does not hold up every client. Each connection sends its calls one
/// after another, as Scoot serves them.
public final class UpstreamScheduler: Sendable {
    /// The scheduler's address.
    public let endpoint: HostAndPort
    private let clients: [ScootConsoleClient]
    private let next = Mutex(0)

    /// Connections to `endpoint` (`connections` of them, at least 1); calls wait up to `callTimeout`.
    public init(endpoint: HostAndPort, connections: Int = 8, callTimeout: Duration = .seconds(60), group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.endpoint = endpoint
        let timeout = TimeAmount.milliseconds(callTimeout.components.seconds * 1000 + callTimeout.components.attoseconds / 1_000_000_000_000_000)
        clients = (0..<max(1, connections)).map { _ in
            ScootConsoleClient(caller: ThriftClient(
                configuration: .init(host: endpoint.host, port: endpoint.port, connectTimeout: .seconds(5), callTimeout: timeout), group: group))
        }
    }

    /// Runs `call` on the next connection. Transport failures become `UpstreamUnavailable`;
    /// the scheduler's own answers (its exceptions included) come back as they are.
    public func call<T: Sendable>(_ call: (ScootConsoleClient) async throws -> T) async throws -> T {
        let index = next.withLock { value in
            defer { value = (value + 1) % clients.count }
            return value
        }
        do {
            return try await call(clients[index])
        } catch let error as ThriftTransportError {
            throw UpstreamUnavailable(endpoint: endpoint, reason: error.briefReason)
        }
    }
}

/// The upstream scheduler could not be reached; a client of the gateway gets this text in a
/// `TApplicationException(INTERNAL_ERROR)`, like any other Scoot error.
public struct UpstreamUnavailable: Error, Sendable, Hashable, CustomStringConvertible {
    /// The scheduler's address.
    public var endpoint: HostAndPort
    /// Why, in a few words.
    public var reason: String

    public var description: String { "the gateway cannot reach the Scoot scheduler at \(endpoint): \(reason)" }
}
