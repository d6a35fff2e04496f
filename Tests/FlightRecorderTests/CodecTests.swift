import ConsoleApp
import Foundation
import ScootAPI
import Testing
@testable import FlightRecorder

@Suite("Recording codec")
struct CodecTests {
    /// The record a delta from `previous` to `next` takes: kind, length and body.
    func deltaRecordSize(from previous: ClusterSnapshot, to next: ClusterSnapshot) throws -> Int {
        var body = RecordingBytesWriter()
        body.signed(RecordingTime.milliseconds(next.observedAt) - RecordingTime.milliseconds(previous.observedAt))
        SnapshotCodec.encode(next, against: previous, into: &body)
        var reader = RecordingBytesReader(body.bytes)
        _ = try reader.signed()
        var decoded = try SnapshotCodec.apply(to: previous, from: &reader)
        decoded.observedAt = next.observedAt
        #expect(reader.isAtEnd)
        #expect(differences(decoded, next) == [])
        var record = RecordingBytesWriter()
        record.byte(RecordKind.delta.rawValue)
        record.blob(body.bytes)
        return record.count
    }

    @Test("a quiet poll of a 1,000-job cluster is a few bytes before compression")
    func quietDeltaIsTiny() throws {
        let simulation = ClusterSimulation(seed: 1, startMs: startMs, jobs: 1000, workers: 50)
        var previous = simulation.snapshot
        previous.load = ClusterLoad(classes: [], spread: 0, rebalanceThreshold: 10, rebalanceMinimumDurationMin: 4, computedAtMs: startMs)
        var next = previous
        next.observedAt = previous.observedAt.addingTimeInterval(1)
        let onlyTime = try deltaRecordSize(from: previous, to: next)
        #expect(onlyTime == 5, "kind, length, time step (2 bytes), empty field mask")
        // What a real quiet CloudScoot poll changes besides the time: the load's computedAtMs.
        next.load?.computedAtMs += 1000
        #expect(try deltaRecordSize(from: previous, to: next) == 10, "and the load's one field stepped by 1000")
    }

    @Test("one job's changed field costs that field, not the job")
    func changedFieldOnly() throws {
        let simulation = ClusterSimulation(seed: 2, startMs: startMs, jobs: 1000)
        let previous = simulation.snapshot
        var next = previous
        next.observedAt = previous.observedAt.addingTimeInterval(1)
        next.jobs[500].runningTasks += 1
        next.jobs[501].endedAtMs = nil
        next.jobs[501].startedAtMs = nil
        #expect(try deltaRecordSize(from: previous, to: next) < 40)
    }

    @Test("keyed lists round-trip any change: removals, additions, reorders, repeated ids", arguments: 0..<200)
    func keyedListsRoundTrip(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed))
        func tasks(_ count: Int) -> [TaskSummary] {
            (0..<count).map { _ in
                TaskSummary(
                    taskId: "t\(Int.random(in: 0..<12, using: &rng))", status: .inProgress,
                    workerId: Bool.random(using: &rng) ? "w" : nil, attempts: Int32.random(in: 1...3, using: &rng))
            }
        }
        let unique = { (list: [TaskSummary]) in Array(list.reduce(into: [String: TaskSummary]()) { $0[$1.taskId] = $1 }.values).shuffled(using: &rng) }
        let old = seed % 10 == 0 ? tasks(Int.random(in: 0...8, using: &rng)) : unique(tasks(Int.random(in: 0...10, using: &rng)))
        let new = seed % 7 == 0 ? tasks(Int.random(in: 0...8, using: &rng)) : unique(tasks(Int.random(in: 0...10, using: &rng)))
        var writer = RecordingBytesWriter()
        KeyedListDelta.encode(from: old, to: new, into: &writer)
        var reader = RecordingBytesReader(writer.bytes)
        #expect(try KeyedListDelta.apply(to: old, from: &reader) == new)
        #expect(reader.isAtEnd)
    }

    @Test("malformed bodies throw instead of trapping", arguments: 0..<300)
    func malformedBodiesThrow(seed: Int) {
        var simulation = ClusterSimulation(seed: UInt64(seed), startMs: startMs)
        let previous = simulation.step()
        let next = simulation.step()
        var writer = RecordingBytesWriter()
        SnapshotCodec.encode(next, against: previous, into: &writer)
        var rng = SeededGenerator(seed: UInt64(seed) &+ 1000)
        var bytes = writer.bytes
        if bytes.count > 1, Bool.random(using: &rng) {
            bytes.removeLast(Int.random(in: 1..<bytes.count, using: &rng))
        } else {
            for _ in 0..<3 { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
        }
        var reader = RecordingBytesReader(bytes)
        // Either it throws or it decodes something; it never traps.
        _ = try? SnapshotCodec.apply(to: previous, from: &reader)
    }

    @Test("varints and ZigZag cover the whole range")
    func varints() throws {
        let values: [Int64] = [0, 1, -1, 63, -64, 64, 1 << 35, -(1 << 35), .max, .min]
        var writer = RecordingBytesWriter()
        for value in values { writer.signed(value) }
        writer.unsigned(.max)
        var reader = RecordingBytesReader(writer.bytes)
        #expect(try values.map { _ in try reader.signed() } == values)
        #expect(try reader.unsigned() == .max)
        var overlong = RecordingBytesReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: RecordingFormatError.self) { try overlong.unsigned() }
    }

    @Test("a chunk header round-trips and any flipped bit is caught by its CRC")
    func chunkHeader() {
        let header = ChunkHeader(
            payloadLength: 1234, rawLength: 5678, payloadCRC: 0xDEAD_BEEF, records: 16, polls: 15, audits: 1, flags: [.startsWithKeyframe],
            firstTime: startMs, lastTime: startMs + 15_000)
        let bytes = header.encoded()
        #expect(bytes.count == ChunkHeader.size)
        #expect(ChunkHeader.decode(bytes, at: 0) == header)
        for bit in 0..<(bytes.count * 8) {
            var flipped = bytes
            flipped[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(ChunkHeader.decode(flipped, at: 0) == nil, "bit \(bit)")
        }
    }
}
