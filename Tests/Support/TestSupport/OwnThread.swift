import Foundation

/// Runs `body` on a thread of its own and returns its result. For tests that compute for
/// seconds (the pool has one thread per core: two here, and a long synchronous test holds one
/// from every test waiting on a timer or a socket), and for tests whose timing must not depend
/// on when the cooperative pool, busy with the other tests, gets round to them.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
