import Thrift

/// The server does not have scoot-console's extension calls: a real Scoot scheduler answers them
/// with `TApplicationException(UNKNOWN_METHOD)`. The console then falls back to plain CloudScoot.
public struct NotSupportedByServer: Error, Sendable, Hashable, CustomStringConvertible {
    /// The extension method the server does not know.
    public var method: String

    /// Creates the error.
    public init(method: String) { self.method = method }

    public var description: String {
        "the server does not support \(method) (a plain CloudScoot scheduler); falling back to CloudScoot calls"
    }
}

extension ScootConsoleClient {
    /// Jobs, newest first; throws `NotSupportedByServer` against a plain CloudScoot server.
    public func consoleJobs(_ filter: JobFilter = JobFilter()) async throws -> [JobSummary] {
        try await Self.extensionCall("ListJobs") { try await listJobs(filter: filter) }
    }

    /// Workers; throws `NotSupportedByServer` against a plain CloudScoot server.
    public func consoleWorkers() async throws -> [WorkerInfo] {
        try await Self.extensionCall("ListWorkers") { try await listWorkers() }
    }

    /// Class loads and the rebalance timer; throws `NotSupportedByServer` against a plain
    /// CloudScoot server.
    public func consoleClusterLoad() async throws -> ClusterLoad {
        try await Self.extensionCall("GetClusterLoad") { try await getClusterLoad() }
    }

    /// A job's tasks with the worker and times of their latest attempts (empty for an unknown
    /// job); throws `NotSupportedByServer` against a plain CloudScoot server.
    public func consoleTasks(ofJob jobID: String) async throws -> [TaskSummary] {
        try await Self.extensionCall("ListTasks") { try await listTasks(jobId: jobID) }
    }

    /// Runs an extension call; a server without it (`UNKNOWN_METHOD`) throws `NotSupportedByServer`.
    /// A new extension RPC is called through this, with no wrapper of its own.
    public static func extensionCall<T>(_ method: String, _ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as TApplicationException where error.kind == .unknownMethod {
            throw NotSupportedByServer(method: method)
        }
    }
}
