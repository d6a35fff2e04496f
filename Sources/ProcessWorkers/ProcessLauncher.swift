import Glibc

/// Starts a command with `posix_spawnp`, without a shell: `argv[0]` is looked up in the server's
/// `PATH` as `execvp` does, the child leads a new process group (so that the whole group can be
/// signalled), starts with default signal dispositions and an empty signal mask (whatever the
/// server ignores or blocks), reads `/dev/null`, writes its output to files, and inherits no
/// other descriptor.
enum ProcessLauncher {
    /// Starts `argv` in `directory` with exactly `environment` (`NAME=value` entries) and returns
    /// the child's pid, which is also its process group id.
    static func launch(
        _ argv: [String], environment: [String], in directory: String, standardOutput: String, standardError: String
    ) throws(LaunchFailure) -> pid_t {
        guard let program = argv.first else { throw LaunchFailure("cannot run an empty command") }
        let outputDescriptor = try openForWriting(standardOutput)
        defer { close(outputDescriptor) }
        let errorDescriptor = try openForWriting(standardError)
        defer { close(errorDescriptor) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputDescriptor, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, errorDescriptor, STDERR_FILENO)
        SpawnFileActionExtensions.addCloseFrom(&actions, STDERR_FILENO + 1)
        try SpawnFileActionExtensions.addChangeDirectory(&actions, directory)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var catchableSignals = sigset_t()
        sigfillset(&catchableSignals)
        sigdelset(&catchableSignals, SIGKILL)
        sigdelset(&catchableSignals, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &catchableSignals)

        var pid: pid_t = 0
        let result = withCStringArray(argv) { arguments in
            withCStringArray(environment) { variables in
                posix_spawnp(&pid, program, &actions, &attributes, arguments, variables)
            }
        }
        guard result == 0 else { throw LaunchFailure("cannot run '\(program)': \(systemErrorText(result))") }
        return pid
    }

    private static func openForWriting(_ path: String) throws(LaunchFailure) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LaunchFailure("cannot open \(path): \(systemErrorText(errno))") }
        return descriptor
    }

    /// Calls `body` with a NULL-terminated C array of copies of `strings`, freed afterwards.
    private static func withCStringArray<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
    ) -> Result {
        let copies = strings.map { strdup($0) } + [nil]
        defer { for copy in copies { free(copy) } }
        return copies.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
