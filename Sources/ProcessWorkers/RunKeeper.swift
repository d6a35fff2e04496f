import CRunKeeper
import Glibc

/// Starting a run's keeper process (`CRunKeeper`), which starts the command, and reading its
/// reports.
enum RunKeeper {
    /// What a keeper reported.
    enum Report: Equatable {
        /// The command runs, as `pid`.
        case started(pid: pid_t)
        /// The command could not start.
        case launchFailed(step: Int32, errno: Int32)
        /// The command's main process ended with this `waitpid` status.
        case exited(waitStatus: Int32)

        init?(_ report: scoot_keeper_report) {
            switch report.kind {
            case Int32(SCOOT_KEEPER_STARTED): self = .started(pid: report.pid)
            case Int32(SCOOT_KEEPER_LAUNCH_FAILED): self = .launchFailed(step: report.step, errno: report.value)
            case Int32(SCOOT_KEEPER_EXITED): self = .exited(waitStatus: report.value)
            default: return nil
            }
        }

        /// The failure's text for the FAILED status: the step and the system's explanation.
        func failureText(program: String, directory: String) -> String? {
            guard case .launchFailed(let step, let code) = self else { return nil }
            switch step {
            case Int32(SCOOT_LAUNCH_STEP_DIRECTORY): return "cannot use directory \(directory): \(systemErrorText(code))"
            case Int32(SCOOT_LAUNCH_STEP_EXEC): return "cannot run '\(program)': \(systemErrorText(code))"
            default: return "cannot start a process for '\(program)': \(systemErrorText(code))"
            }
        }
    }

    /// The descriptors a keeper gets; the server closes its copies once the keeper has started.
    struct Descriptors {
        /// Write ends of the command's output pipes.
        var standardOutput: Int32
        var standardError: Int32
        /// Write end of the report pipe.
        var report: Int32
        /// The run's cgroup directory, or -1.
        var cgroup: Int32
    }

    /// Forks the keeper for `argv`, run in `directory` with exactly `environment` (`NAME=value`
    /// entries); `argv[0]` is looked up in `searchPath` (the server's `PATH`) as `execvp` does.
    /// Returns the keeper's pid.
    static func start(
        _ argv: [String], environment: [String], in directory: String, searchPath: String?, descriptors: Descriptors
    ) throws(LaunchFailure) -> pid_t {
        guard let program = argv.first else { throw LaunchFailure("cannot run an empty command") }
        let keeper = withCStringArray(programPaths(for: program, searchPath: searchPath)) { paths, pathCount in
            withCStringArray(argv) { arguments, _ in
                withCStringArray(environment) { variables, _ in
                    directory.withCString { directoryPath in
                        var spec = scoot_keeper_spec(
                            program_paths: paths, program_path_count: Int32(pathCount), argv: arguments, envp: variables,
                            directory: directoryPath, stdout_fd: descriptors.standardOutput, stderr_fd: descriptors.standardError,
                            report_fd: descriptors.report, cgroup_fd: descriptors.cgroup)
                        let pid = scoot_keeper_start(&spec)
                        return (pid: pid, error: pid < 0 ? errno : 0)
                    }
                }
            }
        }
        guard keeper.pid > 0 else {
            throw LaunchFailure("cannot start a process for '\(program)': \(systemErrorText(keeper.error))")
        }
        return keeper.pid
    }

    /// The paths `execvp` would try for `program`: the program itself when it names a path,
    /// else each entry of the search path (an empty entry is the working directory), with the
    /// C library's default `/bin:/usr/bin` when the server has no `PATH`.
    static func programPaths(for program: String, searchPath: String?) -> [String] {
        guard !program.isEmpty, !program.contains("/") else { return [program] }
        return (searchPath ?? "/bin:/usr/bin").split(separator: ":", omittingEmptySubsequences: false).map {
            $0.isEmpty ? program : "\($0)/\(program)"
        }
    }

    /// Calls `body` with a NULL-terminated C array of copies of `strings` (and their count),
    /// freed afterwards.
    private static func withCStringArray<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>, Int) -> Result
    ) -> Result {
        let copies = strings.map { strdup($0) } + [nil]
        defer { for copy in copies { free(copy) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!, strings.count) }
    }
}
