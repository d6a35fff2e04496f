import Dispatch
import Synchronization
import TUIKit

/// Runs the console: one thread owns the terminal and the state; polls and actions run in tasks
/// and post their results back as messages, so key input is never blocked by the network.
public final class ConsoleRuntime {
    private let terminal: Terminal
    private let backend: any Backend
    private let dataSource: ThriftDataSource
    private let inbox = Inbox()
    private let characters: BoxCharacters
    private let started = ContinuousClock.now
    private var needsDraw = true
    /// The state, readable by tests after `run` returns.
    public private(set) var state: ConsoleState

    /// Messages posted by tasks for the UI thread.
    private final class Inbox: Sendable {
        private let messages = Mutex<[ConsoleMessage]>([])
        func post(_ message: ConsoleMessage) { messages.withLock { $0.append(message) } }
        func drain() -> [ConsoleMessage] { messages.withLock { messages in defer { messages.removeAll() }; return messages } }
    }

    /// A runtime drawing on `backend` with data from `dataSource`.
    public init(backend: any Backend, dataSource: ThriftDataSource, state: ConsoleState, characters: BoxCharacters = .unicode) {
        self.backend = backend
        self.terminal = Terminal(backend: backend)
        self.dataSource = dataSource
        self.state = state
        self.characters = characters
    }

    /// Runs until the user quits (or `until` says stop, for tests).
    /// `tickMs` is the longest wait for a key before the state is ticked (posted results are
    /// picked up then too).
    public func run(tickMs: Int = 250, until shouldStop: (ConsoleState) -> Bool = { _ in false }) {
        draw()
        while !state.wantsQuit, !shouldStop(state) {
            if let event = backend.nextEvent(timeoutMs: tickMs) {
                needsDraw = true
                switch event {
                case .key(let key): apply(.key(key))
                case .resize(let width, let height):
                    terminal.resize()
                    apply(.resize(width: width, height: height))
                }
            }
            for message in inbox.drain() {
                needsDraw = true
                apply(message)
            }
            let before = state
            apply(.tick(now: ContinuousClock.now - started))
            if state.differsOnScreen(from: before) || needsDraw { draw() }
            needsDraw = false
        }
    }

    private func apply(_ message: ConsoleMessage) {
        for effect in ConsoleUpdate.update(&state, message) { run(effect) }
    }

    private func draw() {
        let state = self.state
        let characters = self.characters
        terminal.draw { buffer in ConsoleView.render(state, into: &buffer, characters: characters) }
    }

    private func run(_ effect: ConsoleEffect) {
        let inbox = self.inbox
        let dataSource = self.dataSource
        switch effect {
        case .quit:
            return
        case .poll(let id, let job):
            Task.detached {
                do {
                    inbox.post(.pollFinished(id: id, result: .success(try await dataSource.fetch(selectedJob: job))))
                } catch {
                    inbox.post(.pollFinished(id: id, result: .failure(PollFailure("\(error)"))))
                }
            }
        case .readOutput(let title, let uris):
            Task.detached { inbox.post(.outputLoaded(title: title, lines: TaskOutput.lastLines(of: uris))) }
        case .perform(let action):
            Task.detached {
                do {
                    inbox.post(.actionFinished(action, result: .success(try await dataSource.perform(action))))
                } catch {
                    inbox.post(.actionFinished(action, result: .failure(PollFailure("\(error)"))))
                }
            }
        }
    }
}
