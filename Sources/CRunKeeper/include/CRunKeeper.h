#ifndef SCOOT_CONSOLE_RUN_KEEPER_H
#define SCOOT_CONSOLE_RUN_KEEPER_H

#include <stdint.h>
#include <sys/types.h>

/// The run keeper: a small process, forked from the server for each run, that starts the run's
/// command and outlives it. It is a child subreaper (`PR_SET_CHILD_SUBREAPER`), so every process
/// the command starts stays its descendant, even one that calls `setsid` or whose parent dies:
/// orphans re-parent to the keeper, which reaps them. It exits once it has no child left, that
/// is once every process of the run has ended. Between the fork and its exit it runs only this
/// file's async-signal-safe C code (a fork of a multithreaded process may do nothing else), with
/// every signal but SIGKILL and SIGSTOP blocked.
///
/// Its reports travel on a pipe, one `scoot_keeper_report` per write (atomic: smaller than
/// PIPE_BUF): first `STARTED` (the command is running) or `LAUNCH_FAILED`; after `STARTED`, one
/// `EXITED` when the command's main process ends. The pipe reaches end of file when the keeper
/// exits.
///
/// Also here: thin wrappers of system calls that Swift's Glibc module does not import (those
/// the C library declares only for _GNU_SOURCE, or not at all).

/// What a report says.
enum {
    /// The command's process runs the command (its `execve` succeeded); `pid` is its pid.
    SCOOT_KEEPER_STARTED = 1,
    /// The command could not start; `value` is the `errno`, `step` one of `SCOOT_LAUNCH_STEP_*`.
    SCOOT_KEEPER_LAUNCH_FAILED = 2,
    /// The command's main process ended; `value` is its `waitpid` status.
    SCOOT_KEEPER_EXITED = 3,
};

/// Where a launch failed.
enum {
    /// Creating the command's process (`fork`, `clone3`) or setting up the keeper.
    SCOOT_LAUNCH_STEP_PROCESS = 1,
    /// Changing to the run's directory.
    SCOOT_LAUNCH_STEP_DIRECTORY = 2,
    /// Executing the program.
    SCOOT_LAUNCH_STEP_EXEC = 3,
};

/// One report from a keeper.
typedef struct {
    int32_t kind;
    int32_t pid;
    int32_t value;
    int32_t step;
} scoot_keeper_report;

/// What the keeper starts, all prepared before the fork (the keeper allocates nothing).
typedef struct {
    /// The paths to try for the program, in order, as `execvp` tries the `PATH` entries.
    char *const *program_paths;
    int32_t program_path_count;
    /// The command's argument vector and environment (`NAME=value`), NULL-terminated.
    char *const *argv;
    char *const *envp;
    /// The command's working directory.
    const char *directory;
    /// Where the command's standard output and error go.
    int32_t stdout_fd;
    int32_t stderr_fd;
    /// The write end of the report pipe.
    int32_t report_fd;
    /// A descriptor of the cgroup (v2) directory the command starts in (`CLONE_INTO_CGROUP`), or
    /// -1 to start it in the keeper's own cgroup.
    int32_t cgroup_fd;
} scoot_keeper_spec;

/// Forks the keeper, which starts the command: the command leads a new process group, starts
/// with default signal dispositions and an empty signal mask, reads /dev/null, writes to
/// `stdout_fd` and `stderr_fd` and inherits no other descriptor. The keeper leads a process
/// group of its own and keeps none of the server's descriptors but the report pipe. Returns the
/// keeper's pid, or -1 with `errno` set.
pid_t scoot_keeper_start(const scoot_keeper_spec *spec);

/// Starts a process in the cgroup `cgroup_fd` designates, which exits at once, and reaps it:
/// whether `CLONE_INTO_CGROUP` works here. Returns 0, or the `errno` of the failure.
int scoot_probe_clone_into_cgroup(int cgroup_fd);

/// `pidfd_open(2)`: a descriptor that designates process `pid` for as long as it is open, or -1
/// with `errno` set (ENOSYS before Linux 5.3).
int scoot_pidfd_open(pid_t pid);

/// `pidfd_send_signal(2)`: sends `signal` to the process `pidfd` designates. 0, or -1 with `errno`.
int scoot_pidfd_send_signal(int pidfd, int signal);

/// `splice(2)` of up to `length` bytes from the pipe `from` to `to`, without blocking
/// (SPLICE_F_NONBLOCK, SPLICE_F_MOVE): the byte count, 0 at end of file, or -1 with `errno` set.
/// Declared by the C library only for _GNU_SOURCE.
long scoot_splice(int from, int to, unsigned long length);

/// `pipe2(2)`, which the C library declares only for _GNU_SOURCE: 0, or -1 with `errno` set.
int scoot_pipe2(int descriptors[2], int flags);

#endif
