import Dispatch
import Foundation
import Glibc
import SchedulerCore
import Synchronization

/// Workers that run tasks as local processes: `local-0` … `local-<N-1>`, announced as joined at
/// the scheduler's first collection.
///
/// Each run executes the task's argv without a shell (`posix_spawnp`; `argv[0]` is found through
/// the server's `PATH`) in its own directory `<data>/runs/<jobID>/<taskID>/<attemptID>/`, with
/// standard output and error in the files `stdout` and `stderr` there, whose `file://` URIs are
/// the run's `outURI` and `errURI`. The command's environment is the task's variables plus the
/// server's `PATH` when the task sets none (see `ChildEnvironment`). Each run leads its own
/// process group.
///
/// Reports: a RUNNING `.progress` (with the URIs, and the pid as `runID`) as soon as the process
/// started, then one `.finished`:
/// - COMPLETE with the exit code when the command exits, whatever the code;
/// - COMPLETE with exit code 128 + n when a signal n that we did not send killed it (the shell's
///   convention; the error text names the signal), since the command did run and end;
/// - TIMEDOUT when it outlived `RunRequest.timeout` (a timeout ≤ 0 means none here; the
///   scheduler's own deadline still applies), ABORTED after `abortRun`: in both cases the whole
///   process group gets SIGTERM, then SIGKILL after `killGracePeriod`;
/// - FAILED with the operating system's text when the command cannot start (no such file, not
///   executable, …).
/// When the command's main process ends, whatever it left running in its process group is killed.
///
/// A snapshot means nothing more than a label here: the `snapshotID` is recorded in the run's
/// status and the scheduler uses it for worker affinity, but nothing is checked out; commands
/// see the machine's file system as it is.
///
/// Each run has a thread blocked in `waitid`/`waitpid` on its own pid (never `waitpid(-1)`), so
/// ends are noticed at once and every child is reaped; the event observer then wakes the
/// scheduler.
public final class ProcessWorkers: WorkerBackend {
    /// Why we are stopping a run.
    private enum StopReason {
        case timedOut
        case aborted
    }

    private struct ActiveRun {
        let pid: pid_t
        let runningStatus: RunStatus
        let timeout: Duration
        var stopReason: StopReason?
        /// Set once the process has ended; from then on its group is never signalled again.
        var hasEnded = false
    }

    private struct State {
        var pendingEvents: [WorkerEvent]
        var activeRuns: [Int: ActiveRun] = [:]
        var eventObserver: (@Sendable () -> Void)?
    }

    /// The workers' settings.
    public let configuration: Configuration
    /// The workers' ids, `local-0` … `local-<N-1>`.
    public let workerIDs: [String]
    private let state: Mutex<State>

    /// Creates the workers; they announce themselves at the first `collectEvents`.
    public init(configuration: Configuration) {
        self.configuration = configuration
        workerIDs = (0..<configuration.workerCount).map { "local-\($0)" }
        state = Mutex(State(pendingEvents: workerIDs.map { .joined(workerID: $0) }))
    }

    public func setEventObserver(_ observer: @escaping @Sendable () -> Void) {
        state.withLock { $0.eventObserver = observer }
    }

    public func collectEvents() -> [WorkerEvent] {
        state.withLock { state in
            defer { state.pendingEvents = [] }
            return state.pendingEvents
        }
    }

    public func startRun(_ request: RunRequest) {
        var status = RunStatus(state: .running, snapshotID: request.snapshotID)
        let pid: pid_t
        do {
            let directory = try RunDirectory.create(under: configuration.dataDirectory, for: request)
            status.outURI = URL(fileURLWithPath: directory.standardOutputPath).absoluteString
            status.errURI = URL(fileURLWithPath: directory.standardErrorPath).absoluteString
            let serverPath = getenv("PATH").map { String(cString: $0) }
            pid = try ProcessLauncher.launch(
                request.argv, environment: ChildEnvironment.entries(for: request.environment, serverPath: serverPath),
                in: directory.path, standardOutput: directory.standardOutputPath, standardError: directory.standardErrorPath)
        } catch {
            status.state = .failed
            status.error = error.description
            report(.finished(attemptID: request.attemptID, status: status))
            return
        }
        status.runID = "\(pid)"
        let attemptID = request.attemptID
        state.withLock { $0.activeRuns[attemptID] = ActiveRun(pid: pid, runningStatus: status, timeout: request.timeout) }
        report(.progress(attemptID: attemptID, status: status))
        // A timer that fires after the run ended finds no active run and does nothing.
        if request.timeout > .zero {
            DispatchQueue.global().asyncAfter(deadline: .now() + request.timeout.dispatchInterval) { [weak self] in
                self?.stop(attemptID, because: .timedOut)
            }
        }
        let waiter = Thread { [self] in superviseEnd(of: attemptID, pid: pid) }
        waiter.name = "process-worker-\(pid)"
        waiter.stackSize = 256 * 1024
        waiter.start()
    }

    public func abortRun(attemptID: Int) {
        stop(attemptID, because: .aborted)
    }

    /// Sends SIGTERM to the run's process group, and SIGKILL after the grace period if the
    /// command has not ended by then. A run that is already being stopped keeps its first reason.
    private func stop(_ attemptID: Int, because reason: StopReason) {
        let isStopping = state.withLock { state in
            guard let run = state.activeRuns[attemptID], !run.hasEnded, run.stopReason == nil else { return false }
            state.activeRuns[attemptID]!.stopReason = reason
            kill(-run.pid, SIGTERM)
            return true
        }
        guard isStopping else { return }
        DispatchQueue.global().asyncAfter(deadline: .now() + configuration.killGracePeriod.dispatchInterval) { [weak self] in
            self?.state.withLock { state in
                guard let run = state.activeRuns[attemptID], !run.hasEnded else { return }
                kill(-run.pid, SIGKILL)
            }
        }
    }

    /// Runs on the run's own thread: waits for the process to end, kills what it left in its
    /// process group (while the unreaped process still reserves the group id), reaps it, and
    /// reports the outcome.
    private func superviseEnd(of attemptID: Int, pid: pid_t) {
        let isUnreaped = ChildProcess.waitUntilEnded(pid)
        state.withLock { $0.activeRuns[attemptID]?.hasEnded = true }
        if isUnreaped { kill(-pid, SIGKILL) }
        let termination = ChildProcess.reap(pid)
        guard let run = state.withLock({ $0.activeRuns.removeValue(forKey: attemptID) }) else { return }
        report(.finished(attemptID: attemptID, status: Self.finalStatus(of: run, after: termination)))
    }

    private static func finalStatus(of run: ActiveRun, after termination: ChildProcess.Termination) -> RunStatus {
        var status = run.runningStatus
        switch (run.stopReason, termination) {
        case (.timedOut?, _):
            status.state = .timedOut
            status.error = "command timed out after \(run.timeout)"
        case (.aborted?, _):
            status.state = .aborted
            status.error = "command aborted"
        case (nil, .exited(let code)):
            status.state = .complete
            status.exitCode = code
        case (nil, .signaled(let signal)):
            status.state = .complete
            status.exitCode = 128 + signal
            status.error = "command killed by signal \(signal) (\(String(cString: strsignal(signal))))"
        case (nil, .lost(let code)):
            status.state = .failed
            status.error = "the command's exit status was lost: \(systemErrorText(code))"
        }
        return status
    }

    /// Buffers an event for the next collection and tells the observer.
    private func report(_ event: WorkerEvent) {
        let observer = state.withLock { state in
            state.pendingEvents.append(event)
            return state.eventObserver
        }
        observer?()
    }
}
