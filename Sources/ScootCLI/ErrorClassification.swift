import ScootAPI
import Thrift

extension CLIFailure {
    /// Classifies an error from a call to the scheduler at `endpoint`: what the server said
    /// (exit 1), or why it could not be reached (exit 3). A `CLIFailure` passes through unchanged.
    public init(classifying error: any Error, endpoint: String) {
        let unreachableFix = "is the scheduler running? pass --addr HOST:PORT or set ~/.cloudscootaddr"
        switch error {
        case let failure as CLIFailure:
            self = failure
        case let refusal as InvalidRequest:
            self.init(.refusedByServer, "the scheduler refused the request (InvalidRequest): \(refusal.message ?? "no message")")
        case let busy as CanNotScheduleNow:
            let retry = busy.retryAfterMs.map { "; retry after \($0) ms" } ?? "; retry later"
            self.init(.refusedByServer, "the scheduler cannot schedule the job now (CanNotScheduleNow)\(retry)")
        case let serverError as ScootServerError:
            let retry = serverError.retryAfterMs.map { "; retry after \($0) ms" } ?? ""
            self.init(.refusedByServer, "the scheduler reported an internal error (ScootServerError)\(retry)")
        case let missing as NotSupportedByServer:
            self.init(
                .refusedByServer,
                "the scheduler at \(endpoint) does not support \(missing.method): it is a plain CloudScoot scheduler "
                    + "without scoot-console's extension calls; run `scoot-console serve` for them")
        case let exception as TApplicationException:
            self.init(.refusedByServer, exception.message ?? "TApplicationException(\(exception.kind)) without a message")
        case let transport as ThriftTransportError:
            self.init(.unreachable, Self.describe(transport, endpoint: endpoint) + "; " + unreachableFix)
        case let protocolError as ThriftProtocolError:
            self.init(
                .unreachable,
                "unreadable reply from \(endpoint): \(protocolError); is it a CloudScoot scheduler "
                    + "(unframed TBinaryProtocol)? pass --addr HOST:PORT for the right one")
        default:
            self.init(.unreachable, "cannot talk to \(endpoint): \(error)")
        }
    }

    private static func describe(_ error: ThriftTransportError, endpoint: String) -> String {
        switch error {
        case .connectFailed(_, let reason):
            let lowered = reason.lowercased()
            if lowered.contains("refused") { return "cannot reach \(endpoint): connection refused" }
            if lowered.contains("resolv") || lowered.contains("lookup") || lowered.contains("name or service")
                || lowered.contains("nodename") || lowered.contains("unknown host") {
                return "cannot reach \(endpoint): the host name cannot be resolved (\(reason))"
            }
            return "cannot reach \(endpoint): \(reason)"
        case .connectTimedOut(_, let seconds):
            return "cannot reach \(endpoint): no connection within \(Self.seconds(seconds)) s (--timeout)"
        case .callTimedOut(let method, let seconds):
            return "\(endpoint) did not answer \(method) within \(Self.seconds(seconds)) s (--timeout)"
        case .connectionClosed:
            return "\(endpoint) closed the connection without answering"
        case .badReply(let reason) where reason.contains(String(httpAsMessageLength)):
            // "HTTP" read as a Thrift length: a web server (such as the scheduler's metrics port) answered.
            return "\(endpoint) answered in HTTP, not Thrift: is it the scheduler's HTTP port (9091) rather than its Thrift port (9090)?"
        case .badReply(let reason):
            return "unreadable reply from \(endpoint): \(reason)"
        case .ioError(let reason):
            return "lost the connection to \(endpoint): \(reason)"
        }
    }

    /// The bytes `HTTP` read as the big-endian length a Thrift message starts with.
    static let httpAsMessageLength = 0x4854_5450

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
