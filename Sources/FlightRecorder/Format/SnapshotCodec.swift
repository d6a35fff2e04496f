import ConsoleApp
import Foundation
import ScootAPI
import Thrift

/// A record's time: milliseconds since the Unix epoch (UTC), the precision a recording keeps.
enum RecordingTime {
    /// `date` to the nearest millisecond (a date that is not finite records as the epoch).
    static func milliseconds(_ date: Date) -> Int64 {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        guard milliseconds.isFinite, let exact = Int64(exactly: milliseconds) else { return 0 }
        return exact
    }

    /// The date a recorded time stands for.
    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// The latest recorded time that is not after `date`.
    static func millisecondsAtOrBefore(_ date: Date) -> Int64 {
        let nearest = milliseconds(date)
        return self.date(nearest) > date ? nearest - 1 : nearest
    }

    /// The UTC hour a time falls in, as hours since the epoch: which file holds it.
    static func hour(_ milliseconds: Int64) -> Int64 {
        milliseconds >= 0 ? milliseconds / 3_600_000 : (milliseconds + 1) / 3_600_000 - 1
    }
}

/// A snapshot's fields as a record body: a field mask (one bit per field that differs from the
/// snapshot before) and, in bit order, each of those fields' sections. A keyframe holds the
/// sections against `baseline` (so it decodes alone), a delta against the previous poll; both
/// give the snapshot back exactly. `observedAt` is not part of it: the record carries the time.
///
/// The sections (docs/recording.md, "Snapshot fields"): jobs, workers and task lists as
/// `KeyedListDelta`s; the load, the scheduler status and the selected job's status as
/// `ThriftFieldDiff`s; the settings, limitations, worker counts and unknown job ids whole.
enum SnapshotCodec {
    /// The fields, by their bit in the mask (bit 0 is `jobs`). Never renumber: add at the end.
    enum Field: Int, CaseIterable {
        case jobs, workers, load, schedulerStatus, settings, selectedJobStatus, selectedJobTasks, followedJobTasks, limitations,
            workerCounts, unknownJobIDs, followedJobStatuses
    }

    /// What a keyframe is written against: no jobs, workers, tasks, limitations or counts, no
    /// load, a scheduler status and settings of zeros and empty maps, observed at the epoch.
    static let baseline: ClusterSnapshot = {
        var snapshot = ClusterSnapshot(
            jobs: [], workers: [], load: nil, schedulerStatus: SchedulerStatus(currentTasks: 0, maxTasks: 0),
            settings: .init(classLoadPercents: [:], requestorToClassMap: [:], rebalanceThreshold: 0, rebalanceMinimumDuration: 0))
        snapshot.observedAt = Date(timeIntervalSince1970: 0)
        return snapshot
    }()

    /// Writes the mask and sections of what differs from `previous` to `snapshot`.
    static func encode(_ snapshot: ClusterSnapshot, against previous: ClusterSnapshot, into writer: inout RecordingBytesWriter) {
        let changed = Field.allCases.filter { !same($0, snapshot, previous) }
        writer.unsigned(changed.reduce(0) { $0 | 1 << UInt64($1.rawValue) })
        for field in changed {
            switch field {
            case .jobs: KeyedListDelta.encode(from: previous.jobs, to: snapshot.jobs, into: &writer)
            case .workers: KeyedListDelta.encode(from: previous.workers, to: snapshot.workers, into: &writer)
            case .load: encodeOptional(from: previous.load, to: snapshot.load, into: &writer)
            case .schedulerStatus: ThriftFieldDiff.encode(from: previous.schedulerStatus, to: snapshot.schedulerStatus, into: &writer)
            case .settings: encode(snapshot.settings, into: &writer)
            case .selectedJobStatus: encodeOptional(from: previous.selectedJobStatus, to: snapshot.selectedJobStatus, into: &writer)
            case .selectedJobTasks: KeyedListDelta.encode(from: previous.selectedJobTasks, to: snapshot.selectedJobTasks, into: &writer)
            case .followedJobTasks: encodeFollowed(from: previous.followedJobTasks, to: snapshot.followedJobTasks, into: &writer)
            case .limitations: encodeStrings(snapshot.limitations, into: &writer)
            case .workerCounts: encode(snapshot.workerCounts, into: &writer)
            case .unknownJobIDs: encodeStrings(snapshot.unknownJobIDs.sorted(), into: &writer)
            case .followedJobStatuses: encodeFollowedStatuses(from: previous.followedJobStatuses, to: snapshot.followedJobStatuses, into: &writer)
            }
        }
    }

    /// The snapshot that `previous` becomes with the mask and sections at the reader's position
    /// (its `observedAt` still `previous`'s).
    static func apply(to previous: ClusterSnapshot, from reader: inout RecordingBytesReader) throws -> ClusterSnapshot {
        let mask = try reader.unsigned()
        guard mask >> UInt64(Field.allCases.count) == 0 else { throw RecordingFormatError("unknown snapshot fields in mask \(mask)") }
        var snapshot = previous
        for field in Field.allCases where mask & 1 << UInt64(field.rawValue) != 0 {
            switch field {
            case .jobs: snapshot.jobs = try KeyedListDelta.apply(to: previous.jobs, from: &reader)
            case .workers: snapshot.workers = try KeyedListDelta.apply(to: previous.workers, from: &reader)
            case .load: snapshot.load = try applyOptional(to: previous.load, from: &reader)
            case .schedulerStatus: snapshot.schedulerStatus = try ThriftFieldDiff.apply(to: previous.schedulerStatus, from: &reader)
            case .settings: snapshot.settings = try settings(from: &reader)
            case .selectedJobStatus: snapshot.selectedJobStatus = try applyOptional(to: previous.selectedJobStatus, from: &reader)
            case .selectedJobTasks: snapshot.selectedJobTasks = try KeyedListDelta.apply(to: previous.selectedJobTasks, from: &reader)
            case .followedJobTasks: snapshot.followedJobTasks = try applyFollowed(to: previous.followedJobTasks, from: &reader)
            case .limitations: snapshot.limitations = try strings(from: &reader)
            case .workerCounts: snapshot.workerCounts = try workerCounts(from: &reader)
            case .unknownJobIDs: snapshot.unknownJobIDs = Set(try strings(from: &reader))
            case .followedJobStatuses: snapshot.followedJobStatuses = try applyFollowedStatuses(to: previous.followedJobStatuses, from: &reader)
            }
        }
        return snapshot
    }

    private static func same(_ field: Field, _ lhs: ClusterSnapshot, _ rhs: ClusterSnapshot) -> Bool {
        switch field {
        case .jobs: lhs.jobs == rhs.jobs
        case .workers: lhs.workers == rhs.workers
        case .load: lhs.load == rhs.load
        case .schedulerStatus: lhs.schedulerStatus == rhs.schedulerStatus
        case .settings: lhs.settings == rhs.settings
        case .selectedJobStatus: lhs.selectedJobStatus == rhs.selectedJobStatus
        case .selectedJobTasks: lhs.selectedJobTasks == rhs.selectedJobTasks
        case .followedJobTasks: lhs.followedJobTasks == rhs.followedJobTasks
        case .limitations: lhs.limitations == rhs.limitations
        case .workerCounts: lhs.workerCounts == rhs.workerCounts
        case .unknownJobIDs: lhs.unknownJobIDs == rhs.unknownJobIDs
        case .followedJobStatuses: lhs.followedJobStatuses == rhs.followedJobStatuses
        }
    }

    // MARK: Optional structs: 0 for nil, else 1 and the field diff from the old value (or from nothing)

    private static func encodeOptional<T: ThriftStruct>(from old: T?, to new: T?, into writer: inout RecordingBytesWriter) {
        guard let new else { return writer.byte(0) }
        writer.byte(1)
        ThriftFieldDiff.encode(from: old, to: new, into: &writer)
    }

    private static func applyOptional<T: ThriftStruct>(to old: T?, from reader: inout RecordingBytesReader) throws -> T? {
        try reader.presence() ? try ThriftFieldDiff.apply(to: old, from: &reader) : nil
    }

    // MARK: Followed jobs' tasks: removed job ids, then each changed or added job's task-list delta

    private static func encodeFollowed(from old: [String: [TaskSummary]], to new: [String: [TaskSummary]], into writer: inout RecordingBytesWriter) {
        encodeStrings(old.keys.filter { new[$0] == nil }.sorted(), into: &writer)
        let changed = new.filter { old[$0.key] != $0.value }.sorted { $0.key < $1.key }
        writer.count(changed.count)
        for (jobID, tasks) in changed {
            writer.string(jobID)
            KeyedListDelta.encode(from: old[jobID] ?? [], to: tasks, into: &writer)
        }
    }

    private static func applyFollowed(to old: [String: [TaskSummary]], from reader: inout RecordingBytesReader) throws -> [String: [TaskSummary]] {
        var followed = old
        for jobID in try strings(from: &reader) { followed[jobID] = nil }
        for _ in 0..<(try reader.count()) {
            let jobID = try reader.string()
            followed[jobID] = try KeyedListDelta.apply(to: old[jobID] ?? [], from: &reader)
        }
        return followed
    }

    // MARK: Followed jobs' statuses: removed job ids, then each changed or added job's field diff

    private static func encodeFollowedStatuses(from old: [String: JobStatus], to new: [String: JobStatus], into writer: inout RecordingBytesWriter) {
        encodeStrings(old.keys.filter { new[$0] == nil }.sorted(), into: &writer)
        let changed = new.filter { old[$0.key] != $0.value }.sorted { $0.key < $1.key }
        writer.count(changed.count)
        for (jobID, status) in changed {
            writer.string(jobID)
            ThriftFieldDiff.encode(from: old[jobID], to: status, into: &writer)
        }
    }

    private static func applyFollowedStatuses(to old: [String: JobStatus], from reader: inout RecordingBytesReader) throws -> [String: JobStatus] {
        var followed = old
        for jobID in try strings(from: &reader) { followed[jobID] = nil }
        for _ in 0..<(try reader.count()) {
            let jobID = try reader.string()
            followed[jobID] = try ThriftFieldDiff.apply(to: old[jobID], from: &reader)
        }
        return followed
    }

    // MARK: Whole values

    private static func encodeStrings(_ strings: [String], into writer: inout RecordingBytesWriter) {
        writer.count(strings.count)
        for string in strings { writer.string(string) }
    }

    private static func strings(from reader: inout RecordingBytesReader) throws -> [String] {
        try (0..<(try reader.count())).map { _ in try reader.string() }
    }

    private static func encode(_ settings: ClusterSnapshot.Settings, into writer: inout RecordingBytesWriter) {
        writer.count(settings.classLoadPercents.count)
        for (name, percent) in settings.classLoadPercents.sorted(by: { $0.key < $1.key }) {
            writer.string(name)
            writer.signed(Int64(percent))
        }
        writer.count(settings.requestorToClassMap.count)
        for (requestor, className) in settings.requestorToClassMap.sorted(by: { $0.key < $1.key }) {
            writer.string(requestor)
            writer.string(className)
        }
        writer.signed(Int64(settings.rebalanceThreshold))
        writer.signed(Int64(settings.rebalanceMinimumDuration))
    }

    private static func settings(from reader: inout RecordingBytesReader) throws -> ClusterSnapshot.Settings {
        var percents: [String: Int32] = [:]
        for _ in 0..<(try reader.count()) { percents[try reader.string()] = try reader.int32() }
        var classes: [String: String] = [:]
        for _ in 0..<(try reader.count()) { classes[try reader.string()] = try reader.string() }
        return ClusterSnapshot.Settings(
            classLoadPercents: percents, requestorToClassMap: classes, rebalanceThreshold: try reader.int32(),
            rebalanceMinimumDuration: try reader.int32())
    }

    private static func encode(_ counts: WorkerCounts?, into writer: inout RecordingBytesWriter) {
        guard let counts else { return writer.byte(0) }
        writer.byte(1)
        for value in [counts.available, counts.free, counts.running, counts.suspended] { writer.signed(Int64(value)) }
        if let offline = counts.offline {
            writer.byte(1)
            writer.signed(Int64(offline))
        } else {
            writer.byte(0)
        }
    }

    private static func workerCounts(from reader: inout RecordingBytesReader) throws -> WorkerCounts? {
        guard try reader.presence() else { return nil }
        let available = try reader.int(), free = try reader.int(), running = try reader.int(), suspended = try reader.int()
        let offline: Int? = try reader.presence() ? try reader.int() : nil
        return WorkerCounts(available: available, free: free, running: running, suspended: suspended, offline: offline)
    }
}
