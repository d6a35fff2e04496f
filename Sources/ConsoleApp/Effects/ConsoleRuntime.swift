import Foundation
import AuditLog
import HostEnvironment
import Dispatch
import NIOCore
import NIOPosix
import Synchronization
import TUIKit
import Thrift

/// Runs the console: one thread owns the terminal and the state; polls and actions run in tasks
/// and post their results back as messages, so key input is never blocked by the network.
public final class ConsoleRuntime {
    private let terminal: Terminal
    private let backend: any Backend
    /// The scheduler; nil in a replay, which reads `replaySource` instead and never polls or acts.
    private let dataSource: ThriftDataSource?
    /// The recording a replay shows; read on `replayQueue`.
    private let replaySource: (any RecordingSource)?
    /// Where every accepted poll's snapshot and every audit entry also go (nil: not recorded).
    private let recorder: (any FlightRecording)?
    /// Where `:dump` without a file name writes.
    private let dumpDirectory: String
    private let auditLog: AuditLog
    /// Whether a dangerous action goes ahead when its audit entry cannot be written
    /// (`--audit-optional`); otherwise it is not sent.
    private let auditOptional: Bool
    /// Starts polls at their time on the event loop of the data source's connection.
    private let pollStarter: PollStarter?
    /// `events.jsonl`, beside the audit log (found once, not per effect).
    private let eventJournal: EventJournal
    private let inbox: Inbox
    /// Whether posted results wake the loop (else it keeps `tickMs` as its pace).
    private let wakeable: Bool
    /// Audit log appends and reads: file I/O on a Dispatch thread of their own, never on the
    /// cooperative pool, in order. Its queue is bounded by the operator: one entry per confirmed
    /// action and one read per Audit pane opening.
    private let auditQueue = DispatchQueue(label: "scoot-console.audit")
    /// A replay's seeks (file reads and decompression), in order, one at a time: the state asks
    /// for the next only when the last one has answered.
    private let replayQueue = DispatchQueue(label: "scoot-console.replay")
    private let characters: BoxCharacters
    private let started = ContinuousClock.now
    private var needsDraw = true
    /// `$XDG_STATE_HOME/scoot-console/dumps`: where `:dump` writes without a file name.
    public static var defaultDumpDirectory: String { HostEnvironment.stateDirectory() + "/scoot-console/dumps" }

    /// The longest a wakeable loop sleeps with nothing due.
    static let longestSleep: Duration = .seconds(10)
    /// How many waits in a row may return nothing at once before the terminal counts as gone.
    static let instantEmptyWaitsBeforeExit = 50
    /// Whether `run` returned because the terminal went away.
    public private(set) var terminalWentAway = false
    /// The state, readable by tests after `run` returns.
    public private(set) var state: ConsoleState

    /// Messages posted by tasks for the UI thread; a post wakes the thread's wait.
    private final class Inbox: Sendable {
        private let messages = Mutex<[ConsoleMessage]>([])
        private let wake: (@Sendable () -> Void)?
        init(wake: (@Sendable () -> Void)?) { self.wake = wake }
        func post(_ message: ConsoleMessage) {
            messages.withLock { $0.append(message) }
            wake?()
        }
        func drain() -> [ConsoleMessage] { messages.withLock { messages in defer { messages.removeAll() }; return messages } }
    }

    /// A runtime drawing on `backend` with data from `dataSource`, recording every action in
    /// `auditLog`, and every poll and action in `recorder` when there is one.
    public convenience init(
        backend: any Backend, dataSource: ThriftDataSource, state: ConsoleState, characters: BoxCharacters = .unicode, auditLog: AuditLog = AuditLog(),
        auditOptional: Bool = false, pollExecutor: EventLoopTaskExecutor = EventLoopTaskExecutor(MultiThreadedEventLoopGroup.singleton.next()),
        recorder: (any FlightRecording)? = nil, dumpDirectory: String = ConsoleRuntime.defaultDumpDirectory
    ) {
        self.init(backend: backend, dataSource: dataSource, replaySource: nil, state: state, characters: characters, auditLog: auditLog,
                  auditOptional: auditOptional, pollExecutor: pollExecutor, recorder: recorder, dumpDirectory: dumpDirectory)
    }

    /// A runtime replaying `source` (`state.replay` set, read-only): no scheduler, no audit log
    /// written, no recording.
    public convenience init(backend: any Backend, replaying source: any RecordingSource, state: ConsoleState, characters: BoxCharacters = .unicode,
                            dumpDirectory: String = ConsoleRuntime.defaultDumpDirectory) {
        self.init(backend: backend, dataSource: nil, replaySource: source, state: state, characters: characters, auditLog: AuditLog(),
                  auditOptional: false, pollExecutor: nil, recorder: nil, dumpDirectory: dumpDirectory)
    }

    private init(
        backend: any Backend, dataSource: ThriftDataSource?, replaySource: (any RecordingSource)?, state: ConsoleState, characters: BoxCharacters,
        auditLog: AuditLog, auditOptional: Bool, pollExecutor: EventLoopTaskExecutor?, recorder: (any FlightRecording)?, dumpDirectory: String
    ) {
        self.auditOptional = auditOptional
        self.backend = backend
        let waker = backend.makeWaker()
        let inbox = Inbox(wake: waker)
        self.inbox = inbox
        if let dataSource, let pollExecutor {
            self.pollStarter = PollStarter(executor: pollExecutor) { request in
                do {
                    inbox.post(.pollFinished(id: request.id, result: .success(try await dataSource.fetch(selectedJob: request.job, workers: request.workers))))
                } catch {
                    inbox.post(.pollFinished(id: request.id, result: .failure(PollFailure(describing: error))))
                }
            }
        } else {
            self.pollStarter = nil
        }
        self.wakeable = waker != nil
        self.terminal = Terminal(backend: backend)
        self.dataSource = dataSource
        self.replaySource = replaySource
        self.recorder = recorder
        self.dumpDirectory = dumpDirectory
        self.auditLog = auditLog
        self.eventJournal = EventJournal(besideAuditLog: auditLog.path)
        self.state = state
        self.characters = characters
    }

    /// Runs until the user quits (or `until` says stop, for tests).
    /// The loop sleeps until the state's next deadline (a flash expiring, the data turning late),
    /// a key, or a posted result such as a poll's answer (which wakes it), so an idle console
    /// wakes once per poll; polls wait for their start on the event loop. `tickMs` is the pace
    /// of a backend that cannot be woken.
    public func run(tickMs: Int = 1000, until shouldStop: (ConsoleState) -> Bool = { _ in false }) {
        // The state learns the screen's size first: paging and scrolling depend on it.
        apply(.resize(width: backend.size.width, height: backend.size.height))
        // A replay starts on the frame at its position.
        if var replay = state.replay, let seek = replay.move(to: replay.position) {
            state.replay = replay
            run(.replaySeek(seek))
        }
        draw()
        var instantEmptyWaits = 0
        while !state.wantsQuit, !shouldStop(state) {
            let waitStarted = ContinuousClock.now
            var timeout = tickMs
            if wakeable {
                // Every wake has a deadline or a message behind it; the cap only guards a lost wake.
                let untilDeadline = state.nextDeadline().map { $0 - (waitStarted - started) } ?? Self.longestSleep
                timeout = max(0, Int((min(untilDeadline, Self.longestSleep) / .milliseconds(1)).rounded(.up)))
            }
            let event = backend.nextEvent(timeoutMs: timeout)
            // A terminal that has gone away (hang-up, closed tty) answers every wait at once with
            // nothing: stop instead of spinning.
            if event == nil, timeout > 0, ContinuousClock.now - waitStarted < .milliseconds(max(1, timeout / 4)) {
                instantEmptyWaits += 1
                if instantEmptyWaits >= Self.instantEmptyWaitsBeforeExit {
                    terminalWentAway = true
                    return
                }
            } else {
                instantEmptyWaits = 0
            }
            // The clock first: what a key or an answer sets (the next poll's time) counts from now.
            let before = state
            apply(.tick(now: ContinuousClock.now - started))
            if let event {
                needsDraw = true
                switch event {
                case .key(let key): apply(.key(key))
                case .resize(let width, let height):
                    terminal.resize()
                    apply(.resize(width: width, height: height))
                case .wakeUp:
                    needsDraw = false  // the messages it announces are drained below
                }
            }
            for message in inbox.drain() {
                needsDraw = true
                // What the console accepts from a poll is what it saw: on record.
                if let recorder, case .pollFinished(let id, .success(let snapshot)) = message, id == state.pollRequestID {
                    recorder.record(snapshot)
                    apply(message)
                    let problem = recorder.problem
                    if problem != state.recordingProblem { apply(.recordingProblem(problem)) }
                    continue
                }
                apply(message)
            }
            if state.differsOnScreen(from: before) || needsDraw { draw() }
            needsDraw = false
        }
        if state.wantsQuit { finishActionsInFlight() }
    }

    /// The longest a quit waits for the answers of actions in flight.
    public static let quitWaitForAnswers: Duration = .seconds(2)

    /// On quit: waits up to `quitWaitForAnswers` for actions still in flight, writing their
    /// audit entries here (this thread is the console's own, not the cooperative pool), then
    /// records the rest as `unknown`.
    private func finishActionsInFlight() {
        let deadline = ContinuousClock.now + Self.quitWaitForAnswers
        while !state.actionsInFlight.isEmpty, ContinuousClock.now < deadline {
            for message in inbox.drain() {
                for effect in ConsoleUpdate.update(&state, message) {
                    if case .audit(let entry) = effect { appendAudit(entry) }
                }
            }
            if !state.actionsInFlight.isEmpty { Thread.sleep(forTimeInterval: 0.02) }
        }
        for entry in ConsoleUpdate.unanswered(state) { appendAudit(entry) }
    }

    /// Writes `entry` to the audit log (this thread: on quit) and hands it to the recorder.
    private func appendAudit(_ entry: AuditEntry) {
        recorder?.record(entry)
        try? auditLog.append(entry)
    }

    private func apply(_ message: ConsoleMessage) {
        let effects = ConsoleUpdate.update(&state, message)
        var index = effects.startIndex
        while index < effects.endIndex {
            // A confirmed action comes as its `sent` entry, then the action: on disk first, so
            // that no answer (or a quit, or a crash) can come before it. This is the console's
            // own thread. Without a record the action is not sent, unless audit is optional.
            if case .audit(let entry) = effects[index], entry.outcome == .sent, index + 1 < effects.endIndex,
               case .perform(let action) = effects[index + 1] {
                recorder?.record(entry)
                do throws(AuditLog.Failure) {
                    try auditLog.append(entry)
                } catch {
                    if !auditOptional {
                        apply(.actionNotSent(action, auditError: error.description))
                        index += 2
                        continue
                    }
                    apply(.auditWritten(error: error.description))
                }
                index += 1
                continue
            }
            run(effects[index])
            index += 1
        }
    }

    /// What the last frame drawn showed: a state with the same inputs is not drawn again.
    private var lastFrame: FrameInputs?

    private func draw() {
        let state = self.state
        let inputs = FrameInputs(state)
        // After a resize the terminal has no previous frame: always draw then.
        guard inputs != lastFrame || terminal.previous == nil else { return }
        let characters = self.characters
        // Only the clock moved (ages ticking): redraw its cells over the last frame.
        if let lastFrame, inputs.differsOnlyInTime(from: lastFrame),
           terminal.redraw({ ConsoleView.renderTimeOnly(state, into: &$0, characters: characters, header: inputs.headerTimeDiffers(from: lastFrame)) }) != nil {
            self.lastFrame = inputs
            return
        }
        lastFrame = inputs
        terminal.draw { buffer in ConsoleView.render(state, into: &buffer, characters: characters) }
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        .nanoseconds(Int64(duration / .nanoseconds(1)))
    }

    private func run(_ effect: ConsoleEffect) {
        let inbox = self.inbox
        let auditLog = self.auditLog
        let eventJournal = self.eventJournal
        if replaySource != nil {
            runInReplay(effect)
            return
        }
        guard let dataSource, let pollStarter else { return }
        switch effect {
        case .quit:
            return
        case .copyToClipboard(let text):
            backend.copyToClipboard(text)
        case .poll(let id, let job, let workers, let startingAt):
            // The poll waits on its event loop, not here: this thread sleeps until the answer.
            let delay = Self.timeAmount(startingAt - (ContinuousClock.now - started))
            let startsAt = NIODeadline.now() + delay
            pollStarter.submit(.init(id: id, job: job, workers: workers, startsAt: startsAt, every: Self.timeAmount(state.refreshInterval)))
        case .cancelPoll:
            pollStarter.cancel()
        case .readOutput(let title, let uris):
            Task.detached { inbox.post(.outputLoaded(title: title, lines: await TaskOutput.lastLines(of: uris))) }
        case .track(let ids):
            Task.detached { inbox.post(.trackingChanged(await dataSource.track(jobs: ids))) }
        case .untrack(let ids):
            Task.detached { inbox.post(.trackingChanged(await dataSource.untrack(jobs: ids))) }
        case .audit(let entry):
            recorder?.record(entry)
            auditQueue.async {
                do throws(AuditLog.Failure) {
                    try auditLog.append(entry)
                    inbox.post(.auditWritten(error: nil))
                } catch {
                    inbox.post(.auditWritten(error: error.description))
                }
            }
        case .recordEvents(let events):
            Task.detached {
                // A journal that cannot be written leaves the events on screen only.
                if let error = await eventJournal.append(events) { inbox.post(.auditWritten(error: "events not saved: \(error)")) }
            }
        case .readAudit:
            auditQueue.async {
                do throws(AuditLog.Failure) {
                    inbox.post(.auditLoaded(path: auditLog.path, result: .success(try auditLog.read(last: 1000))))
                } catch {
                    inbox.post(.auditLoaded(path: auditLog.path, result: .failure(PollFailure(error.description))))
                }
            }
        case .perform(let action):
            Task.detached {
                do {
                    inbox.post(.actionFinished(action, result: .success(try await dataSource.perform(action))))
                } catch {
                    inbox.post(.actionFinished(action, result: .failure(PollFailure(describing: error))))
                }
            }
        case .dump(let path):
            dump(to: path)
        case .replaySeek:
            break  // a live console has nothing to seek
        }
    }

    /// A replay's effects: seeks, dumps, output and the clipboard; nothing that writes the audit
    /// log or the event journal, polls or acts (the past is read-only).
    private func runInReplay(_ effect: ConsoleEffect) {
        let inbox = self.inbox
        switch effect {
        case .replaySeek(let time):
            guard let source = replaySource else { return }
            replayQueue.async {
                do {
                    if let frame = try source.frame(at: time) {
                        inbox.post(.replayFrame(frame))
                    } else {
                        inbox.post(.replayFailed("the recording holds no poll"))
                    }
                } catch {
                    inbox.post(.replayFailed("\(error)"))
                }
            }
        case .dump(let path):
            dump(to: path)
        case .copyToClipboard(let text):
            backend.copyToClipboard(text)
        case .readOutput(let title, let uris):
            Task.detached { inbox.post(.outputLoaded(title: title, lines: await TaskOutput.lastLines(of: uris))) }
        case .poll, .cancelPoll, .perform, .track, .untrack, .audit, .recordEvents, .readAudit, .quit:
            break
        }
    }

    /// `:dump`: the text is made here (it renders the state), the file written on the audit
    /// queue's thread.
    private func dump(to path: String?) {
        let now = Date()
        let text = ConsoleDump.text(of: state, at: now)
        let target = path.map { NSString(string: $0).expandingTildeInPath } ?? ConsoleDump.defaultPath(pane: state.pane, at: now, directory: dumpDirectory)
        let inbox = self.inbox
        auditQueue.async {
            do {
                try ConsoleDump.write(text, to: target)
                inbox.post(.dumpWritten(path: target, error: nil))
            } catch {
                inbox.post(.dumpWritten(path: target, error: "\(error)"))
            }
        }
    }
}
