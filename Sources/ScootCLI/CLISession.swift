import HostEnvironment
import AuditLog
import Foundation
import NIOCore
import ScootAPI
import Thrift

/// Everything a CLI command needs besides its own arguments: the scheduler, where output goes,
/// the audit log and whether changes are allowed. Tests pass a loopback client and capture output.
public struct CLISession: Sendable {
    /// The scheduler; CloudScoot calls plus scoot-console's extension calls.
    public var client: ScootConsoleClient
    /// The scheduler as host:port, for messages and the audit log.
    public var endpoint: String
    /// Where state-changing commands are recorded.
    public var auditLog: AuditLog
    /// Whether state-changing commands are refused (`SCOOT_CONSOLE_READ_ONLY=1`).
    public var readOnly: Bool
    /// Whether a change goes ahead when its audit entry cannot be written (`--audit-optional`,
    /// `SCOOT_CONSOLE_AUDIT_OPTIONAL=1`); otherwise it is not sent.
    public var auditOptional: Bool
    /// The requestor sent with offline/reinstate: the OS user name, as scootcl.
    public var requestor: String
    /// Writes one line (without its newline) to standard output.
    public var standardOutput: @Sendable (String) -> Void
    /// Writes one line (without its newline) to standard error.
    public var standardError: @Sendable (String) -> Void
    /// Waits between `watch-job` polls.
    public var sleep: @Sendable (Duration) async throws -> Void

    /// A session; output defaults to the process's stdout and stderr.
    public init(
        client: ScootConsoleClient, endpoint: String, auditLog: AuditLog, readOnly: Bool, auditOptional: Bool = false, requestor: String = HostEnvironment.userName,
        standardOutput: @escaping @Sendable (String) -> Void = CLISession.writeToStandardOutput,
        standardError: @escaping @Sendable (String) -> Void = CLISession.writeToStandardError,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.client = client
        self.endpoint = endpoint
        self.auditLog = auditLog
        self.readOnly = readOnly
        self.auditOptional = auditOptional
        self.requestor = requestor
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.sleep = sleep
    }

    /// A session on the scheduler at `endpoint` with `timeoutSeconds` for connecting and for each
    /// call, over `connectionLayer` (TLS) when given; the audit log and read-only mode come from
    /// `environment`.
    public init(
        endpoint: HostAndPort, timeoutSeconds: Double, connectionLayer: ThriftConnectionLayer? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let timeout = TimeAmount.nanoseconds(Int64(timeoutSeconds * 1_000_000_000))
        let caller = ThriftClient(configuration: .init(
            host: endpoint.host, port: endpoint.port, connectTimeout: timeout, callTimeout: timeout, connectionLayer: connectionLayer))
        self.init(
            client: ScootConsoleClient(caller: caller), endpoint: endpoint.description, auditLog: AuditLog(environment: environment),
            readOnly: environment["SCOOT_CONSOLE_READ_ONLY"] == "1", auditOptional: environment["SCOOT_CONSOLE_AUDIT_OPTIONAL"] == "1")
    }


    /// Writes `line` and a newline to stdout, unbuffered so pipes see it at once.
    @Sendable public static func writeToStandardOutput(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Writes `line` and a newline to stderr.
    @Sendable public static func writeToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
