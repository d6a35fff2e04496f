import AuditLog
import ConsoleApp
import Foundation
import Testing
@testable import FlightRecorder
import TestSupport

@Suite("Flight recorder writer")
struct WriterTests {
    /// An hour file of `bytes` filler for the hour `hour`, as an older session left it.
    func plantFile(in directory: String, hour: Int64, bytes: Int) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + RecordingFileName(hour: hour, sequence: 1).name
        try Data(repeating: 0, count: bytes).write(to: URL(fileURLWithPath: path))
    }

    func names(in directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }

    @Test("retention deletes hour files older than the maximum age, and nothing else")
    func retentionByAge() throws {
        let directory = temporaryPath("age")
        let now = RecordingTime.milliseconds(Date())
        let hour = RecordingTime.hour(now)
        for age in [10 * 24, 8 * 24, 2] { try plantFile(in: directory, hour: hour - Int64(age), bytes: 100) }
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: directory + "/notes.txt"))
        let recorder = FlightRecorder(directory: directory)
        var simulation = ClusterSimulation(seed: 1, startMs: now)
        recorder.record(simulation.step())
        recorder.close()
        let current = RecordingTime.hour(RecordingTime.milliseconds(simulation.snapshot.observedAt))
        #expect(try names(in: directory) == [
            RecordingFileName(hour: hour - 2, sequence: 1).name, RecordingFileName(hour: current, sequence: 1).name, "notes.txt",
        ].sorted())
        #expect(recorder.status.filesDeleted == 2)
    }

    @Test("retention deletes the oldest hour files while all of them exceed the maximum size")
    func retentionBySize() throws {
        let directory = temporaryPath("size")
        let hour = RecordingTime.hour(startMs)
        for back in 1...5 { try plantFile(in: directory, hour: hour - Int64(back), bytes: 10_000) }
        var configuration = smallChunks
        configuration.retention = RecordingRetention(maximumBytes: 25_000, maximumAge: 3650 * 86_400)
        let recorder = FlightRecorder(directory: directory, configuration: configuration)
        var simulation = ClusterSimulation(seed: 2, startMs: startMs)
        for _ in 0..<20 { recorder.record(simulation.step()) }
        recorder.close()
        // The three oldest go: 20,000 bytes of old files and the new one are within 25,000.
        #expect(try names(in: directory) == [hour - 2, hour - 1, hour].map { RecordingFileName(hour: $0, sequence: 1).name })
        #expect(recorder.status.filesDeleted == 3)
    }

    @Test("a directory that cannot be created is reported, never fatal, and recording resumes once it can")
    func uncreatableDirectory() throws {
        let parent = temporaryPath("blocked")
        try Data("a file where the directory should be".utf8).write(to: URL(fileURLWithPath: parent))
        let directory = parent + "/recordings"
        let recorder = FlightRecorder(directory: directory, configuration: smallChunks)
        var simulation = ClusterSimulation(seed: 3, startMs: startMs)
        for _ in 0..<20 { recorder.record(simulation.step()) }
        recorder.flush()
        let failing = recorder.status
        #expect(failing.failure?.contains("cannot create the recording directory \(directory)") == true, "\(failing)")
        #expect(failing.failingSince != nil)
        #expect(failing.writeFailures >= 1)
        #expect(failing.recordsLost == 20)
        #expect(failing.recordsWritten == 0)

        try FileManager.default.removeItem(atPath: parent)
        var kept: [ClusterSnapshot] = []
        for _ in 0..<20 { kept.append(simulation.step()) }
        for snapshot in kept { recorder.record(snapshot) }
        recorder.close()
        let recovered = recorder.status
        #expect(recovered.failure == nil)
        #expect(recovered.lastError == failing.failure)
        #expect(recovered.recordsWritten == 20)
        let reader = try RecordingReader(path: directory)
        #expect(reader.pollCount == 20)
        #expect(reader.warnings.count == 1)
        #expect(reader.warnings.first?.contains("dropped 0 records (queue full) and lost 20 (write failures)") == true, "\(reader.warnings)")
        for snapshot in kept { #expect(try reader.frame(at: snapshot.observedAt)?.snapshot == snapshot) }
    }

    @Test("a recording directory deleted under the recorder is reported, and a new one is made")
    func deletedDirectory() throws {
        let directory = temporaryPath("deleted")
        let recorder = FlightRecorder(directory: directory, configuration: smallChunks)
        var simulation = ClusterSimulation(seed: 4, startMs: startMs)
        for _ in 0..<8 { recorder.record(simulation.step()) }
        recorder.flush()
        #expect(recorder.status.recordsWritten == 8)
        try FileManager.default.removeItem(atPath: directory)
        for _ in 0..<4 { recorder.record(simulation.step()) }
        recorder.flush()
        #expect(recorder.status.failure?.contains("was deleted") == true, "\(recorder.status)")
        #expect(recorder.status.recordsLost == 4)
        var kept: [ClusterSnapshot] = []
        for _ in 0..<4 { kept.append(simulation.step()) }
        for snapshot in kept { recorder.record(snapshot) }
        recorder.close()
        #expect(recorder.status.failure == nil)
        let reader = try RecordingReader(path: directory)
        #expect(reader.pollCount == 4)
        for snapshot in kept { #expect(try reader.frame(at: snapshot.observedAt)?.snapshot == snapshot) }
    }

    @Test(
        "a read-only directory is reported and recording resumes when it is writable again",
        .enabled(if: UnwritableDirectory.isPossible, "neither chmod nor chattr +i makes a directory unwritable here"))
    func readOnlyDirectory() throws {
        let directory = temporaryPath("readonly")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(UnwritableDirectory.set(directory, writable: false))
        // Writable again whatever happens, so that the directory can be removed.
        defer { UnwritableDirectory.set(directory, writable: true) }
        let recorder = FlightRecorder(directory: directory, configuration: smallChunks)
        var simulation = ClusterSimulation(seed: 5, startMs: startMs)
        for _ in 0..<8 { recorder.record(simulation.step()) }
        recorder.flush()
        #expect(recorder.status.failure?.contains("cannot create") == true, "\(recorder.status)")
        #expect(UnwritableDirectory.set(directory, writable: true))
        for _ in 0..<8 { recorder.record(simulation.step()) }
        recorder.close()
        #expect(recorder.status.failure == nil)
        #expect(try RecordingReader(path: directory).pollCount == 8)
    }

    /// Fewer records than a chunk's worth come per `chunkInterval`, so the writer takes them at
    /// the first one's deadline; the chunk must close then, not `chunkInterval` after that. Each
    /// poll is stamped with the time it was queued, so a chunk's span of poll times says how long
    /// the chunk stayed open, whenever this test's task is woken.
    @Test("a chunk holds the records of one chunkInterval while fewer than a chunk's worth come")
    func chunksCloseOnTheirFirstRecordsDeadline() async throws {
        let directory = temporaryPath("steady")
        var configuration = smallChunks
        configuration.chunkRecords = 16
        configuration.chunkInterval = .seconds(2)
        let recorder = FlightRecorder(directory: directory, configuration: configuration)
        // About five records a second (ten per interval, below the sixteen that fill a chunk),
        // from a thread of its own so that the rate holds on a busy machine.
        try await onOwnThread {
            var simulation = ClusterSimulation(seed: 7, startMs: startMs)
            let start = ContinuousClock.now
            while ContinuousClock.now - start < .seconds(5) {
                var snapshot = simulation.step()
                snapshot.observedAt = Date()
                recorder.record(snapshot)
                Thread.sleep(forTimeInterval: 0.2)
            }
            recorder.close()
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { directory + "/" + $0 }
        // The last chunk is closed by `close()`; the ones before by their deadline.
        let chunks = RecordingIndex(paths: files).chunks.dropLast()
        #expect(!chunks.isEmpty, "a chunk closed within 5 s")
        for chunk in chunks {
            let open = Duration.milliseconds(chunk.header.lastTime - chunk.header.firstTime)
            #expect(open < .milliseconds(2_800), "a chunk held \(chunk.header.records) records queued over \(open)")
        }
    }

    @Test("a chunk is written once its first record is chunkInterval old, without a flush")
    func chunksCloseInTime() async throws {
        let directory = temporaryPath("interval")
        var configuration = smallChunks
        configuration.chunkInterval = .milliseconds(100)
        let recorder = FlightRecorder(directory: directory, configuration: configuration)
        var simulation = ClusterSimulation(seed: 6, startMs: startMs)
        // Once with the writer just started, once with it asleep on an empty queue (after its first
        // chunk and a pause): a lone record must wake it either way.
        for written in 1...2 {
            recorder.record(simulation.step())
            let deadline = ContinuousClock.now + .seconds(10)
            while recorder.status.recordsWritten < written, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(recorder.status.recordsWritten == written)
            #expect(try RecordingReader(path: directory).pollCount == written)
            try await Task.sleep(for: .milliseconds(300))
        }
        recorder.close()
    }

    @Test("records beyond the queue's capacity are dropped and counted, never waited for")
    func fullQueueDrops() throws {
        let directory = temporaryPath("full")
        var configuration = FlightRecorder.Configuration()
        configuration.queueCapacity = 2
        let recorder = FlightRecorder(directory: directory, configuration: configuration)
        var simulation = ClusterSimulation(seed: 7, startMs: startMs, jobs: 300)
        let snapshots = (0..<400).map { _ in simulation.step() }
        for snapshot in snapshots { recorder.record(snapshot) }
        recorder.close()
        let status = recorder.status
        #expect(status.recordsDropped > 0, "400 snapshots of 300 jobs outrun a queue of 2")
        let reader = try RecordingReader(path: directory)
        #expect(reader.pollCount == status.recordsWritten)
        #expect(reader.pollCount + status.recordsDropped == 400)
        #expect(!reader.warnings.isEmpty && reader.warnings.allSatisfy { $0.contains("the recorder dropped") }, "one loss record per gap")
        let reported = reader.warnings.compactMap { Int($0.components(separatedBy: "dropped ")[1].components(separatedBy: " ")[0]) }.reduce(0, +)
        #expect(reported > 0 && reported <= status.recordsDropped, "drops after the last record written have no record to precede")
        recorder.record(snapshots[0])
        recorder.flush()
        #expect(recorder.status.recordsWritten == status.recordsWritten, "records after close are ignored")
    }
}
