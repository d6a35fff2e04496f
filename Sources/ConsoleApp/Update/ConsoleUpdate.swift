import Foundation
import AuditLog
import SchedulerCore
import ScootAPI
import Thrift
import TUIKit

/// Messages: keys, ticks, poll results, action results, resizes.
public enum ConsoleMessage: Sendable {
    case key(Key)
    /// Time passed; `now` is the console's monotonic time.
    case tick(now: Duration)
    /// A poll ended; `id` pairs it with the poll that was started (late answers are ignored).
    case pollFinished(id: Int, result: Result<ClusterSnapshot, PollFailure>)
    /// An action ended with the server's answer or error, shown verbatim.
    case actionFinished(ConsoleAction, result: Result<String, PollFailure>)
    case resize(width: Int, height: Int)
    /// A task's output was read.
    case outputLoaded(title: String, lines: [String])
    /// The tracked jobs changed (`:track`, `:untrack`); the data source's words for it.
    case trackingChanged(String)
    /// An audit entry was appended, or could not be (`error`).
    case auditWritten(error: String?)
    /// A confirmed action was not sent: its audit entry could not be written first.
    case actionNotSent(ConsoleAction, auditError: String)
    /// The audit log at `path` was read.
    case auditLoaded(path: String, result: Result<AuditLog.Contents, PollFailure>)
    /// A replay's seek found this frame.
    case replayFrame(RecordedFrame)
    /// A replay's seek could not read the recording.
    case replayFailed(String)
    /// `:dump` wrote its file at `path`, or could not (`error`).
    case dumpWritten(path: String, error: String?)
    /// The flight recorder's problem changed: what is wrong now, or nil when it records again.
    case recordingProblem(String?)
}

/// Why a poll or an action failed, in words for the flash line.
public struct PollFailure: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }

    /// `error` in words: a transport failure briefly (`connection refused`, not NIO's internals),
    /// a gateway whose Scoot scheduler is down as just that, anything else — the server's own
    /// errors above all — verbatim.
    public init(describing error: any Error) {
        if let exception = error as? TApplicationException, let text = exception.message,
           let range = text.range(of: Self.upstreamDown) {
            message = String(text[range.lowerBound...])
            return
        }
        message = (error as? ThriftTransportError)?.briefReason ?? "\(error)"
    }

    /// How a gateway says its upstream scheduler is unreachable.
    static let upstreamDown = "the gateway cannot reach the Scoot scheduler"

    /// Whether `message` says the server answered but its own upstream is down.
    static func isUpstreamDown(_ message: String) -> Bool { message.hasPrefix(upstreamDown) }
}

/// Work for the runtime to do; results come back as messages.
public enum ConsoleEffect: Sendable, Hashable {
    /// Fetch a snapshot (with the tasks of `job`, if set, and the worker list if `workers`) at
    /// `startingAt` on the state's clock, replacing a poll handed over before that has not started.
    case poll(id: Int, job: String?, workers: Bool, startingAt: Duration)
    /// Drop the poll handed over that has not started (refresh paused).
    case cancelPoll
    /// Send an action to the scheduler.
    case perform(ConsoleAction)
    /// Read the last lines of a task's local output files.
    case readOutput(title: String, uris: [String])
    /// Follow / stop following job ids (a plain Scoot scheduler cannot list jobs).
    case track([String])
    case untrack([String])
    /// Append an entry to the audit log.
    case audit(AuditEntry)
    /// Append events to `events.jsonl`.
    case recordEvents([ConsoleEvent])
    /// Put text on the terminal's clipboard (OSC 52).
    case copyToClipboard(String)
    /// Read the audit log for the Audit pane.
    case readAudit
    /// Read the frame a replay shows at this moment (the last poll at or before it).
    case replaySeek(Date)
    /// Write the current pane (TSV and JSON) and the screen (text) to `path`, or to a new file
    /// in the dumps directory when nil.
    case dump(path: String?)
    case quit
}

/// The one place where console state changes: `update(&state, message)` returns the effects to run.
public enum ConsoleUpdate {
    /// The longest wait between polls after repeated errors.
    /// The longest wait between retries while disconnected: a scheduler that comes back is seen
    /// within 5 s (a 30 s cap took 25 s to reconnect after a restart).
    static let maxBackoff: Duration = .seconds(5)

    public static func update(_ state: inout ConsoleState, _ message: ConsoleMessage) -> [ConsoleEffect] {
        switch message {
        case .tick(let now):
            state.now = now
            if let flash = state.flash, flash.until <= now { state.flash = nil }
            state.thawOrderIfDue()
            if state.replay != nil { return state.replay!.advance(now: now).map { [.replaySeek($0)] } ?? [] }
            return pollIfDue(&state)
        case .pollFinished(let id, let result):
            guard id == state.pollRequestID else { return [] }
            state.pollInFlight = false
            switch result {
            case .success(let snapshot):
                // Rows never move under the cursor: the selection follows its row (`rebuild`).
                var events = ClusterEvents.changes(from: state.snapshot, to: snapshot, at: snapshot.observedAt)
                if case .disconnected(let error, _) = state.connection {
                    events.insert(ConsoleEvent(time: snapshot.observedAt, kind: .connection, text: "reconnected to \(state.endpoint) (it was: \(error))"), at: 0)
                }
                state.snapshot = snapshot
                state.loadHistory.record(snapshot)
                state.taskHistory.record(snapshot)
                state.snapshotAt = state.now
                state.connection = .connected
                state.consecutiveFailures = 0
                state.nextPollAt = state.now + state.refreshInterval
                state.events.append(events)
                let next = pollIfDue(&state)
                // A rebalance is news: it stopped someone's work. The scheduler's own action goes
                // in the audit log too, beside the operators'.
                if let rebalance = events.last(where: { $0.kind == .rebalance }) { flash(&state, rebalance.text + " (7: events)", error: true) }
                let audits: [ConsoleEffect] = events.filter { $0.kind == .rebalance }.map { event in
                    .audit(AuditEntry(
                        time: event.time, operatorName: "scheduler", endpoint: state.endpoint, source: .scheduler, action: .rebalance,
                        after: event.text, outcome: .ok))
                }
                return (events.isEmpty ? [] : [.recordEvents(events)] + audits) + next
            case .failure(let failure):
                // Stale data stays visible; retry with exponential back-off.
                state.consecutiveFailures += 1
                let exponent = min(state.consecutiveFailures - 1, 5)
                let wait = min(maxBackoff, state.refreshInterval * (1 << exponent))
                state.nextPollAt = state.now + wait
                let wasConnected = state.connection == .connected
                state.connection = .disconnected(error: failure.message, retryAt: state.nextPollAt)
                let retry = pollIfDue(&state)
                if wasConnected {
                    let event = ConsoleEvent(time: Date(), kind: .connection, text: "lost \(state.endpoint): \(failure.message)")
                    state.events.append([event])
                    return [.recordEvents([event])] + retry
                }
                return retry
            }
        case .actionFinished(let action, let result):
            let sent = state.actionsInFlight.firstIndex { $0.action == action }.map { state.actionsInFlight.remove(at: $0) }
            let entry: AuditEntry
            switch result {
            case .success(let text):
                flash(&state, text.isEmpty ? "done: \(action)" : text, error: false)
                entry = auditEntry(state, action, before: sent?.before, after: action.requestedValue ?? text, outcome: .ok)
            case .failure(let failure):
                flash(&state, "\(action) failed: \(failure.message)", error: true)
                entry = auditEntry(state, action, before: sent?.before, after: action.requestedValue, outcome: .error, error: failure.message)
            }
            state.nextPollAt = state.now
            let outcome = entry.outcome == .ok ? "done" : "failed: \(entry.error ?? "")"
            let event = ConsoleEvent(time: Date(), kind: .action, text: "\(action) — \(outcome)")
            state.events.append([event])
            return [.audit(entry), .recordEvents([event])] + pollIfDue(&state)
        case .actionNotSent(let action, let auditError):
            state.actionsInFlight.removeAll { $0.action == action }
            flash(&state, "\(action) was NOT sent: the audit log cannot be written (\(auditError)); fix it, or start with --audit-optional to act without a record", error: true)
            let event = ConsoleEvent(time: Date(), kind: .action, text: "\(action) — not sent: the audit log cannot be written")
            state.events.append([event])
            return [.recordEvents([event])]
        case .auditWritten(let error):
            // A failed write is shown, next to the action's own result, but blocks nothing.
            if let error {
                let note = "audit log not written: \(error)"
                flash(&state, state.flash.map { "\($0.text) · \(note)" } ?? note, error: true)
            }
            return [.readAudit]
        case .auditLoaded(let path, let result):
            state.audit.loaded = true
            state.audit.path = path
            switch result {
            case .success(let contents):
                state.audit.entries = contents.entries.reversed()
                state.audit.unreadableLines = contents.unreadableLines
                state.audit.error = nil
            case .failure(let failure):
                state.audit.error = failure.message
            }
            return []
        case .resize(let width, let height):
            state.screen = (width, height)
            if case .viewer(var viewer) = state.overlay {
                let (rows, visible) = ConsoleLayout.viewerRows(viewer, screen: state.screen)
                viewer.scroll.clamp(rowCount: rows.count, height: visible)
                state.overlay = .viewer(viewer)
            }
            return []
        case .replayFrame(let frame):
            guard var replay = state.replay else { return [] }
            // Events are what changed from one poll to the next: after a jump they start afresh.
            let stepped = replay.frameAt != nil && frame.previousPollAt == replay.frameAt
            if !stepped { state.events = EventLog() }
            let next = replay.arrived(frame)
            state.replay = replay
            let snapshot = Self.showingTasks(of: state.tasksOfJob, in: frame.snapshot)
            let events = stepped ? ClusterEvents.changes(from: state.snapshot, to: snapshot, at: snapshot.observedAt) : []
            state.snapshot = snapshot
            state.loadHistory.record(snapshot)
            state.snapshotAt = state.now
            state.connection = .connected
            state.events.append(events)
            state.audit.loaded = true
            state.audit.path = "the recording"
            state.audit.entries = frame.audit.reversed()
            state.audit.error = nil
            return next.map { [.replaySeek($0)] } ?? []
        case .replayFailed(let error):
            state.replay?.seekFailed()
            state.replay?.playing = false
            flash(&state, "cannot read the recording: \(error)", error: true)
            return []
        case .recordingProblem(let problem):
            state.recordingProblem = problem
            if let problem {
                flash(&state, problem, error: true)
            } else {
                flash(&state, "the flight recorder writes again", error: false)
            }
            return []
        case .dumpWritten(let path, let error):
            if let error {
                flash(&state, "dump not written: \(error)", error: true)
            } else {
                flash(&state, "dumped \(state.pane.title) (TSV, JSON) and the screen to \(path)", error: false)
            }
            return []
        case .trackingChanged(let text):
            flash(&state, text, error: false)
            state.nextPollAt = state.now
            return pollIfDue(&state)
        case .outputLoaded(let title, let lines):
            // Output opens at its end, as `tail` shows it.
            openViewer(&state, title: title, lines: lines.map { ViewportLine($0, role: $0.hasPrefix("── ") ? .header : .normal) }, atEnd: true)
            return []
        case .key(let key):
            if state.overlay != nil { return handleOverlayKey(&state, key) }
            guard let command = KeyTable.command(for: key, in: state.pane, readOnly: state.readOnly, replay: state.replay != nil) else {
                // A dangerous key in read-only mode says why it does nothing.
                if state.readOnly, let binding = KeyTable.bindings(in: state.pane, readOnly: false).first(where: { $0.keys.contains(key) && $0.dangerous }) {
                    let why = state.replay != nil ? "this is a replay: the past cannot be changed" : "the console was started with --read-only"
                    flash(&state, "read-only: \(binding.description) is not available (\(why))", error: true)
                }
                return []
            }
            return handle(&state, command, key: key)
        }
    }

    // MARK: Polling

    /// Hands the next poll to the runtime as soon as its start time is known, so that the console
    /// sleeps until its answer instead of waking to start it: the runtime starts it at
    /// `nextPollAt`. A poll handed over that has not started yet is replaced when `nextPollAt`
    /// moves (a key that wants data now, another pane) and dropped when refresh is paused; one
    /// that has started is never overlapped: its answer comes first.
    static func pollIfDue(_ state: inout ConsoleState) -> [ConsoleEffect] {
        guard state.replay == nil else { return [] }
        let waitingToStart = state.pollInFlight && state.pollStartsAt > state.now
        if state.paused {
            guard waitingToStart else { return [] }
            state.pollInFlight = false
            return [.cancelPoll]
        }
        guard !state.pollInFlight || (waitingToStart && state.nextPollAt != state.pollStartsAt) else { return [] }
        state.pollInFlight = true
        state.pollRequestID += 1
        state.pollStartsAt = max(state.now, state.nextPollAt)
        // The tasks of a job and the worker list are fetched only while their pane shows them.
        return [.poll(id: state.pollRequestID, job: state.pane == .tasks ? state.tasksOfJob : nil, workers: state.pane == .workers, startingAt: state.pollStartsAt)]
    }

    // MARK: Replay

    /// The keys that mean something else in a replay (play, step, jump, speed); nil for the others.
    static func handleReplay(_ state: inout ConsoleState, _ command: KeyCommand) -> [ConsoleEffect]? {
        guard var replay = state.replay else { return nil }
        var seek: Date?
        switch command {
        case .pause, .replayPlayPause:
            replay.playing.toggle()
            if replay.playing, replay.position >= replay.span.upperBound { seek = replay.move(to: replay.span.lowerBound) }
            flash(&state, replay.playing ? "playing at \(replay.speed)× (P pauses)" : "paused (P plays)", error: false)
        case .refreshFaster, .refreshSlower:
            replay.changeSpeed(faster: command == .refreshFaster)
            flash(&state, "replay at \(replay.speed)×", error: false)
        case .replayStepForward, .replayStepBack:
            replay.playing = false
            let target = command == .replayStepForward ? replay.nextPollAt : replay.previousPollAt
            guard let target else {
                flash(&state, command == .replayStepForward ? "at the last recorded poll" : "at the first recorded poll", error: false)
                state.replay = replay
                return []
            }
            seek = replay.move(to: target)
        case .replayForward, .replayBack, .replayForwardFar, .replayBackFar:
            let seconds: TimeInterval = [.replayForward: 60, .replayBack: -60, .replayForwardFar: 600, .replayBackFar: -600][command] ?? 0
            seek = replay.move(to: replay.position.addingTimeInterval(seconds))
        case .retryNow:
            flash(&state, "a replay does not poll: P plays, . and , step", error: false)
        default:
            return nil
        }
        state.replay = replay
        return seek.map { [.replaySeek($0)] } ?? []
    }

    /// A recorded snapshot as a replay shows it with `job`'s tasks open: the recording console
    /// had another job open (or none), but followed this one (it killed it), so its status and
    /// task list are in the snapshot's followed jobs.
    static func showingTasks(of job: String?, in recorded: ClusterSnapshot) -> ClusterSnapshot {
        guard let job, recorded.selectedJobStatus?.id != job, let status = recorded.followedJobStatuses[job] else { return recorded }
        var snapshot = recorded
        snapshot.selectedJobStatus = status
        snapshot.selectedJobTasks = recorded.followedJobTasks[job] ?? []
        return snapshot
    }

    /// `:goto TIME`: the replay jumps there.
    static func goTo(_ state: inout ConsoleState, _ text: String) -> [ConsoleEffect] {
        guard var replay = state.replay else {
            flash(&state, ":goto works in a replay (scoot-console replay); a live console shows now", error: true)
            return []
        }
        do {
            let time = try ReplayTime.parse(text, relativeTo: replay.position, timeZone: state.timeZone)
            if !replay.span.contains(time) { flash(&state, "\(text) is outside the recording: showing its \(time < replay.span.lowerBound ? "first" : "last") poll", error: false) }
            let seek = replay.move(to: time)
            state.replay = replay
            return seek.map { [.replaySeek($0)] } ?? []
        } catch {
            flash(&state, error.description, error: true)
            return []
        }
    }

    // MARK: Commands

    /// Runs `command`; `key` is the key that asked for it (a pane's number says which pane).
    static func handle(_ state: inout ConsoleState, _ command: KeyCommand, key: Key? = nil) -> [ConsoleEffect] {
        if state.replay != nil, let effects = handleReplay(&state, command) { return effects }
        let pane = state.pane
        switch command {
        case .moveUp: move(&state, by: -1)
        case .moveDown: move(&state, by: 1)
        case .pageUp, .pageDown:
            // A page is what the table shows at this size; the rows keep their place on screen.
            let height = state.visibleRows(of: pane)
            var table = state.tables[pane] ?? TableState()
            if command == .pageUp { table.pageUp(visibleHeight: height, rowCount: state.rowCount(in: pane)) } else {
                table.pageDown(visibleHeight: height, rowCount: state.rowCount(in: pane))
            }
            state.tables[pane] = table
            state.cursorMovedAt = state.now
            state.scrollToSelection(in: pane)
        case .top: moveTo(&state, row: 0)
        case .bottom: moveTo(&state, row: state.rowCount(in: pane) - 1)
        case .nextPane: state.pane = Pane(rawValue: pane.rawValue % Pane.allCases.count + 1)!
        case .previousPane: state.pane = Pane(rawValue: (pane.rawValue + Pane.allCases.count - 2) % Pane.allCases.count + 1)!
        case .showPane: if let target = key.flatMap(Pane.init(key:)) { state.pane = target }
        case .drillIn:
            if pane == .audit, !state.audit.entries.isEmpty {
                let entry = state.rows.audit[state.selection(in: .audit, count: state.rows.audit.count)].entry
                openViewer(&state, title: "audit entry", lines: AuditPane.detailLines(entry).map { ViewportLine($0) })
                return []
            }
            if pane == .tasks, let task = state.selectedTask {
                let uris = [task.run?.outUri, task.run?.errUri].compactMap { $0 }
                guard !uris.isEmpty else { flash(&state, "task \(task.id) has no output yet", error: true); return [] }
                return [.readOutput(title: "output of \(task.id)", uris: uris)]
            }
            if pane == .jobs, let job = state.selectedJob {
                state.tasksOfJob = job.id
                state.pane = .tasks
                state.tables[.tasks] = TableState()
                state.nextPollAt = state.now
                // A replay reads the frame again, for the tasks of this job if it has them.
                if var replay = state.replay {
                    let seek = replay.move(to: replay.position)
                    state.replay = replay
                    return seek.map { [.replaySeek($0)] } ?? []
                }
                return pollIfDue(&state)
            }
        case .back:
            if pane == .tasks {
                state.pane = .jobs
            } else if pane == .jobs, !state.jobFilter.isEmpty {
                state.jobFilter = ""
                flash(&state, "filter cleared", error: false)
            } else {
                state.marks.removeAll()
            }
        case .search:
            // A search starts empty: a new query, not the last one with more typed onto it.
            switch pane {
            case .tasks, .workers, .audit, .events:
                state.rowSearch = ""
                state.overlay = .search(text: TextInput())
            case .jobs, .classes, .settings:
                // Only jobs are filtered; elsewhere `/` goes to the Jobs pane's filter.
                state.pane = .jobs
                state.jobFilter = ""
                state.overlay = .search(text: TextInput())
            }
        case .nextMatch, .previousMatch: jumpToMatch(&state, forward: command == .nextMatch, fromCurrent: false)
        case .commandLine: state.overlay = .commandLine(text: TextInput(), error: nil)
        case .help: openViewer(&state, title: "Help — \(pane.title) (/ searches, esc closes)", lines: helpLines(pane: pane, readOnly: state.readOnly, replay: state.replay != nil))
        case .messages:
            let lines = state.flashHistory.messages.reversed().map {
                ViewportLine(LocalTime.text($0.time, in: state.timeZone) + "  " + $0.text, role: $0.isError ? .stateFailed : .normal)
            }
            openViewer(&state, title: "Messages, newest first (at most \(FlashHistory.capacity))", lines: lines.isEmpty ? [ViewportLine("no messages yet", role: .dim)] : lines)
        case .inspect:
            guard let details = RowDetails.lines(of: state, in: pane) else { flash(&state, "nothing selected to show", error: true); return [] }
            openViewer(&state, title: details.title, lines: details.lines.map { ViewportLine($0) })
        case .copyID:
            guard let id = RowDetails.id(of: state, in: pane) else { flash(&state, "nothing selected to copy", error: true); return [] }
            flash(&state, "copied \(id.noun) \(id.value) (to the terminal's clipboard, OSC 52)", error: false)
            return [.copyToClipboard(id.value)]
        case .mark:
            if let job = state.selectedJob {
                if state.marks.remove(job.id) == nil { state.marks.insert(job.id) }
                move(&state, by: 1)
            }
        case .pause:
            state.paused.toggle()
            flash(&state, state.paused ? "refresh paused (Z to resume)" : "refresh resumed", error: false)
            if !state.paused { state.nextPollAt = state.now }
            return pollIfDue(&state)
        case .sortMenu:
            guard let columns = PaneRows.sortColumns(of: pane), let sort = state.sort(of: pane) else { flash(&state, "nothing to sort here", error: true); return [] }
            state.overlay = .sortMenu(selected: columns.titles.firstIndex { $0.title == sort.column } ?? 0)
        case .sortReverse, .sortNext, .sortPrevious:
            guard let columns = PaneRows.sortColumns(of: pane), var sort = state.sort(of: pane) else { flash(&state, "nothing to sort here", error: true); return [] }
            if command == .sortReverse {
                sort.ascending.toggle()
            } else {
                let index = columns.titles.firstIndex { $0.title == sort.column } ?? 0
                let next = columns.titles[(index + (command == .sortNext ? 1 : columns.titles.count - 1)) % columns.titles.count].title
                sort = columns.picking(next, current: sort)
            }
            setSort(&state, sort, in: pane)
        case .retryNow:
            state.nextPollAt = state.now
            flash(&state, "polling now", error: false)
            return pollIfDue(&state)
        case .refreshFaster, .refreshSlower:
            // The next step from wherever `--refresh` put it; the ends stay put.
            let steps: [Duration] = [.milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10)]
            let current = state.refreshInterval
            let next = command == .refreshFaster ? steps.last { $0 < current } : steps.first { $0 > current }
            state.refreshInterval = next ?? current
            flash(&state, "refresh every \(state.refreshInterval.compactText)", error: false)
            // The poll waiting to start moves to the new pace (a back-off keeps its own).
            if state.connection == .connected, let snapshotAt = state.snapshotAt {
                state.nextPollAt = snapshotAt + state.refreshInterval
                return pollIfDue(&state)
            }
        case .quit: state.wantsQuit = true; return [.quit]
        case .replayPlayPause, .replayStepForward, .replayStepBack, .replayForward, .replayBack, .replayForwardFar, .replayBackFar:
            break  // bound only in a replay, where `handleReplay` runs them
        case .toggleTimeline, .timeEarlier, .timeLater, .zoomIn, .zoomOut, .zoomFit: TimelineKeys.handle(&state, command)
        case .killJob:
            let targets = state.marks.isEmpty ? state.selectedJob.map { [$0.id] } ?? [] : state.marks.sorted()
            guard !targets.isEmpty else { flash(&state, "no job selected", error: true); return [] }
            // The scheduler refuses to kill a finished job: say so instead of asking.
            let jobs = Dictionary((state.snapshot?.jobs ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            let live = targets.filter { jobs[$0]?.status != .completed && jobs[$0]?.status != .rolledBack }
            guard !live.isEmpty else {
                flash(&state, targets.count == 1 ? "job \(targets[0]) has finished: nothing to kill" : "the \(targets.count) marked jobs have finished: nothing to kill", error: true)
                return []
            }
            if live.count < targets.count { flash(&state, "\(targets.count - live.count) finished job(s) left out: nothing to kill there", error: false) }
            state.overlay = .confirm(.killJobs(live), confirmFocused: false)
        case .offlineWorker, .reinstateWorker:
            guard let worker = state.selectedWorker else { flash(&state, "no worker selected", error: true); return [] }
            if command == .offlineWorker, worker.state == .offline {
                flash(&state, "worker \(worker.id) is already offline (r reinstates it)", error: true)
                return []
            }
            if command == .reinstateWorker, worker.state != .offline {
                flash(&state, "worker \(worker.id) is not offline (\(worker.state.name.lowercased())): nothing to reinstate", error: true)
                return []
            }
            state.overlay = .confirm(command == .offlineWorker ? .offlineWorker(worker.id) : .reinstateWorker(worker.id), confirmFocused: false)
        case .editMaxTasks: state.overlay = .form(.maxTasks, text: TextInput(state.snapshot.map { String($0.schedulerStatus.maxTasks) } ?? ""), error: nil)
        case .editThreshold: state.overlay = .form(.threshold, text: TextInput(state.snapshot.map { String($0.settings.rebalanceThreshold) } ?? ""), error: nil)
        case .editDuration: state.overlay = .form(.duration, text: TextInput(state.snapshot.map { String($0.settings.rebalanceMinimumDuration) } ?? ""), error: nil)
        case .editPercents:
            let current = state.snapshot?.settings.classLoadPercents.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            state.overlay = .form(.percents, text: TextInput(current?.map { "\($0.key)=\($0.value)" }.joined(separator: ",") ?? ""), error: nil)
        case .editRequestorMap:
            let current = state.snapshot?.settings.requestorToClassMap.sorted { $0.key < $1.key }
            state.overlay = .form(.requestorMap, text: TextInput(current?.map { "\($0.key)=\($0.value)" }.joined(separator: ",") ?? ""), error: nil)
        }
        // The audit log is read again whenever its pane opens.
        if state.pane != pane, state.pane == .audit { return [.readAudit] }
        if state.pane != pane, state.pane == .workers || (state.pane == .tasks && state.tasksOfJob != nil) {
            // Tasks and workers are only polled while shown: fetch them now.
            state.nextPollAt = state.now
            return pollIfDue(&state)
        }
        return []
    }

    /// Moves the cursor to the next (or previous) row matching the search, wrapping around.
    /// In the Jobs pane every row matches the filter, so `n`/`N` step through them with wrap.
    /// `fromCurrent` also accepts the current row (search as you type); it is silent then.
    static func jumpToMatch(_ state: inout ConsoleState, forward: Bool, fromCurrent: Bool) {
        let pane = state.pane
        let count = state.rowCount(in: pane)
        let query = pane == .jobs ? "" : state.rowSearch.lowercased()
        guard pane == .jobs || !query.isEmpty else {
            if !fromCurrent { flash(&state, "nothing to search for: press / and type a search first", error: true) }
            return
        }
        guard count > 0 else { return }
        let start = state.selection(in: pane, count: count)
        for step in (fromCurrent ? 0 : 1)...count {
            let row = ((forward ? start + step : start - step) % count + count) % count
            guard query.isEmpty || state.searchableText(row: row, in: pane).lowercased().contains(query) else { continue }
            moveTo(&state, row: row)
            if !fromCurrent, forward ? row <= start : row >= start {
                flash(&state, "search wrapped to the \(forward ? "top" : "bottom")", error: false)
            }
            return
        }
        if !fromCurrent { flash(&state, "no row matches /\(state.rowSearch)", error: true) }
    }

    // MARK: Audit

    /// The audit log's entry for `action`, ended now with `outcome`.
    /// The entries for actions still unanswered when the console quits: their outcome is unknown.
    public static func unanswered(_ state: ConsoleState) -> [AuditEntry] {
        state.actionsInFlight.map { sent in
            auditEntry(state, sent.action, before: sent.before, after: sent.action.requestedValue, outcome: .unknown,
                       error: "the console quit before the scheduler answered; check whether it took effect")
        }
    }

    static func auditEntry(
        _ state: ConsoleState, _ action: ConsoleAction, before: String?, after: String?, outcome: AuditEntry.Outcome, error: String? = nil
    ) -> AuditEntry {
        AuditEntry(
            operatorName: state.operatorName, endpoint: state.endpoint, source: .console, action: action.auditAction,
            before: before, after: after, outcome: outcome, error: error)
    }

    /// The audit log's entry for an action refused in read-only mode: it was never sent.
    static func refusal(_ state: ConsoleState, _ action: ConsoleAction, before: String?) -> AuditEntry {
        auditEntry(state, action, before: before, after: action.requestedValue, outcome: .refused, error: "read-only mode: the console was started with --read-only")
    }

    /// Moves the cursor by `rows`; the viewport follows it only once it reaches an edge.
    static func move(_ state: inout ConsoleState, by rows: Int) {
        let count = state.rowCount(in: state.pane)
        moveTo(&state, row: state.selection(in: state.pane, count: count) + rows)
    }

    static func moveTo(_ state: inout ConsoleState, row: Int) {
        let pane = state.pane
        let count = state.rowCount(in: pane)
        state.tables[pane, default: TableState()].selected = count == 0 ? nil : max(0, min(count - 1, row))
        state.cursorMovedAt = state.now
        state.scrollToSelection(in: pane)
    }

    static func setSort(_ state: inout ConsoleState, _ sort: SortOrder, in pane: Pane) {
        state.cursorMovedAt = nil  // a sort asked for is applied at once
        state.sorts[pane] = sort
        flash(&state, "sorted by \(sort.column) \(sort.ascending ? "▲ ascending" : "▼ descending") (s picks a column, S reverses)", error: false)
    }

    /// Opens scrollable text, at its top (or its end).
    static func openViewer(_ state: inout ConsoleState, title: String, lines: [ViewportLine], atEnd: Bool = false) {
        var viewer = ConsoleState.Viewer(title: title, lines: lines)
        if atEnd {
            let (rows, height) = ConsoleLayout.viewerRows(viewer, screen: state.screen)
            viewer.scroll.toBottom(rowCount: rows.count, height: height)
        }
        state.overlay = .viewer(viewer)
    }

    /// The help screen's lines: the pane's keys, then the `:` commands.
    static func helpLines(pane: Pane, readOnly: Bool, replay: Bool = false) -> [ViewportLine] {
        var lines = KeyTable.bindings(in: pane, readOnly: readOnly, replay: replay).map { binding in
            let keys = binding.keys.map(\.description).joined(separator: " ")
            return ViewportLine(keys.padding(to: 14) + binding.description + (binding.dangerous ? "  (asks to confirm)" : ""))
        }
        lines += [ViewportLine(""), ViewportLine("Commands (:)", role: .header)] + CommandParser.usage.map { ViewportLine($0.0.padding(to: 30) + $0.1) }
        lines += [ViewportLine(""), ViewportLine("In this viewer: j/k ↑/↓ scroll, PgUp/PgDn page, g/G top/bottom, / search, n/N next/previous match", role: .dim)]
        return lines
    }

    static func flash(_ state: inout ConsoleState, _ text: String, error: Bool) {
        state.flash = ConsoleState.Flash(text: text, isError: error, until: state.now + .seconds(error ? 10 : 4))
    }

    // MARK: Overlays

    static func handleOverlayKey(_ state: inout ConsoleState, _ key: Key) -> [ConsoleEffect] {
        switch state.overlay {
        case .none: return []
        case .viewer(let viewer):
            handleViewerKey(&state, viewer, key)
            return []
        case .sortMenu(let selected):
            guard let sortColumns = PaneRows.sortColumns(of: state.pane), let current = state.sort(of: state.pane) else { state.overlay = nil; return [] }
            let columns = sortColumns.titles
            switch key {
            case .escape, .character("q"): state.overlay = nil
            case .up, .character("k"): state.overlay = .sortMenu(selected: max(0, selected - 1))
            case .down, .character("j"): state.overlay = .sortMenu(selected: min(columns.count - 1, selected + 1))
            case .enter:
                state.overlay = nil
                setSort(&state, sortColumns.picking(columns[selected].title, current: current), in: state.pane)
            case .character(let letter):
                guard let column = columns.first(where: { $0.key == letter }) else {
                    flash(&state, "no column on key \(letter): pick one of \(columns.map { String($0.key) }.joined(separator: " "))", error: true)
                    return []
                }
                state.overlay = nil
                setSort(&state, sortColumns.picking(column.title, current: current), in: state.pane)
            default: break
            }
            return []
        case .confirm(let action, let confirmFocused):
            switch key {
            case .up, .character("k"), .pageUp: state.dialogScroll -= key == .pageUp ? 10 : 1
            case .down, .character("j"), .pageDown:
                let lines = action.confirmationLines(in: state).count
                state.dialogScroll = min(max(0, lines - 1), state.dialogScroll + (key == .pageDown ? 10 : 1))
            case .escape, .character("n"):
                state.overlay = nil
                state.warningsAcknowledged = false
                flash(&state, "cancelled: \(action)", error: false)
            case .left, .right, .tab, .backTab:
                state.warningsAcknowledged = false
                state.overlay = .confirm(action, confirmFocused: !confirmFocused)
            case .enter:
                state.overlay = nil
                guard confirmFocused else { flash(&state, "cancelled: \(action)", error: false); return [] }
                // Legal but suspicious: a second enter, after reading the warnings, sends it.
                if !ConfirmWarnings.of(action, state: state).isEmpty, !state.warningsAcknowledged {
                    state.warningsAcknowledged = true
                    state.overlay = .confirm(action, confirmFocused: true)
                    flash(&state, "check the warnings: enter again sends it, esc cancels", error: true)
                    return []
                }
                state.warningsAcknowledged = false
                let before = action.currentValue(in: state.snapshot)
                guard !state.readOnly else {
                    flash(&state, "read-only: \(action) not sent", error: true)
                    return [.audit(refusal(state, action, before: before))]
                }
                if case .killJobs = action { state.marks.removeAll() }
                flash(&state, "sending: \(action)…", error: false)
                state.actionsInFlight.append(SentAction(action: action, before: before))
                // On record before it is sent: a quit or a crash cannot lose it.
                return [.audit(auditEntry(state, action, before: before, after: action.requestedValue, outcome: .sent)), .perform(action)]
            default: break
            }
            return []
        case .form(let form, var input, _):
            switch key {
            case .escape: state.overlay = nil
            case .enter:
                switch validate(form, input.text, snapshot: state.snapshot) {
                case .success(let action): state.overlay = .confirm(action, confirmFocused: false)
                case .failure(let error): state.overlay = .form(form, text: input, error: error.description)
                }
            default:
                guard input.handle(key) else { return [] }
                // Validate as you type.
                let error: String? = if case .failure(let failure) = validate(form, input.text, snapshot: state.snapshot) { failure.description } else { nil }
                state.overlay = .form(form, text: input, error: error)
            }
            return []
        case .commandLine(var input, _):
            switch key {
            case .escape:
                state.commandHistory.reset()
                state.overlay = nil
            case .up, .down:
                // The shell's history: ↑ older, ↓ newer, and past the newest what was being typed.
                let recalled = key == .up ? state.commandHistory.older(than: input.text) : state.commandHistory.newer()
                if let recalled { input.replace(with: recalled) }
                state.overlay = .commandLine(text: input, error: nil)
            case .enter:
                state.commandHistory.record(input.text)
                return runCommandLine(&state, input)
            default:
                guard input.handle(key) else { return [] }
                state.overlay = .commandLine(text: input, error: nil)
            }
            return []
        case .search(var input):
            guard state.pane == .jobs else {
                switch key {
                case .escape: state.overlay = nil
                case .enter:
                    state.overlay = nil
                    let text = input.text
                    if !text.isEmpty, !(0..<state.rowCount(in: state.pane)).contains(where: {
                        state.searchableText(row: $0, in: state.pane).lowercased().contains(text.lowercased())
                    }) {
                        flash(&state, "no row matches /\(text)", error: true)
                    }
                default:
                    // Search as you type: the cursor goes to the first match from where it is.
                    guard input.handle(key) else { return [] }
                    state.overlay = .search(text: input)
                    state.rowSearch = input.text
                    jumpToMatch(&state, forward: true, fromCurrent: true)
                }
                return []
            }
            switch key {
            case .escape: state.overlay = nil; state.jobFilter = ""  // Esc clears the filter
            case .enter: state.overlay = nil; state.jobFilter = input.text; moveTo(&state, row: 0)
            default:
                guard input.handle(key) else { return [] }
                state.overlay = .search(text: input)
                state.jobFilter = input.text
            }
            return []
        }
    }

    /// Keys in a scrollable overlay: scrolling, `/` search with `n`/`N`, esc or q to close.
    static func handleViewerKey(_ state: inout ConsoleState, _ viewer: ConsoleState.Viewer, _ key: Key) {
        var viewer = viewer
        let (rows, height) = ConsoleLayout.viewerRows(viewer, screen: state.screen)
        if var search = viewer.search {
            switch key {
            case .escape:
                viewer.search = nil
                viewer.scroll.query = ""
            case .enter:
                viewer.search = nil
                if !search.isEmpty, !viewer.scroll.jump(toMatchOf: search.text, in: rows, forward: true, includingCurrent: true, height: height) {
                    flash(&state, "no line matches /\(search.text)", error: true)
                }
            default:
                guard search.handle(key) else { return }
                viewer.search = search
                viewer.scroll.matchRow = nil
                // Search as you type, from the top of the view.
                _ = viewer.scroll.jump(toMatchOf: search.text, in: rows, forward: true, includingCurrent: true, height: height)
            }
            state.overlay = .viewer(viewer)
            return
        }
        switch key {
        case .escape, .character("q"), .character("?"), .enter: state.overlay = nil; return
        case .down, .character("j"): viewer.scroll.scroll(by: 1, rowCount: rows.count, height: height)
        case .up, .character("k"): viewer.scroll.scroll(by: -1, rowCount: rows.count, height: height)
        case .pageDown, .control("f"), .character(" "): viewer.scroll.scroll(by: height, rowCount: rows.count, height: height)
        case .pageUp, .control("b"): viewer.scroll.scroll(by: -height, rowCount: rows.count, height: height)
        case .home, .character("g"): viewer.scroll.offset = 0
        case .end, .character("G"): viewer.scroll.toBottom(rowCount: rows.count, height: height)
        case .character("/"):
            viewer.search = TextInput()
            viewer.scroll.matchRow = nil
        case .character("n"), .character("N"):
            guard !viewer.scroll.query.isEmpty else { flash(&state, "nothing to search for: press / and type a search first", error: true); return }
            if !viewer.scroll.jump(toMatchOf: viewer.scroll.query, in: rows, forward: key == .character("n"), includingCurrent: false, height: height) {
                flash(&state, "no line matches /\(viewer.scroll.query)", error: true)
            }
        default: return
        }
        state.overlay = .viewer(viewer)
    }

    /// Runs the command line's text: a command, or the text back with the parse error.
    static func runCommandLine(_ state: inout ConsoleState, _ input: TextInput) -> [ConsoleEffect] {
        do {
            let command = try CommandParser.parse(input.text)
            switch command {
            case .quit: state.overlay = nil; state.wantsQuit = true; return [.quit]
            case .help: _ = handle(&state, .help)
            case .filter(let filter): state.overlay = nil; state.jobFilter = filter; state.pane = .jobs
            case .audit: state.overlay = nil; state.pane = .audit; return [.readAudit]
            case .events: state.overlay = nil; state.pane = .events
            case .messages: state.overlay = nil; _ = handle(&state, .messages)
            case .sort(let column, let ascending):
                state.overlay = nil
                guard let sortColumns = PaneRows.sortColumns(of: state.pane), let current = state.sort(of: state.pane) else {
                    flash(&state, "nothing to sort on the \(state.pane.title) pane", error: true)
                    return []
                }
                let columns = sortColumns.titles
                guard let title = columns.first(where: { $0.title.lowercased().hasPrefix(column.lowercased()) })?.title else {
                    state.overlay = .commandLine(text: input, error: "no column \(column) here: \(columns.map(\.title).joined(separator: ", "))")
                    return []
                }
                var sort = sortColumns.picking(title, current: current)
                if let ascending { sort = SortOrder(column: title, ascending: ascending) }
                setSort(&state, sort, in: state.pane)
            case .goTo(let time): state.overlay = nil; return goTo(&state, time)
            case .dump(let path): state.overlay = nil; return [.dump(path: path)]
            case .track(let ids): state.overlay = nil; return [.track(ids)]
            case .untrack(let ids): state.overlay = nil; return [.untrack(ids)]
            case .action, .editPercents, .editRequestorMap:
                guard let action = try resolve(command, snapshot: state.snapshot) else { return [] }
                guard !state.readOnly else {
                    guard state.replay == nil else {
                        state.overlay = .commandLine(text: input, error: "this is a replay: \(action) is not available (the past cannot be changed)")
                        return []
                    }
                    state.overlay = .commandLine(text: input, error: "read-only: \(action) is not available")
                    return [.audit(refusal(state, action, before: action.currentValue(in: state.snapshot)))]
                }
                state.overlay = .confirm(action, confirmFocused: false)
            }
        } catch {
            state.overlay = .commandLine(text: input, error: error.description)
        }
        return []
    }

    /// A parsed command as the action to confirm, nil for a command that is not one. Settings
    /// edits are applied to the settings the console last read: a merge keeps every entry it does
    /// not name, and names a class or pattern that does not exist only to say which ones do.
    static func resolve(_ command: CommandParser.Command, snapshot: ClusterSnapshot?) throws(CommandParser.ParseError) -> ConsoleAction? {
        switch command {
        case .action(let action): return action
        case .editPercents(let edit):
            guard let settings = snapshot?.settings else { throw .init(description: "the settings are not read yet; wait for the first poll") }
            let percents: [String: Int32]
            do {
                percents = try edit.applied(to: settings.classLoadPercents, noun: "class", plural: "classes")
                try ClassLoadPercents.validate(percents.mapValues(Int.init))
            } catch let refusal as SettingsEdit<Int32>.Refusal {
                throw .init(description: refusal.description)
            } catch {
                throw .init(description: "\(error)")
            }
            return .setClassLoadPercents(percents)
        case .editRequestorMap(let edit):
            guard let settings = snapshot?.settings else { throw .init(description: "the settings are not read yet; wait for the first poll") }
            do throws(SettingsEdit<String>.Refusal) {
                return .setRequestorToClassMap(try edit.appliedMap(to: settings.requestorToClassMap, classes: Set(settings.classLoadPercents.keys)))
            } catch {
                throw .init(description: error.description)
            }
        default: return nil
        }
    }

    /// A form's text as the action it asks for, or why it cannot be sent. The percents and map
    /// forms hold the whole table, so their text replaces it.
    static func validate(_ form: ConsoleState.Form, _ text: String, snapshot: ClusterSnapshot?) -> Result<ConsoleAction, CommandParser.ParseError> {
        let command: String = switch form {
        case .maxTasks: "maxtasks"
        case .threshold: "threshold"
        case .duration: "duration"
        case .percents: "percents"
        case .requestorMap: "map"
        }
        let argumentText = form == .percents || form == .requestorMap ? "=" + text : text
        do {
            guard let action = try resolve(try CommandParser.parse(command: command, argumentText: argumentText), snapshot: snapshot) else {
                return .failure(.init(description: "not an action"))
            }
            return .success(action)
        } catch {
            return .failure(error)
        }
    }
}
