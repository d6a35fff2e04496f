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
        case .connectFailed:
            return "cannot reach \(endpoint): \(error.briefReason)"
        case .connectTimedOut:
            return "cannot reach \(endpoint): \(error.briefReason) (--timeout)"
        case .callTimedOut(let method, let seconds):
            return "\(endpoint) did not answer \(method) within \(Self.seconds(seconds)) s (--timeout)"
        case .connectionClosed:
            return "\(endpoint) closed the connection without answering"
        case .badReply(let reason) where reason.contains(String(ThriftTransportError.httpAsMessageLength)):
            return "\(endpoint): \(error.briefReason)"
        case .badReply(let reason):
            return "unreadable reply from \(endpoint): \(reason)"
        case .ioError(let reason):
            return "lost the connection to \(endpoint): \(reason)"
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
