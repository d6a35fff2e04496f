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

extension ThriftTransportError {
    /// The bytes `HTTP` read as the big-endian length a Thrift message starts with: the peer is
    /// a web server (such as a scheduler's metrics port), not a Thrift server.
    public static let httpAsMessageLength = 0x4854_5450

    /// Why, in a few words for people, without the system's or NIO's internals where a plain
    /// word says it: `connection refused`, `no connection within 5 s`, `it answered in HTTP …`.
    public var briefReason: String {
        switch self {
        case .connectFailed(_, let reason):
            let lowered = reason.lowercased()
            if lowered.contains("refused") { return "connection refused" }
            if lowered.contains("resolv") || lowered.contains("lookup") || lowered.contains("name or service")
                || lowered.contains("nodename") || lowered.contains("unknown host") {
                return "the host name cannot be resolved (\(reason))"
            }
            return reason
        case .connectTimedOut(_, let seconds):
            return "no connection within \(Self.seconds(seconds)) s"
        case .callTimedOut(let method, let seconds):
            return "no answer to \(method) within \(Self.seconds(seconds)) s"
        case .connectionClosed:
            return "the server closed the connection without answering"
        case .badReply(let reason) where reason.contains(String(Self.httpAsMessageLength)):
            return "it answered in HTTP, not Thrift: is that the scheduler's HTTP port (9091) rather than its Thrift port (9090)?"
        case .badReply(let reason):
            return "unreadable reply: \(reason)"
        case .ioError(let reason):
            return "connection lost: \(reason)"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
