import CRunKeeper
import Foundation
import Glibc
import Logging
import SchedulerCore

/// One run, on a thread of its own from start to end: creates its directory (and cgroup),
/// starts the keeper, then waits in `poll` on everything that can happen to the run — the
/// keeper's reports, the command's output, the wake-up pipe that `abortRun` writes to, and the
/// run's deadlines — and returns the final status once the keeper has exited, that is once
/// every process of the run is gone. Everything that blocks (directories, forks, `/proc`,
/// cgroupfs, output files) happens here, never on the caller's thread.
struct RunSupervisor {
    /// The first pause between two rounds of SIGKILL while processes of the run remain; it
    /// doubles up to `longestKillRoundPause` (a process stuck in the kernel can take long to die).
    private static let firstKillRoundPause = Duration.milliseconds(10)
    private static let longestKillRoundPause = Duration.seconds(1)

    let request: RunRequest
    let configuration: ProcessWorkers.Configuration
    let containment: ProcessContainment
    let logger: Logger
    /// The read end of the run's wake-up pipe (non-blocking); the supervisor closes it.
    let wakeDescriptor: Int32
    /// The workers, for the run's shared state (its stop reason) and for reporting.
    let workers: ProcessWorkers

    private var attemptID: Int { request.attemptID }

    /// Runs the attempt to its end and returns its final status; RUNNING is reported on the way.
    func run() -> RunStatus {
        defer { close(wakeDescriptor) }
        var status = RunStatus(state: .running, snapshotID: request.snapshotID)
        guard workers.stopReason(of: attemptID) == nil else {
            status.state = .aborted
            status.error = "command aborted before it started"
            return status
        }
        do {
            let directory = try RunDirectory.create(under: configuration.dataDirectory, for: request)
            status.outURI = URL(fileURLWithPath: directory.standardOutputPath).absoluteString
            status.errURI = URL(fileURLWithPath: directory.standardErrorPath).absoluteString
            let cgroup = try containment.cgroupParent.map { parent throws(LaunchFailure) in try RunCgroup.create(under: parent) }
            defer { cgroup?.remove(logger: logger) }
            return try supervise(in: directory, cgroup: cgroup, status: status)
        } catch {
            status.state = .failed
            status.error = error.description
            return status
        }
    }

    /// Opens the output files and pipes, starts the keeper and follows the run to its end.
    private func supervise(in directory: RunDirectory, cgroup: RunCgroup?, status: RunStatus) throws(LaunchFailure) -> RunStatus {
        let outputFile = try Self.openForWriting(directory.standardOutputPath)
        defer { close(outputFile) }
        let errorFile = try Self.openForWriting(directory.standardErrorPath)
        defer { close(errorFile) }
        let pipes = try Self.makePipes(3)
        let (outputPipe, errorPipe, reportPipe) = (pipes[0], pipes[1], pipes[2])
        defer { for pipe in pipes { close(pipe.read) } }
        let keeper: pid_t
        do {
            defer { for pipe in pipes { close(pipe.write) } }
            keeper = try RunKeeper.start(
                request.argv, environment: ChildEnvironment.entries(for: request.environment, serverPath: Self.serverPath),
                in: directory.path, searchPath: Self.serverPath,
                descriptors: .init(
                    standardOutput: outputPipe.write, standardError: errorPipe.write, report: reportPipe.write,
                    cgroup: cgroup?.descriptor ?? -1))
        }
        var run = RunProgress(
            processes: RunProcesses(keeperPID: keeper, cgroup: cgroup), status: status,
            outputs: [
                OutputCopy(name: "stdout", pipe: outputPipe.read, file: outputFile, cap: configuration.maxOutputBytes),
                OutputCopy(name: "stderr", pipe: errorPipe.read, file: errorFile, cap: configuration.maxOutputBytes),
            ])
        follow(&run, reports: reportPipe.read)
        ChildProcess.reap(keeper)
        for output in run.outputs {
            guard let cut = output.cut else { continue }
            logger.log(
                level: cut == .capReached ? .notice : .warning,
                "run \(attemptID) (job \(Self.logText(request.task.jobID)), task \(Self.logText(request.task.taskID))): \(output.name) kept \(output.written) of \(output.received) bytes: \(OutputCopy.marker(for: cut, cap: output.cap).dropLast())")
        }
        return finalStatus(of: run, directory: directory)
    }

    /// Everything the supervisor knows about a run that has a keeper.
    private struct RunProgress {
        let processes: RunProcesses
        var status: RunStatus
        var outputs: [OutputCopy]
        /// What the keeper said about the launch, once it has.
        var launch: RunKeeper.Report?
        /// How the command's main process ended, once it has.
        var termination: ChildProcess.Termination?
        /// Set once the keeper has exited (its report pipe reached end of file).
        var keeperIsGone = false
        /// When the command times out, once it runs (nil: no timeout).
        var timeoutDeadline: ContinuousClock.Instant?
        /// Set once SIGTERM went out (abort, timeout): when SIGKILL follows.
        var killDeadline: ContinuousClock.Instant?
        var isStopping = false
        /// While processes remain after SIGKILL: when the next round of SIGKILL goes out.
        var nextKillRound: ContinuousClock.Instant?
        var killRoundPause = RunSupervisor.firstKillRoundPause
    }

    /// The `poll` loop, until the keeper is gone and the output pipes are drained.
    private func follow(_ run: inout RunProgress, reports: Int32) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: OutputCopy.bufferSize, alignment: 1)
        defer { buffer.deallocate() }
        var descriptors = [
            pollfd(fd: reports, events: Int16(POLLIN), revents: 0),
            pollfd(fd: run.outputs[0].pipe, events: Int16(POLLIN), revents: 0),
            pollfd(fd: run.outputs[1].pipe, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let timeout = run.keeperIsGone ? 0 : Self.milliseconds(until: nextDeadline(of: run))
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0, errno == EINTR { continue }
            // The keeper is gone, so every process of the run is: whatever the pipes still hold
            // has been read once poll finds nothing (a pipe passed to a process outside the run
            // could stay open forever).
            if run.keeperIsGone, ready <= 0 { return }
            if descriptors[0].revents != 0, !readReports(from: reports, into: &run) {
                run.keeperIsGone = true
                descriptors[0].fd = -1
            }
            for index in run.outputs.indices where descriptors[index + 1].revents != 0 {
                run.outputs[index].copyAvailable(using: buffer)
                if run.outputs[index].isFinished { descriptors[index + 1].fd = -1 }
            }
            if descriptors[3].revents != 0 {
                drainWakeUps()
                if workers.stopReason(of: attemptID) != nil { beginStopping(&run) }
            }
            handleDeadlines(&run)
            if run.keeperIsGone, descriptors[1].fd < 0, descriptors[2].fd < 0 { return }
        }
    }

    /// Reads the keeper's reports; false at end of file (the keeper exited).
    private func readReports(from descriptor: Int32, into run: inout RunProgress) -> Bool {
        var report = scoot_keeper_report()
        while true {
            let count = withUnsafeMutableBytes(of: &report) { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return errno == EAGAIN
            }
            guard count == MemoryLayout<scoot_keeper_report>.size, let decoded = RunKeeper.Report(report) else { return false }
            handle(decoded, in: &run)
        }
    }

    private func handle(_ report: RunKeeper.Report, in run: inout RunProgress) {
        switch report {
        case .started(let pid):
            run.status.runID = "\(pid)"
            workers.report(.progress(attemptID: attemptID, status: run.status))
            if request.timeout > .zero { run.timeoutDeadline = .now + request.timeout }
            // An abort that came while the command was starting: its SIGTERM may have found no
            // process yet.
            if workers.stopReason(of: attemptID) != nil {
                if run.isStopping { run.processes.signalAll(SIGTERM) } else { beginStopping(&run) }
            }
        case .launchFailed(_, _):
            break
        case .exited(let waitStatus):
            run.termination = ChildProcess.Termination(waitStatus: waitStatus)
            workers.markEnded(attemptID)
            // Whatever the command left running goes at once.
            run.processes.killAll()
            run.nextKillRound = .now + run.killRoundPause
        }
        run.launch = run.launch ?? report
    }

    /// SIGTERM to every process of the run, SIGKILL after the grace period. Once the main
    /// process has ended the rest is being killed anyway.
    private func beginStopping(_ run: inout RunProgress) {
        guard !run.isStopping, run.termination == nil else { return }
        run.isStopping = true
        run.processes.signalAll(SIGTERM)
        run.killDeadline = .now + configuration.killGracePeriod
    }

    private func handleDeadlines(_ run: inout RunProgress) {
        let now = ContinuousClock.now
        if let deadline = run.timeoutDeadline, deadline <= now {
            run.timeoutDeadline = nil
            if run.termination == nil, workers.requestStop(attemptID, because: .timedOut, wakingTheRun: false) { beginStopping(&run) }
        }
        if let deadline = run.killDeadline, deadline <= now {
            run.killDeadline = nil
            run.processes.killAll()
            run.nextKillRound = now + run.killRoundPause
        }
        if let round = run.nextKillRound, round <= now, !run.keeperIsGone {
            run.processes.killAll()
            run.killRoundPause = min(run.killRoundPause * 2, Self.longestKillRoundPause)
            run.nextKillRound = now + run.killRoundPause
        }
    }

    private func nextDeadline(of run: RunProgress) -> ContinuousClock.Instant? {
        [run.timeoutDeadline, run.killDeadline, run.nextKillRound].compactMap { $0 }.min()
    }

    private func drainWakeUps() {
        var bytes: UInt64 = 0
        while withUnsafeMutableBytes(of: &bytes, { read(wakeDescriptor, $0.baseAddress!, $0.count) }) > 0 {}
    }

    private func finalStatus(of run: RunProgress, directory: RunDirectory) -> RunStatus {
        var status = run.status
        if let failure = run.launch?.failureText(program: request.argv[0], directory: directory.path) {
            status.state = .failed
            status.error = failure
            return status
        }
        switch (workers.stopReason(of: attemptID), run.termination) {
        case (.timedOut?, _):
            status.state = .timedOut
            status.error = "command timed out after \(request.timeout)"
        case (.aborted?, _):
            status.state = .aborted
            status.error = "command aborted"
        case (nil, .exited(let code)?):
            status.state = .complete
            status.exitCode = code
        case (nil, .signaled(let signal)?):
            status.state = .complete
            status.exitCode = 128 + signal
            status.error = "command killed by signal \(signal) (\(String(cString: strsignal(signal))))"
        case (nil, nil):
            status.state = .failed
            status.error = "the run's keeper process ended before the command's exit status was known"
        }
        return status
    }

    /// poll's timeout for `deadline`: -1 (none), else the milliseconds left, rounded up.
    private static func milliseconds(until deadline: ContinuousClock.Instant?) -> Int32 {
        guard let deadline else { return -1 }
        let (seconds, attoseconds) = (deadline - .now).components
        guard seconds >= 0 else { return 0 }
        return Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }

    /// An id as the log shows it: quoted, escaped (no id can forge a log line), at most 100
    /// characters of it.
    private static func logText(_ id: String) -> String {
        (id.count > 100 ? id.prefix(100) + "…" : id).debugDescription
    }

    /// The server's `PATH`, read per run (it is the process's environment, which may change).
    private static var serverPath: String? { getenv("PATH").map { String(cString: $0) } }

    private static func openForWriting(_ path: String) throws(LaunchFailure) -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw LaunchFailure("cannot open \(path): \(systemErrorText(errno))") }
        return descriptor
    }

    /// `count` pipes whose read ends (the server's) do not block; the write ends, the command's,
    /// do. On failure none is left open.
    private static func makePipes(_ count: Int) throws(LaunchFailure) -> [(read: Int32, write: Int32)] {
        var pipes: [(read: Int32, write: Int32)] = []
        for _ in 0..<count {
            var ends: [Int32] = [0, 0]
            guard scoot_pipe2(&ends, O_CLOEXEC) == 0 else {
                let code = errno
                for pipe in pipes { close(pipe.read); close(pipe.write) }
                throw LaunchFailure("cannot create a pipe: \(systemErrorText(code))")
            }
            _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
            pipes.append((ends[0], ends[1]))
        }
        return pipes
    }
}
