/// The exit codes of the CLI commands (`run-job`, `get-job-status` …), documented in docs/cli.md
/// and in `scoot-console --help`.
public enum CLIExitCode: Int32, Sendable, Hashable, CaseIterable {
    /// Done.
    case ok = 0
    /// The scheduler said no: `InvalidRequest`, `CanNotScheduleNow`, `ScootServerError`, a
    /// `TApplicationException` (its text is shown verbatim), or a missing extension call.
    case refusedByServer = 1
    /// Bad flags, arguments or files, or a state-changing command in read-only mode; nothing was sent.
    case usage = 2
    /// The scheduler could not be reached: connection refused, unknown host, timeout, dropped connection.
    case unreachable = 3
    /// `watch-job`: the job finished, but some task failed, timed out or exited non-zero.
    case jobFailed = 4
    /// `watch-job`: the job finished with no failures, but some task was aborted (the job was killed).
    case jobAborted = 5

    /// One line per code, for `--help` and docs/cli.md.
    public static let summary = """
        Exit codes: 0 ok; 1 the scheduler said no (its text is shown verbatim); 2 usage: bad flags, \
        arguments or files, or read-only mode (nothing sent); 3 the scheduler cannot be reached \
        (refused, unknown host, timeout); watch-job only: 4 the job finished with failed, timed-out or \
        non-zero-exit tasks, 5 the job finished with aborted (killed) tasks and no failures.
        """
}

/// A CLI command that did not succeed: the exit code and one message for stderr that names the
/// problem and, where there is one, the fix.
public struct CLIFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// How the process should exit.
    public var exitCode: CLIExitCode
    /// What went wrong and what to do about it.
    public var message: String

    /// A failure with `exitCode` and `message`.
    public init(_ exitCode: CLIExitCode, _ message: String) {
        self.exitCode = exitCode
        self.message = message
    }

    /// A usage error (exit 2).
    public static func usage(_ message: String) -> CLIFailure { CLIFailure(.usage, message) }

    public var description: String { message }
}
