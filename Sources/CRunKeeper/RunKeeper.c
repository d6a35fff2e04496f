// The run keeper (see CRunKeeper.h). Everything between a fork and an exec or exit here is
// async-signal-safe: the server is multithreaded, and its fork holds copies of other threads'
// locks (malloc's among them) that nobody will ever release.
#define _GNU_SOURCE
#include "CRunKeeper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// System call numbers and the clone3 argument layout, for C libraries whose headers predate them
// (the numbers are the same on every architecture since Linux 5.1's unified numbering).
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#define SCOOT_CLONE_INTO_CGROUP 0x200000000ULL

struct scoot_clone_args {
    uint64_t flags;
    uint64_t pidfd;
    uint64_t child_tid;
    uint64_t parent_tid;
    uint64_t exit_signal;
    uint64_t stack;
    uint64_t stack_size;
    uint64_t tls;
    uint64_t set_tid;
    uint64_t set_tid_size;
    uint64_t cgroup;
};

// Where the keeper keeps its descriptors once it has dropped the server's.
enum { KEEPER_REPORT_FD = 3, KEEPER_CGROUP_FD = 4, KEEPER_FIRST_FREE_FD = 5, KEEPER_MOVE_ABOVE_FD = 16 };

// What the command's process sends the keeper when it cannot run the command.
typedef struct {
    int32_t step;
    int32_t error;
} launch_failure;

// A new process as fork creates it, without the C library's fork handlers (raw clone).
static long fork_process(void) {
    return syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
}

// A new process in the cgroup `cgroup_fd` designates.
static long fork_process_into_cgroup(int cgroup_fd) {
    struct scoot_clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = SCOOT_CLONE_INTO_CGROUP;
    args.exit_signal = SIGCHLD;
    args.cgroup = (uint64_t)cgroup_fd;
    return syscall(SYS_clone3, &args, sizeof args);
}

static void write_report(int fd, int32_t kind, int32_t pid, int32_t value, int32_t step) {
    scoot_keeper_report report = {kind, pid, value, step};
    ssize_t written;
    do {
        written = write(fd, &report, sizeof report);
    } while (written < 0 && errno == EINTR);
}

static void close_from(int lowest) {
    if (syscall(SYS_close_range, (unsigned)lowest, ~0U, 0) == 0) return;
    // Before Linux 5.9: every descriptor up to the limit (capped, as the limit can be huge).
    int highest = 65536;
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < (rlim_t)(1 << 20)) {
        highest = (int)limit.rlim_cur;
    }
    for (int fd = lowest; fd < highest; fd++) close(fd);
}

static void __attribute__((noreturn)) fail_launch(int failure_fd, int32_t step, int32_t error) {
    launch_failure failure = {step, error};
    ssize_t written;
    do {
        written = write(failure_fd, &failure, sizeof failure);
    } while (written < 0 && errno == EINTR);
    _exit(127);
}

// The command's process: its own process group, default signals, its directory, then the
// program, tried at each path as execvp tries the PATH entries.
static void __attribute__((noreturn)) run_command(const scoot_keeper_spec *spec, int failure_fd) {
    setpgid(0, 0);
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
        if (signal_number != SIGKILL && signal_number != SIGSTOP) sigaction(signal_number, &default_action, NULL);
    }
    sigset_t no_signals;
    sigemptyset(&no_signals);
    sigprocmask(SIG_SETMASK, &no_signals, NULL);
    if (chdir(spec->directory) != 0) fail_launch(failure_fd, SCOOT_LAUNCH_STEP_DIRECTORY, errno);

    int error = ENOENT;
    int denied = 0;
    for (int32_t index = 0; index < spec->program_path_count; index++) {
        execve(spec->program_paths[index], spec->argv, spec->envp);
        error = errno;
        if (error == EACCES) {
            denied = 1;
        } else if (error != ENOENT && error != ENOTDIR && error != ESTALE && error != ENODEV && error != ETIMEDOUT) {
            fail_launch(failure_fd, SCOOT_LAUNCH_STEP_EXEC, error);
        }
    }
    fail_launch(failure_fd, SCOOT_LAUNCH_STEP_EXEC, denied ? EACCES : error);
}

// A copy of `fd` numbered KEEPER_MOVE_ABOVE_FD or more, so that placing descriptors at 0…4
// overwrites none still needed.
static int move_high(int fd) {
    return fcntl(fd, F_DUPFD_CLOEXEC, KEEPER_MOVE_ABOVE_FD);
}

static void __attribute__((noreturn)) keeper_main(const scoot_keeper_spec *spec) {
    sigset_t all_signals;
    sigfillset(&all_signals);
    sigprocmask(SIG_SETMASK, &all_signals, NULL);
    setpgid(0, 0);
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
        write_report(spec->report_fd, SCOOT_KEEPER_LAUNCH_FAILED, 0, errno, SCOOT_LAUNCH_STEP_PROCESS);
        _exit(1);
    }

    // 0: /dev/null, 1 and 2: the output pipes (for the command), 3: the report pipe,
    // 4: the cgroup; nothing else of the server's.
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    int high_null = null_fd < 0 ? -1 : move_high(null_fd);
    int high_stdout = move_high(spec->stdout_fd);
    int high_stderr = move_high(spec->stderr_fd);
    int high_report = move_high(spec->report_fd);
    int high_cgroup = spec->cgroup_fd < 0 ? -1 : move_high(spec->cgroup_fd);
    if (high_null < 0 || high_stdout < 0 || high_stderr < 0 || high_report < 0 || (spec->cgroup_fd >= 0 && high_cgroup < 0)) {
        write_report(spec->report_fd, SCOOT_KEEPER_LAUNCH_FAILED, 0, errno, SCOOT_LAUNCH_STEP_PROCESS);
        _exit(1);
    }
    if (dup2(high_null, STDIN_FILENO) < 0 || dup2(high_stdout, STDOUT_FILENO) < 0 || dup2(high_stderr, STDERR_FILENO) < 0
        || dup2(high_report, KEEPER_REPORT_FD) < 0 || (high_cgroup >= 0 && dup2(high_cgroup, KEEPER_CGROUP_FD) < 0)) {
        write_report(high_report, SCOOT_KEEPER_LAUNCH_FAILED, 0, errno, SCOOT_LAUNCH_STEP_PROCESS);
        _exit(1);
    }
    close_from(KEEPER_FIRST_FREE_FD);
    fcntl(KEEPER_REPORT_FD, F_SETFD, FD_CLOEXEC);
    if (high_cgroup >= 0) fcntl(KEEPER_CGROUP_FD, F_SETFD, FD_CLOEXEC);

    int failure_pipe[2];
    if (pipe2(failure_pipe, O_CLOEXEC) != 0) {
        write_report(KEEPER_REPORT_FD, SCOOT_KEEPER_LAUNCH_FAILED, 0, errno, SCOOT_LAUNCH_STEP_PROCESS);
        _exit(1);
    }
    long command = high_cgroup >= 0 ? fork_process_into_cgroup(KEEPER_CGROUP_FD) : fork_process();
    if (command == 0) {
        close(failure_pipe[0]);
        run_command(spec, failure_pipe[1]);
    }
    int spawn_error = errno;
    close(failure_pipe[1]);
    // The keeper keeps no copy of the command's output descriptors (so that pipes reach end of
    // file when the run's last process is gone).
    dup2(STDIN_FILENO, STDOUT_FILENO);
    dup2(STDIN_FILENO, STDERR_FILENO);
    if (command < 0) {
        write_report(KEEPER_REPORT_FD, SCOOT_KEEPER_LAUNCH_FAILED, 0, spawn_error, SCOOT_LAUNCH_STEP_PROCESS);
        _exit(1);
    }

    launch_failure failure;
    ssize_t received;
    do {
        received = read(failure_pipe[0], &failure, sizeof failure);
    } while (received < 0 && errno == EINTR);
    close(failure_pipe[0]);
    int launched = received != (ssize_t)sizeof failure;
    if (launched) {
        write_report(KEEPER_REPORT_FD, SCOOT_KEEPER_STARTED, (int32_t)command, 0, 0);
    } else {
        write_report(KEEPER_REPORT_FD, SCOOT_KEEPER_LAUNCH_FAILED, (int32_t)command, failure.error, failure.step);
    }

    // Reap the command and every orphan of the run until none is left (ECHILD). Every process
    // here is the run's, so waiting for any child steals nobody's.
    for (;;) {
        int status;
        pid_t ended = waitpid(-1, &status, __WALL);
        if (ended < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (ended == (pid_t)command && launched) write_report(KEEPER_REPORT_FD, SCOOT_KEEPER_EXITED, ended, status, 0);
    }
    _exit(0);
}

pid_t scoot_keeper_start(const scoot_keeper_spec *spec) {
    long pid = fork_process();
    if (pid == 0) keeper_main(spec);
    return (pid_t)pid;
}

int scoot_probe_clone_into_cgroup(int cgroup_fd) {
    long pid = fork_process_into_cgroup(cgroup_fd);
    if (pid < 0) return errno;
    if (pid == 0) _exit(0);
    int status;
    while (waitpid((pid_t)pid, &status, 0) < 0 && errno == EINTR) {
    }
    return 0;
}

int scoot_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int scoot_pidfd_send_signal(int pidfd, int signal) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, signal, NULL, 0);
}

int scoot_pipe2(int descriptors[2], int flags) {
    return pipe2(descriptors, flags);
}

long scoot_splice(int from, int to, unsigned long length) {
    return (long)splice(from, NULL, to, NULL, length, SPLICE_F_NONBLOCK | SPLICE_F_MOVE);
}
