/// Why a call could not complete at the transport level. After any of these the client drops
/// its connection and opens a new one for the next call.
public enum ThriftTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Connecting to the endpoint failed (`reason` is the system's text).
    case connectFailed(endpoint: String, reason: String)
    /// Connecting took longer than the connect timeout.
    case connectTimedOut(endpoint: String, seconds: Double)
    /// No reply arrived within the call timeout.
    case callTimedOut(method: String, seconds: Double)
    /// The peer closed the connection before replying.
    case connectionClosed
    /// The reply could not be framed (bad length prefix, oversized message, garbage).
    case badReply(String)
    /// Reading or writing the socket failed.
    case ioError(String)

    public var description: String {
        switch self {
        case .connectFailed(let endpoint, let reason):
            return "cannot connect to \(endpoint): \(reason)"
        case .connectTimedOut(let endpoint, let seconds):
            return "connecting to \(endpoint) timed out after \(seconds) s"
        case .callTimedOut(let method, let seconds):
            return "\(method) got no reply within \(seconds) s"
        case .connectionClosed:
            return "the server closed the connection"
        case .badReply(let reason):
            return "unreadable reply: \(reason)"
        case .ioError(let reason):
            return "I/O error: \(reason)"
        }
    }
}
