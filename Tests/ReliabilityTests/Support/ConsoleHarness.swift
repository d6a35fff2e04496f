import ConsoleApp
import Foundation
import Synchronization
import TUIKit
import Thrift

/// Runs the real `ConsoleRuntime` on its own thread in real time, drawing into a test screen,
/// and publishes the state and the screen for the test to watch.
final class ConsoleHarness: Sendable {
    /// A backend that types its scripted keys, then waits as an idle terminal does, and publishes each frame.
    private final class PacedBackend: Backend {
        private let screen = TestBackend(width: 120, height: 40)
        private let published: Screen
        private var keys: [Key]
        /// Whether the keys may be typed yet.
        private let ready: () -> Bool

        init(published: Screen, keys: [Key], ready: @escaping () -> Bool) {
            self.published = published
            self.keys = keys
            self.ready = ready
        }

        var size: (width: Int, height: Int) { screen.size }
        func draw(_ changes: [CellChange]) { screen.draw(changes) }
        func clear() { screen.clear() }
        func copyToClipboard(_ text: String) { screen.copyToClipboard(text) }

        func flush() {
            screen.flush()
            let lines = screen.lines
            published.lines.withLock { $0 = lines }
        }

        func nextEvent(timeoutMs: Int) -> TerminalEvent? {
            if !keys.isEmpty, ready() { return .key(keys.removeFirst()) }
            usleep(UInt32(timeoutMs * 1000))
            return nil
        }
    }

    /// The last frame drawn, line by line.
    private final class Screen: Sendable {
        let lines = Mutex<[String]>([])
    }

    private let lines = Screen()
    private let latest: Mutex<ConsoleState>
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the console on `source` from `state`; `keys` are typed first, one per wait — with
    /// `afterFirstPoll`, only once the first poll's data is in (as a person would, on a loaded
    /// machine where that poll can take a while).
    init(source: ThriftDataSource, state: ConsoleState, keys: [Key] = [], afterFirstPoll: Bool = false) {
        latest = Mutex(state)
        Thread.detachNewThread { [self] in
            let ready = { [self] in !afterFirstPoll || self.state.snapshot != nil }
            let backend = PacedBackend(published: lines, keys: keys, ready: ready)
            let runtime = ConsoleRuntime(backend: backend, dataSource: source, state: state, characters: .unicode)
            runtime.run(tickMs: 50) { state in
                latest.withLock { $0 = state }
                return stopRequested.load(ordering: .relaxed)
            }
            finished.signal()
        }
    }

    var state: ConsoleState { latest.withLock { $0 } }
    var screen: [String] { lines.lines.withLock { $0 } }

    /// The header's connection banner, if the screen shows one.
    var showsDisconnectedBanner: Bool { screen.contains { $0.contains("DISCONNECTED, retry in") } }

    /// Waits until `condition` holds for the console's state (up to `seconds`).
    func waitFor(_ seconds: Double, _ condition: @escaping (ConsoleState) -> Bool) async -> Bool {
        await Reliability.eventually(within: seconds) { condition(state) }
    }

    /// Stops the console and waits for its thread.
    func stop() async {
        stopRequested.store(true, ordering: .relaxed)
        let finished = self.finished
        await Reliability.offPool { finished.wait() }
    }
}

/// A `ThriftCaller` that counts calls in flight: more than one at a time would mean overlapping polls.
final class ConcurrencyProbe: ThriftCaller {
    private let inner: any ThriftCaller
    private let counts = Mutex((inFlight: 0, maximum: 0, calls: 0))

    init(_ inner: any ThriftCaller) { self.inner = inner }

    var maximumInFlight: Int { counts.withLock { $0.maximum } }
    var calls: Int { counts.withLock { $0.calls } }

    func call<Arguments: ThriftStruct, Result: ThriftStruct>(
        method: String, arguments: Arguments, resultType: Result.Type
    ) async throws -> Result {
        counts.withLock { counts in
            counts.inFlight += 1
            counts.calls += 1
            counts.maximum = max(counts.maximum, counts.inFlight)
        }
        defer { counts.withLock { $0.inFlight -= 1 } }
        return try await inner.call(method: method, arguments: arguments, resultType: resultType)
    }
}
