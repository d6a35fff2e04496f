import CHeap
import Foundation
import Synchronization

/// Gives the C heap's free memory back to the kernel, so that RSS follows the data `serve` holds
/// rather than its largest request so far.
///
/// glibc keeps freed memory for reuse: after a 100,000-task RunJob (a 7 MB request decoded, its
/// 30 MB journal text written, the job's record built), about 80 MB stay resident though free.
/// `configureHeap()` caps the number of malloc arenas (glibc makes up to 8 per core, each keeping
/// its own free memory) and leaves giving memory back to the trimmer: glibc's own give-back on
/// free starts only above `threshold` (by default, freeing a 144 KB array gave the top of the heap
/// back and the next request of that size faulted it in again: decoding a 1,000-task JobStatus
/// took 320–650 µs that way, 250–265 µs without). A thread of its own then checks the heap every
/// `interval` and calls `malloc_trim` when more than `threshold` bytes are free. The check (`mallinfo2`) takes
/// microseconds; a trim of a 100 MB heap a few milliseconds, during which the arena being
/// trimmed is locked (docs/operations.md, "Memory").
public final class HeapTrimmer: Sendable {
    /// How often the heap is looked at.
    public static let interval: Duration = .seconds(1)
    /// Free heap bytes above which memory is given back.
    public static let threshold = 4 << 20

    private let stopped = Mutex(false)
    private let trims = Atomic<Int>(0)

    /// Caps glibc's malloc arenas at two (one per core here) and makes glibc keep up to
    /// `threshold` bytes of freed memory for reuse; call before threads start.
    public static func configureHeap() {
        _ = cheap_limit_arenas(2)
        _ = cheap_keep_freed(threshold)
    }

    /// Starts the trimming thread.
    public init() {
        Thread.detachNewThread { [self] in
            while !stopped.withLock({ $0 }) {
                Thread.sleep(forTimeInterval: Double(Self.interval.components.seconds))
                trimIfWorthIt()
            }
        }
    }

    /// Trims already made.
    public var trimCount: Int { trims.load(ordering: .relaxed) }

    /// Ends the thread within one interval.
    public func stop() {
        stopped.withLock { $0 = true }
    }

    /// Trims when the heap holds more than `threshold` free bytes; whether it did.
    @discardableResult
    func trimIfWorthIt() -> Bool {
        guard cheap_free_bytes() > Self.threshold else { return false }
        _ = cheap_trim()
        trims.add(1, ordering: .relaxed)
        return true
    }
}
