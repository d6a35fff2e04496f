import Foundation

/// Runs `body` on a thread of its own and returns its result: for a test whose timing must not
/// depend on when the cooperative pool, busy with the other tests, gets round to it (a steady
/// rate of calls, a wall-clock deadline). Keep `#expect` out of `body`: an issue recorded off the
/// test's task is not attributed to the test.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
