import CRunKeeper
import Foundation
import Glibc
import Logging
import SchedulerCore
import Synchronization

/// Workers that run tasks as local processes: `local-0` … `local-<N-1>`, announced as joined at
/// the scheduler's first collection.
///
/// Each run executes the task's argv without a shell (`argv[0]` is found through the server's
/// `PATH`, as `execvp` finds it) in its own directory `<data>/runs/<job>/<task>/<attemptID>/`
/// (`RunDirectory`: the ids' hashes, with the ids in `id` files), with standard output and error
/// in the files `stdout` and `stderr` there, whose `file://` URIs are the run's `outURI` and
/// `errURI`. Each stream keeps at most `Configuration.maxOutputBytes`, then a marker line; the
/// rest is discarded and the command keeps running (`OutputCopy`). The command's environment is
/// the task's variables plus the server's `PATH` when the task sets none (see
/// `ChildEnvironment`). Each command leads its own process group.
///
/// Every run has a keeper process, and in cgroup containment a cgroup, that hold all the
/// processes the command starts, including those that leave its process group or session
/// (`ProcessContainment`). Reports: a RUNNING `.progress` (with the URIs, and the pid as
/// `runID`) as soon as the command runs, then one `.finished`:
/// - COMPLETE with the exit code when the command exits, whatever the code;
/// - COMPLETE with exit code 128 + n when a signal n that we did not send killed it (the shell's
///   convention; the error text names the signal), since the command did run and end;
/// - TIMEDOUT when it outlived `RunRequest.timeout` (a timeout ≤ 0 means none here; the
///   scheduler's own deadline still applies), ABORTED after `abortRun`: in both cases every
///   process of the run gets SIGTERM, then SIGKILL after `killGracePeriod`;
/// - FAILED with the operating system's text when the command cannot start (no such file, not
///   executable, …).
/// When the command's main process ends, whatever it left running is killed, and `.finished`
/// comes once every process of the run is gone.
///
/// A snapshot means nothing more than a label here: the `snapshotID` is recorded in the run's
/// status and the scheduler uses it for worker affinity, but nothing is checked out; commands
/// see the machine's file system as it is.
///
/// Each run has a thread of its own (`RunSupervisor`) that does all its blocking work, so
/// `startRun` and `abortRun` return at once; the event observer then wakes the scheduler.
public final class ProcessWorkers: WorkerBackend {
    /// Why we are stopping a run.
    enum StopReason {
        case timedOut
        case aborted
    }

    /// What the scheduler's calls and the run's thread share about a run.
    private struct ActiveRun {
        /// The write end of the run's wake-up pipe (non-blocking), written to when a stop is
        /// asked for; open as long as the run is in `activeRuns`.
        let wakeDescriptor: Int32
        var stopReason: StopReason?
        /// Set once the command's main process has ended; from then on stops are ignored.
        var hasEnded = false
    }

    private struct State {
        /// Events not yet collected. Bounded by the runs: each run adds one `.progress` and one
        /// `.finished`, and the scheduler collects at every step.
        var pendingEvents: [WorkerEvent]
        var activeRuns: [Int: ActiveRun] = [:]
        var eventObserver: (@Sendable () -> Void)?
    }

    /// The workers' settings.
    public let configuration: Configuration
    /// How the runs' processes are kept together.
    public let containment: ProcessContainment
    /// The workers' ids, `local-0` … `local-<N-1>`.
    public let workerIDs: [String]
    private let logger: Logger
    private let state: Mutex<State>

    /// Creates the workers; they announce themselves at the first `collectEvents`. Logs the
    /// containment in use, and why, at info.
    public init(configuration: Configuration, containment: ProcessContainment, logger: Logger) {
        self.configuration = configuration
        self.containment = containment
        self.logger = logger
        workerIDs = (0..<configuration.workerCount).map { "local-\($0)" }
        state = Mutex(State(pendingEvents: workerIDs.map { .joined(workerID: $0) }))
        logger.info("process containment: \(containment)")
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
        var wakeUp: [Int32] = [0, 0]
        guard scoot_pipe2(&wakeUp, O_CLOEXEC | O_NONBLOCK) == 0 else {
            var status = RunStatus(state: .failed, snapshotID: request.snapshotID)
            status.error = "cannot create a pipe: \(systemErrorText(errno))"
            report(.finished(attemptID: request.attemptID, status: status))
            return
        }
        state.withLock { $0.activeRuns[request.attemptID] = ActiveRun(wakeDescriptor: wakeUp[1]) }
        let supervisor = RunSupervisor(
            request: request, configuration: configuration, containment: containment, logger: logger, wakeDescriptor: wakeUp[0],
            workers: self)
        let thread = Thread { [self] in finish(request.attemptID, with: supervisor.run()) }
        thread.name = "process-worker-run-\(request.attemptID)"
        thread.stackSize = 1 << 20
        thread.start()
    }

    public func abortRun(attemptID: Int) {
        _ = requestStop(attemptID, because: .aborted, wakingTheRun: true)
    }

    /// Records why the run is being stopped and, when asked, wakes its thread. False when the
    /// run is unknown, its main process has ended, or it is already being stopped (the first
    /// reason stays).
    func requestStop(_ attemptID: Int, because reason: StopReason, wakingTheRun: Bool) -> Bool {
        state.withLock { state in
            guard let run = state.activeRuns[attemptID], !run.hasEnded, run.stopReason == nil else { return false }
            state.activeRuns[attemptID]!.stopReason = reason
            if wakingTheRun {
                var byte: UInt8 = 1
                _ = write(run.wakeDescriptor, &byte, 1)
            }
            return true
        }
    }

    /// Why the run is being stopped, if it is.
    func stopReason(of attemptID: Int) -> StopReason? {
        state.withLock { $0.activeRuns[attemptID]?.stopReason }
    }

    /// Records that the run's main process has ended.
    func markEnded(_ attemptID: Int) {
        state.withLock { $0.activeRuns[attemptID]?.hasEnded = true }
    }

    /// Forgets the run and reports its end.
    private func finish(_ attemptID: Int, with status: RunStatus) {
        if let run = state.withLock({ $0.activeRuns.removeValue(forKey: attemptID) }) { close(run.wakeDescriptor) }
        report(.finished(attemptID: attemptID, status: status))
    }

    /// Buffers an event for the next collection and tells the observer.
    func report(_ event: WorkerEvent) {
        let observer = state.withLock { state in
            state.pendingEvents.append(event)
            return state.eventObserver
        }
        observer?()
    }
}
