import Dispatch
import Foundation

/// The slow parts of the reliability suite run only under `make reliability`, which sets
/// `SCOOT_RELIABILITY=1`; `make test` runs the scaled-down parts and reports the rest as skipped.
enum Reliability {
    static let full = ProcessInfo.processInfo.environment["SCOOT_RELIABILITY"] == "1"
    static let fullOnly = "slow: runs under make reliability (SCOOT_RELIABILITY=1)"

    /// Prints a measured figure, for docs/reliability.md.
    static func figure(_ text: String) {
        print("reliability: \(text)")
    }

    /// Runs blocking work on a thread of its own, never on the cooperative pool the servers
    /// need. Not on a Dispatch queue either: on Linux those share libdispatch's worker threads
    /// with the cooperative pool, and long blocking work there starved the servers' tasks for
    /// seconds in the full run.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: work()) }
        }
    }

    /// Runs `work(0..<count)` on `count` threads of their own and waits for all of them.
    static func onThreads(_ count: Int, _ work: @escaping @Sendable (Int) -> Void) {
        let done = DispatchSemaphore(value: 0)
        for index in 0..<count {
            Thread.detachNewThread {
                work(index)
                done.signal()
            }
        }
        for _ in 0..<count { done.wait() }
    }

    /// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
    static func eventually(within seconds: Double, _ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }
}
