import AuditLog
import ConsoleApp
import Foundation
import HostEnvironment

/// How the recorder is doing, for the console to show: whether writes fail now, and what was
/// written, dropped and lost since it started.
public struct FlightRecorderStatus: Sendable, Hashable {
    /// Why the last chunk could not be written, while writes fail; nil once one succeeds.
    public var failure: String?
    /// When writes started failing, while they fail.
    public var failingSince: Date?
    /// The most recent write failure, kept after writes succeed again.
    public var lastError: String?
    /// Chunks that could not be written since the start.
    public var writeFailures = 0
    /// Polls and audit entries in chunks written and synced.
    public var recordsWritten = 0
    /// Records on the queue, waiting for the writer thread.
    public var recordsWaiting = 0
    /// Records dropped because `Configuration.queueCapacity` records were already waiting.
    public var recordsDropped = 0
    /// Polls and audit entries in chunks that could not be written.
    public var recordsLost = 0
    /// Bytes written to recording files, headers included.
    public var bytesWritten: Int64 = 0
    /// Hour files the retention deleted.
    public var filesDeleted = 0
    /// The file being written, if one is open.
    public var file: String?
    /// CPU time the writer thread has used (encoding, compressing, writing).
    public var writerCPUTime: Duration = .zero

    /// A status with nothing written yet.
    public init() {}
}

/// The console's flight recorder: every poll's snapshot and every audit entry, written to hourly
/// files of compressed chunks (docs/recording.md) that `RecordingReader` replays.
///
/// `record` returns at once: it puts the record on a queue of at most
/// `Configuration.queueCapacity` records, and a thread of the recorder's own (never Swift's
/// cooperative pool) encodes, compresses and writes. When the queue is full the record is
/// dropped and counted (`status.recordsDropped`), and a loss record in the stream says so.
/// A write error never stops it: see `status`.
public final class FlightRecorder: FlightRecording {
    /// The recorder's bounds and trade-offs; the defaults are the ones docs/recording.md justifies.
    public struct Configuration: Sendable, Hashable {
        /// A keyframe at least every this many polls (300: at 1 poll/s a seek decodes at most
        /// one keyframe and 299 deltas, under 200 ms for a 1,000-job cluster).
        public var keyframeInterval: Int
        /// A keyframe sooner once the deltas since the last one hold this many times its bytes
        /// (2): a busy cluster's seek decodes at most about three keyframes' worth (4 doubled
        /// the worst busy seek for 11% less disk).
        public var keyframeDeltaRatio: Int
        /// A chunk is written once it holds this many records (16), …
        public var chunkRecords: Int
        /// … once its first record is this old (15 s: what a kill -9 can lose), …
        public var chunkInterval: Duration
        /// … or once its records hold this many bytes before compression (1 MiB).
        public var chunkBytes: Int
        /// The most records waiting for the writer thread (128: two minutes of polls at 1/s
        /// while the disk stalls); more are dropped and counted.
        public var queueCapacity: Int
        /// zlib's level, 1 (fastest) … 9 (smallest) (6: zlib's default).
        public var compressionLevel: Int32
        /// How much recording to keep.
        public var retention: RecordingRetention

        /// The defaults, or what is given.
        public init(
            keyframeInterval: Int = 300, keyframeDeltaRatio: Int = 2, chunkRecords: Int = 16, chunkInterval: Duration = .seconds(15),
            chunkBytes: Int = 1 << 20, queueCapacity: Int = 128, compressionLevel: Int32 = 6, retention: RecordingRetention = RecordingRetention()
        ) {
            self.keyframeInterval = keyframeInterval
            self.keyframeDeltaRatio = keyframeDeltaRatio
            self.chunkRecords = chunkRecords
            self.chunkInterval = chunkInterval
            self.chunkBytes = chunkBytes
            self.queueCapacity = queueCapacity
            self.compressionLevel = compressionLevel
            self.retention = retention
        }
    }

    /// A record on its way to the writer thread, and when it was queued: its chunk closes
    /// `chunkInterval` after its first record was queued, however late the writer took it.
    private struct Queued {
        enum Record {
            case snapshot(ClusterSnapshot)
            case audit(AuditEntry, receivedAt: Date)
        }

        let record: Record
        let queuedAt: ContinuousClock.Instant
    }

    /// The queue and the status, shared with the writer thread (which must not keep the
    /// recorder alive, so that dropping the recorder stops it).
    private final class Shared: @unchecked Sendable {
        let condition = NSCondition()
        // Guarded by `condition`.
        var queue: [Queued] = []
        var droppedSinceTaken = 0
        var status = FlightRecorderStatus()
        var flushesRequested = 0
        var flushesDone = 0
        var stopping = false
        var finished = false
        /// When the oldest record on the queue was queued: the writer takes the queue at the
        /// latest `chunkInterval` after it.
        var queuedSince: ContinuousClock.Instant?
        /// The writer is woken by the first record on an empty queue (to set its deadline) and
        /// when this many records wait (a chunk's worth), not for each one: an idle console's
        /// poll then costs a lock and an append, and the writer wakes about twice a chunk. It
        /// takes a shorter queue by itself when `chunkInterval` has passed.
        let wakeBatch: Int
        let chunkInterval: Duration

        init(wakeBatch: Int, chunkInterval: Duration) {
            self.wakeBatch = wakeBatch
            self.chunkInterval = chunkInterval
        }

        func loop(session: RecordingSession) {
            session.start(now: Date())
            // The queue's buffer and this one swap places, so that taking a batch allocates nothing.
            var batch: [Queued] = []
            while true {
                condition.lock()
                while queue.count < wakeBatch, !stopping, flushesDone == flushesRequested {
                    let deadlines = [session.chunkDeadline, queuedSince.map { $0 + chunkInterval }].compactMap { $0 }
                    if let deadline = deadlines.min() {
                        let wait = ContinuousClock.now.duration(to: deadline)
                        if wait <= .zero { break }
                        _ = condition.wait(until: Date(timeIntervalSinceNow: wait / .seconds(1)))
                    } else {
                        condition.wait()
                    }
                }
                swap(&batch, &queue)
                queuedSince = nil
                let dropped = droppedSinceTaken
                droppedSinceTaken = 0
                let flushing = flushesRequested
                let stop = stopping
                condition.unlock()

                if dropped > 0 { session.noteDropped(dropped) }
                for queued in batch {
                    switch queued.record {
                    case .snapshot(let snapshot): session.add(snapshot, queuedAt: queued.queuedAt)
                    case .audit(let entry, let receivedAt): session.add(entry, receivedAt: receivedAt, queuedAt: queued.queuedAt)
                    }
                }
                batch.removeAll(keepingCapacity: true)
                if stop {
                    session.finish()
                } else if flushing > flushesDone {
                    session.closeChunk()
                } else {
                    session.closeChunkIfDue(at: .now)
                }
                let cpu = Self.threadCPUTime()
                condition.lock()
                let dropsSoFar = status.recordsDropped
                status = session.status
                status.recordsDropped = dropsSoFar
                status.writerCPUTime = cpu
                flushesDone = flushing
                if stop { finished = true }
                condition.broadcast()
                condition.unlock()
                if stop { return }
            }
        }

        /// This thread's CPU time so far.
        private static func threadCPUTime() -> Duration {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
        }
    }

    private let shared: Shared
    private let capacity: Int
    private let clock: @Sendable () -> Date

    /// `$XDG_STATE_HOME/scoot-console/recordings` (else `~/.local/state/scoot-console/recordings`).
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        HostEnvironment.stateDirectory(environment: environment) + "/recordings"
    }

    /// The time a recording keeps for `date`: to the nearest millisecond.
    public static func recordedTime(_ date: Date) -> Date {
        RecordingTime.date(RecordingTime.milliseconds(date))
    }

    /// Starts the writer thread for `directory` (created, mode 0700, when the first chunk is
    /// written). `clock` stamps audit entries as they are received (the time of their marks).
    public init(
        directory: String = FlightRecorder.defaultDirectory(), configuration: Configuration = Configuration(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        precondition(configuration.keyframeInterval >= 1 && configuration.keyframeDeltaRatio >= 1, "keyframes need a positive interval and ratio")
        precondition((1...60_000).contains(configuration.chunkRecords), "a chunk holds 1 to 60,000 records (its header counts in 16 bits)")
        precondition(configuration.chunkBytes >= 1 && configuration.chunkBytes <= RecordingFormat.maximumPayloadBytes / 2, "chunkBytes out of range")
        precondition(configuration.queueCapacity >= 1 && (1...9).contains(configuration.compressionLevel), "bad queue capacity or zlib level")
        let shared = Shared(wakeBatch: min(configuration.chunkRecords, configuration.queueCapacity), chunkInterval: configuration.chunkInterval)
        self.shared = shared
        capacity = configuration.queueCapacity
        self.clock = clock
        let thread = Thread { shared.loop(session: RecordingSession(directory: directory, configuration: configuration)) }
        thread.name = "flight-recorder"
        thread.start()
    }

    deinit {
        shared.condition.withLock {
            shared.stopping = true
            shared.condition.broadcast()
        }
    }

    /// How the recorder is doing now.
    public var status: FlightRecorderStatus {
        shared.condition.withLock {
            var status = shared.status
            status.recordsWaiting = shared.queue.count
            return status
        }
    }

    /// Queues a poll's snapshot; never waits (dropped and counted when the queue is full).
    public func record(_ snapshot: ClusterSnapshot) {
        enqueue(.snapshot(snapshot))
    }

    /// Queues an audit entry, stamped now; never waits (dropped and counted when the queue is full).
    public func record(_ entry: AuditEntry) {
        enqueue(.audit(entry, receivedAt: clock()))
    }

    /// Writes everything queued before it, the chunk being gathered included, and returns once it
    /// is on disk (or failed: see `status`). Blocks: call it from a thread of your own.
    public func flush() {
        shared.condition.lock()
        defer { shared.condition.unlock() }
        guard !shared.finished else { return }
        shared.flushesRequested += 1
        let awaited = shared.flushesRequested
        shared.condition.broadcast()
        while shared.flushesDone < awaited, !shared.finished { shared.condition.wait() }
    }

    /// Writes what is queued, closes the file and stops the writer thread; later records are
    /// ignored. Blocks until it is done: call it from a thread of your own.
    public func close() {
        shared.condition.lock()
        defer { shared.condition.unlock() }
        shared.stopping = true
        shared.condition.broadcast()
        while !shared.finished { shared.condition.wait() }
    }

    private func enqueue(_ record: Queued.Record) {
        let now = ContinuousClock.now
        shared.condition.lock()
        defer { shared.condition.unlock() }
        guard !shared.stopping else { return }
        if shared.queue.count < capacity {
            // The first record wakes the writer too: waiting without a deadline, it learns when
            // to take the queue (`chunkInterval` from now) only by looking at it.
            let first = shared.queue.isEmpty
            if first { shared.queuedSince = now }
            shared.queue.append(Queued(record: record, queuedAt: now))
            if first || shared.queue.count >= shared.wakeBatch { shared.condition.broadcast() }
        } else {
            shared.droppedSinceTaken += 1
            shared.status.recordsDropped += 1
        }
    }
}
