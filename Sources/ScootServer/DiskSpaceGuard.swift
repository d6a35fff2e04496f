import Foundation
import Glibc
import Logging
import SchedulerCore

/// How much free space `serve` keeps on its data directory's file system (`--disk-reserve`).
public enum DiskReserve: Sendable, Hashable, CustomStringConvertible {
    /// The smaller of 1 GiB and 5 % of the file system's size: 1 GiB on any disk of 20 GiB or
    /// more, a twentieth of smaller ones (so a small disk is not reserved whole).
    case standard
    /// This many bytes; 0 turns the reserve off.
    case bytes(UInt64)
    /// This percentage of the file system's size.
    case percent(Double)

    /// `2G`, `512MiB` (see `ByteCount.parse`), `10%`, `0`; nil for anything else or a
    /// percentage outside 0…100.
    public init?(parsing text: String) {
        if text.hasSuffix("%") {
            guard let percent = Double(text.dropLast()), percent.isFinite, (0...100).contains(percent) else { return nil }
            self = .percent(percent)
        } else {
            guard let bytes = ByteCount.parse(text) else { return nil }
            self = .bytes(bytes)
        }
    }

    /// The reserve in bytes on a file system of `size` bytes.
    public func bytes(ofFileSystemSize size: UInt64) -> UInt64 {
        switch self {
        case .standard: min(1 << 30, size / 20)
        case .bytes(let bytes): bytes
        case .percent(let percent): UInt64((Double(size) * percent / 100).rounded(.up))
        }
    }

    public var description: String {
        switch self {
        case .standard: "the smaller of 1 GiB and 5 %"
        case .bytes(let bytes): ByteCount.text(bytes)
        case .percent(let percent): percent == percent.rounded() ? "\(Int(percent)) %" : "\(percent) %"
        }
    }
}

/// Refuses RunJob while the data directory's file system has less free space than the reserve,
/// so that a full disk (a task writing without end, other programs) turns into a clear refusal
/// before the job log can no longer be written. `SchedulerService` asks it before every RunJob.
///
/// Free space is what an unprivileged process may still use (`statvfs`'s `f_bavail`). It is
/// measured on a thread of its own (a `statvfs` on a hung network file system blocks), at most
/// once per `refreshInterval`: concurrent RunJobs share one measurement. When it cannot be
/// measured, RunJob is not refused for it. Refusals are logged at warning with the figures, at
/// most once per `logInterval`, and the return above the reserve once at notice.
public actor DiskSpaceGuard {
    /// A measurement of the file system.
    private enum Measurement {
        case space(available: UInt64, size: UInt64)
        case failed(errno: Int32)
    }

    /// How long a measurement is reused.
    public static let refreshInterval = Duration.seconds(1)
    /// The shortest time between two log lines about the same condition.
    public static let logInterval = Duration.seconds(60)

    /// The directory whose file system is watched.
    public let directory: URL
    /// The free space kept.
    public let reserve: DiskReserve
    /// What the refusal suggests as `retryAfterMs`.
    public let retryAfter: Duration
    private let logger: Logger
    private let clock = ContinuousClock()
    private var lastMeasurement: (at: ContinuousClock.Instant, measurement: Measurement)?
    private var measurementInProgress: Task<Measurement, Never>?
    private var isRefusing = false
    private var lastLogged: ContinuousClock.Instant?

    /// Watches `directory`'s file system for `reserve`.
    public init(directory: URL, reserve: DiskReserve, retryAfter: Duration, logger: Logger) {
        self.directory = directory
        self.reserve = reserve
        self.retryAfter = retryAfter
        self.logger = logger
    }

    /// The `canNotScheduleNow` error RunJob answers while free space is below the reserve, with
    /// the figures as its reason; nil when RunJob may go ahead.
    public func refusal() async -> SchedulerError? {
        guard reserve != .bytes(0) else { return nil }
        switch await measurement() {
        case .failed(let code):
            logAtMostEveryInterval(.warning, "cannot measure the free space of \(directory.path): \(String(cString: strerror(code))); RunJob is not refused for it")
            return nil
        case .space(let available, let size):
            let threshold = reserve.bytes(ofFileSystemSize: size)
            guard available < threshold else {
                if isRefusing {
                    isRefusing = false
                    lastLogged = nil
                    logger.notice("RunJob admitted again: \(ByteCount.text(available)) free on the file system of \(directory.path), reserve \(ByteCount.text(threshold))")
                }
                return nil
            }
            let reason = """
                only \(ByteCount.text(available)) free of \(ByteCount.text(size)) on the file system of \(directory.path), \
                below the reserve of \(ByteCount.text(threshold)) (--disk-reserve: \(reserve)); free space to admit jobs again
                """
            if !isRefusing { lastLogged = nil }
            isRefusing = true
            logAtMostEveryInterval(.warning, "refusing RunJob: \(reason)")
            return .canNotScheduleNow(retryAfterMs: Int((retryAfter / .milliseconds(1)).rounded()), reason: reason)
        }
    }

    private func logAtMostEveryInterval(_ level: Logger.Level, _ message: String) {
        let now = clock.now
        if let lastLogged, now - lastLogged < Self.logInterval { return }
        lastLogged = now
        logger.log(level: level, "\(message)")
    }

    /// The latest measurement, taken anew when older than `refreshInterval`.
    private func measurement() async -> Measurement {
        if let lastMeasurement, clock.now - lastMeasurement.at < Self.refreshInterval { return lastMeasurement.measurement }
        if let measurementInProgress { return await measurementInProgress.value }
        let path = directory.path
        let task = Task {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: Self.measure(path)) }
            }
        }
        measurementInProgress = task
        let measurement = await task.value
        measurementInProgress = nil
        lastMeasurement = (clock.now, measurement)
        return measurement
    }

    private static func measure(_ path: String) -> Measurement {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return .failed(errno: errno) }
        let blockSize = UInt64(info.f_frsize)
        return .space(available: UInt64(info.f_bavail) * blockSize, size: UInt64(info.f_blocks) * blockSize)
    }
}
