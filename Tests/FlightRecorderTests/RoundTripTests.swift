import AuditLog
import ConsoleApp
import Foundation
import ScootAPI
import Testing
@testable import FlightRecorder

@Suite("Flight recorder round trip")
struct RoundTripTests {
    @Test("random runs replay exactly at every poll and at random seeks", arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func randomRunsReplayExactly(seed: UInt64) async throws {
        let run = RecordedRun(seed: seed, polls: 900)
        #expect(run.status.failure == nil)
        #expect(run.status.recordsWritten == run.polls.count + run.audits.count)
        let hours = Set(run.polls.map { RecordingTime.hour(RecordingTime.milliseconds($0.observedAt)) })
        #expect(hours.count >= 2, "the run crosses an hour boundary")
        #expect(run.files.count == hours.count, "one file per hour")

        let reader = try RecordingReader(path: run.directory)
        #expect(reader.warnings == [])
        #expect(reader.pollCount == run.polls.count)
        #expect(reader.span == run.polls.first!.observedAt...run.polls.last!.observedAt)
        let expectedMarks = zip(run.audits, run.auditTimes).map { RecordedMark(time: $1, action: $0.action, outcome: $0.outcome) }
        #expect(reader.marks == expectedMarks)
        // Gives the pool back between steps: a long synchronous run would hold one of its
        // two threads from every test waiting on a timer or a socket.
        for index in run.polls.indices {
            if index % 20 == 0 { await Task.yield() }
            try expectFrame(reader, run, poll: index)
        }

        var rng = SeededGenerator(seed: seed &* 7919)
        let first = run.polls.first!.observedAt.timeIntervalSince1970
        let last = run.polls.last!.observedAt.timeIntervalSince1970
        for seek in 0..<200 {
            if seek % 20 == 0 { await Task.yield() }
            let time = Date(timeIntervalSince1970: Double.random(in: (first - 5)...(last + 5), using: &rng))
            try expectFrame(reader, run, poll: run.pollIndex(at: time), at: time)
        }
    }

    @Test("the default configuration round-trips too (one long chain per file)")
    func defaultConfigurationRoundTrips() async throws {
        var configuration = FlightRecorder.Configuration()
        configuration.queueCapacity = 100_000
        let run = RecordedRun(seed: 99, polls: 1200, configuration: configuration)
        let reader = try RecordingReader(path: run.directory)
        #expect(reader.warnings == [])
        for index in run.polls.indices {
            if index % 20 == 0 { await Task.yield() }
            try expectFrame(reader, run, poll: index)
        }
        // Backwards: every step goes back to its chain's keyframe.
        for index in stride(from: run.polls.count - 1, through: 0, by: -37) { try expectFrame(reader, run, poll: index) }
    }

    @Test("each hour file replays alone: it opens with a keyframe")
    func eachFileDecodesAlone() throws {
        let run = RecordedRun(seed: 11, polls: 900)
        for file in run.files {
            let reader = try RecordingReader(path: file)
            #expect(reader.warnings == [])
            let name = try #require(RecordingFileName(parsing: (file as NSString).lastPathComponent))
            let polls = run.polls.indices.filter { RecordingTime.hour(RecordingTime.milliseconds(run.polls[$0].observedAt)) == name.hour }
            #expect(reader.pollCount == polls.count)
            for index in polls { try expectFrame(reader, run, poll: index, replayable: polls) }
        }
    }

    @Test("times keep milliseconds; finer fractions round to the nearest one")
    func timePrecision() throws {
        let directory = temporaryPath("precision")
        let recorder = FlightRecorder(directory: directory)
        var simulation = ClusterSimulation(seed: 5, startMs: startMs)
        var snapshot = simulation.step()
        snapshot.observedAt = Date(timeIntervalSince1970: 1_796_104_321.2346)
        recorder.record(snapshot)
        recorder.close()
        let frame = try #require(try RecordingReader(path: directory).frame(at: .distantFuture))
        #expect(frame.snapshot.observedAt == FlightRecorder.recordedTime(snapshot.observedAt))
        #expect(frame.snapshot.observedAt == Date(timeIntervalSince1970: 1_796_104_321.235))
        snapshot.observedAt = frame.snapshot.observedAt
        #expect(frame.snapshot == snapshot)
    }

    @Test("a frame carries the newest 1,000 audit entries recorded before its poll")
    func auditIsBounded() throws {
        let directory = temporaryPath("audit")
        let clock = TestClock(ClusterSimulation.date(startMs))
        let recorder = FlightRecorder(directory: directory, configuration: smallChunks, clock: { clock.now })
        var simulation = ClusterSimulation(seed: 3, startMs: startMs)
        let first = simulation.step()
        recorder.record(first)
        for index in 0..<1500 {
            recorder.record(AuditEntry(time: first.observedAt, operatorName: "op", endpoint: "e", source: "console", action: "kill-\(index)", outcome: .ok))
        }
        let second = simulation.step()
        recorder.record(second)
        recorder.close()
        let reader = try RecordingReader(path: directory)
        #expect(reader.marks.count == 1500)
        #expect(try reader.frame(at: first.observedAt)?.audit == [])
        let audit = try #require(try reader.frame(at: second.observedAt)?.audit)
        #expect(audit.count == RecordedFrame.auditLimit)
        #expect(audit.first?.action == "kill-500")
        #expect(audit.last?.action == "kill-1499")
    }

    @Test("an empty directory is an empty recording")
    func emptyRecording() throws {
        let directory = temporaryPath("empty")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let reader = try RecordingReader(path: directory)
        #expect(reader.span == nil)
        #expect(try reader.frame(at: Date()) == nil)
        #expect(throws: RecordingReader.Failure.self) { try RecordingReader(path: directory + "/missing") }
    }

    @Test("the default directory follows XDG_STATE_HOME")
    func defaultDirectory() {
        #expect(FlightRecorder.defaultDirectory(environment: ["XDG_STATE_HOME": "/state", "HOME": "/home/u"]) == "/state/scoot-console/recordings")
        #expect(FlightRecorder.defaultDirectory(environment: ["HOME": "/home/u"]) == "/home/u/.local/state/scoot-console/recordings")
    }

    @Test("file names carry the UTC hour, and a later session in the same hour gets the next number")
    func fileNames() throws {
        let name = RecordingFileName(hour: RecordingTime.hour(startMs), sequence: 1)
        #expect(name.name == "2026-12-01T05.scootrec")
        #expect(RecordingFileName(parsing: "2026-12-01T05.scootrec") == name)
        #expect(RecordingFileName(parsing: "2026-12-01T05.3.scootrec") == RecordingFileName(hour: name.hour, sequence: 3))
        for bad in ["2026-12-01T05.1.scootrec", "2026-13-01T05.scootrec", "2026-12-01T5.scootrec", "notes.txt", "2026-12-01T05.scootrec.tmp"] {
            #expect(RecordingFileName(parsing: bad) == nil, "\(bad)")
        }

        let directory = temporaryPath("sessions")
        var simulation = ClusterSimulation(seed: 8, startMs: startMs + 60_000)
        for _ in 0..<2 {
            let recorder = FlightRecorder(directory: directory)
            recorder.record(simulation.step())
            recorder.close()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["2026-12-01T05.2.scootrec", "2026-12-01T05.scootrec"])
        #expect(try RecordingReader(path: directory).pollCount == 2)
    }
}
