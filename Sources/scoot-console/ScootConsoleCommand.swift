import ArgumentParser
import Foundation
import ScootCLI

/// The `scoot-console` command: the console (default), `serve`, `gateway`, `plan`, the in-memory
/// demo server and scootcl's commands (`run-job`, `get-job-status` …).
@main
struct ScootConsoleCommand: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "scoot-console",
        abstract: "Operations console for Scoot clusters, and a scootcl-compatible CLI.",
        discussion: """
            With no command: the interactive console on an embedded demo cluster (or --connect HOST:PORT). \
            `serve` runs a CloudScoot scheduler with process workers, a durable job log and metrics; `gateway` \
            runs a CloudScoot proxy in front of a real Scoot scheduler that records every job and action and \
            lets the console see the whole cluster (docs/production.md); `plan` \
            runs Scoot's load-based scheduling algorithm on a cluster state given as JSON. run-job, get-job-status, \
            watch-job, kill-job, offline-worker, reinstate-worker, get/set-scheduler-status, \
            get/set-scheduling-alg-params do what scootcl's commands of the same name do (scootcl's underscore \
            spellings work too); list-jobs and list-workers need `serve` or the gateway. See docs/cli.md.

            \(CLIExitCode.summary) Other usage errors also exit 2.
            """,
        version: version,
        subcommands: [
            ConsoleCommand.self, ReplayCommand.self, ServeCommand.self, GatewayCommand.self, PlanCommand.self, KeysCommand.self,
            RunJobCommand.self, GetJobStatusCommand.self, WatchJobCommand.self, KillJobCommand.self, OfflineWorkerCommand.self,
            ReinstateWorkerCommand.self, GetSchedulerStatusCommand.self, SetSchedulerStatusCommand.self,
            GetSchedulingAlgParamsCommand.self, SetSchedulingAlgParamsCommand.self, ListJobsCommand.self, ListWorkersCommand.self,
        ],
        defaultSubcommand: ConsoleCommand.self
    )

    /// ArgumentParser's `main`, except that usage errors exit 2 (not 64) as docs/cli.md says;
    /// --help and --version still exit 0.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(CLIExitCode.usage.rawValue)
            }
            exit(withError: error)
        }
    }
}
