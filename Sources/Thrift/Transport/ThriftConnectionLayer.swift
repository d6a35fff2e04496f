import NIOCore

/// Handlers a connection's pipeline starts with, in front of the Thrift handlers, and the
/// identity of the peer they establish. TLS is such a layer (the `ThriftTLS` module builds it),
/// which keeps this module free of any TLS library.
public struct ThriftConnectionLayer: Sendable {
    /// Adds the leading handlers to a new connection's pipeline; called on the connection's event
    /// loop before the Thrift handlers are added.
    public var addHandlers: @Sendable (_ channel: any Channel) throws -> Void
    /// The authenticated identity of the peer (for TLS, the client certificate's subject common
    /// name), or `nil` when the layer established none. Called on the connection's event loop
    /// when its first request arrives, after the layer's handshake.
    public var peerIdentity: @Sendable (_ channel: any Channel) -> String?

    /// Creates a layer; by default it establishes no identity.
    public init(
        addHandlers: @escaping @Sendable (_ channel: any Channel) throws -> Void,
        peerIdentity: @escaping @Sendable (_ channel: any Channel) -> String? = { _ in nil }
    ) {
        self.addHandlers = addHandlers
        self.peerIdentity = peerIdentity
    }
}
