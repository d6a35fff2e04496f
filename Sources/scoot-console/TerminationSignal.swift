import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Waiting for SIGINT or SIGTERM, so that servers can stop gracefully.
enum TerminationSignal {
    /// Suspends until the process receives SIGINT or SIGTERM.
    static func wait() async {
        let latch = Latch()
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { latch.open() }
            source.resume()
            return source
        }
        await latch.wait()
        for source in sources { source.cancel() }
    }

    /// Opens once; `wait()` returns as soon as it is open.
    private final class Latch: Sendable {
        private let state = Mutex<(isOpen: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

        func open() {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.isOpen = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }

        func wait() async {
            await withCheckedContinuation { continuation in
                let alreadyOpen = state.withLock { state -> Bool in
                    if !state.isOpen { state.waiter = continuation }
                    return state.isOpen
                }
                if alreadyOpen { continuation.resume() }
            }
        }
    }
}
