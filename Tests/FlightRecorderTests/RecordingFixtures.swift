import AuditLog
import ConsoleApp
import Foundation
import Testing
@testable import FlightRecorder

/// 2026-12-01T05:52:00Z: eight minutes before an hour boundary, so that runs of a few hundred
/// polls cross one or more.
let startMs: Int64 = 1_796_104_320_000

/// A fresh temporary directory's path (not created).
func temporaryPath(_ label: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("recorder-\(label)-\(UUID().uuidString)").path
}

/// Small chunks and frequent keyframes, so that a short run has many of both; a queue no test fills.
let smallChunks = FlightRecorder.Configuration(keyframeInterval: 40, chunkRecords: 8, queueCapacity: 100_000)

/// A simulated run recorded into `directory`, and what replaying it must show.
struct RecordedRun {
    let directory: String
    var polls: [ClusterSnapshot] = []
    var audits: [AuditEntry] = []
    var auditTimes: [Date] = []
    /// For each poll, how many audit entries were recorded before it.
    var auditsBeforePoll: [Int] = []
    var status = FlightRecorderStatus()

    /// Records `count` polls of a simulation seeded with `seed` (with its audit entries) and closes the recorder.
    init(seed: UInt64, polls count: Int, configuration: FlightRecorder.Configuration = smallChunks, jobs: Int = 20, from start: Int64 = startMs) {
        directory = temporaryPath("run")
        var simulation = ClusterSimulation(seed: seed, startMs: start, jobs: jobs)
        let clock = TestClock(ClusterSimulation.date(start))
        let recorder = FlightRecorder(directory: directory, configuration: configuration, clock: { clock.now })
        for _ in 0..<count {
            let snapshot = simulation.step()
            clock.now = snapshot.observedAt
            if let entry = simulation.auditEntry() {
                recorder.record(entry)
                audits.append(entry)
                auditTimes.append(snapshot.observedAt)
            }
            recorder.record(snapshot)
            polls.append(snapshot)
            auditsBeforePoll.append(audits.count)
        }
        recorder.close()
        status = recorder.status
    }

    /// The index of the last poll at or before `time`, else the first.
    func pollIndex(at time: Date) -> Int {
        polls.lastIndex { $0.observedAt <= time } ?? 0
    }

    /// The recording files in the directory, oldest first.
    var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .compactMap { RecordingFileName(parsing: $0) }.sorted().map { directory + "/" + $0.name }
    }
}

/// The names of the snapshot fields that differ (empty when the two are equal).
func differences(_ lhs: ClusterSnapshot, _ rhs: ClusterSnapshot) -> [String] {
    var fields: [String] = []
    if lhs.jobs != rhs.jobs { fields.append("jobs") }
    if lhs.workers != rhs.workers { fields.append("workers") }
    if lhs.load != rhs.load { fields.append("load") }
    if lhs.schedulerStatus != rhs.schedulerStatus { fields.append("schedulerStatus") }
    if lhs.settings != rhs.settings { fields.append("settings") }
    if lhs.selectedJobStatus != rhs.selectedJobStatus { fields.append("selectedJobStatus") }
    if lhs.selectedJobTasks != rhs.selectedJobTasks { fields.append("selectedJobTasks") }
    if lhs.followedJobTasks != rhs.followedJobTasks { fields.append("followedJobTasks") }
    if lhs.limitations != rhs.limitations { fields.append("limitations") }
    if lhs.workerCounts != rhs.workerCounts { fields.append("workerCounts") }
    if lhs.unknownJobIDs != rhs.unknownJobIDs { fields.append("unknownJobIDs") }
    if lhs.followedJobStatuses != rhs.followedJobStatuses { fields.append("followedJobStatuses") }
    if lhs.observedAt != rhs.observedAt { fields.append("observedAt \(lhs.observedAt.timeIntervalSince1970) vs \(rhs.observedAt.timeIntervalSince1970)") }
    return fields
}

/// Checks that the frame at poll `index`'s time shows that poll exactly, with its neighbours'
/// times and the audit entries before it (`polls` lists the polls the reader can show, as
/// indices into the run).
func expectFrame(_ reader: RecordingReader, _ run: RecordedRun, poll index: Int, at time: Date? = nil, replayable polls: [Int]? = nil) throws {
    let frame = try #require(try reader.frame(at: time ?? run.polls[index].observedAt), "poll \(index)")
    let found = differences(frame.snapshot, run.polls[index])
    #expect(found.isEmpty, "poll \(index): \(found)")
    let shown = polls ?? Array(run.polls.indices)
    let place = try #require(shown.firstIndex(of: index))
    #expect(frame.previousPollAt == (place > 0 ? run.polls[shown[place - 1]].observedAt : nil), "poll \(index)")
    #expect(frame.nextPollAt == (place + 1 < shown.count ? run.polls[shown[place + 1]].observedAt : nil), "poll \(index)")
    if polls == nil {
        #expect(frame.audit == Array(run.audits[..<run.auditsBeforePoll[index]].suffix(RecordedFrame.auditLimit)), "poll \(index)")
    }
}

/// A file's chunks as the headers tell: where each starts and ends, and its header.
func chunkLayout(of path: String) throws -> [(offset: Int, end: Int, header: ChunkHeader)] {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    var chunks: [(offset: Int, end: Int, header: ChunkHeader)] = []
    var offset = RecordingFormat.fileHeader.count
    while offset < bytes.count {
        let header = try #require(ChunkHeader.decode(bytes, at: offset))
        let end = offset + ChunkHeader.size + header.payloadLength
        chunks.append((offset, end, header))
        offset = end
    }
    return chunks
}

/// Makes a directory unwritable even for root, where the machine allows it: mode 0500 for
/// anyone else, the immutable attribute (`chattr +i`, needs CAP_LINUX_IMMUTABLE) for root.
enum UnwritableDirectory {
    /// Whether this machine and user can make a directory unwritable, tried on a scratch one.
    static let isPossible: Bool = {
        let probe = temporaryPath("unwritable-probe")
        guard (try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard set(probe, writable: false) else { return false }
        let refused = !FileManager.default.createFile(atPath: probe + "/x", contents: Data())
        _ = set(probe, writable: true)
        return refused
    }()

    /// Sets `directory` unwritable or writable again; false if the machine refused.
    @discardableResult
    static func set(_ directory: String, writable: Bool) -> Bool {
        if geteuid() != 0 { return chmod(directory, writable ? 0o700 : 0o500) == 0 }
        let chattr = Process()
        chattr.executableURL = URL(fileURLWithPath: "/usr/bin/chattr")
        chattr.arguments = [writable ? "-i" : "+i", directory]
        chattr.standardError = FileHandle.nullDevice
        guard (try? chattr.run()) != nil else { return false }
        chattr.waitUntilExit()
        return chattr.terminationStatus == 0
    }
}
