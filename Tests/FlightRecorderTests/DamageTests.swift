import Foundation
import Testing
@testable import FlightRecorder

@Suite("Damaged recordings")
struct DamageTests {
    /// A one-hour run (all in one file) and that file's path.
    func oneFileRun(seed: UInt64) throws -> (RecordedRun, String) {
        let run = RecordedRun(seed: seed, polls: 400, from: startMs - 20 * 60_000)
        return (run, try #require(run.files.first { _ in run.files.count == 1 }))
    }

    /// A copy of `bytes` as a recording file in a directory of its own.
    func write(_ bytes: [UInt8], named name: String) throws -> String {
        let directory = temporaryPath("damaged")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a file cut anywhere replays every chunk before the cut, and says where the last one tore", arguments: [21, 22] as [UInt64])
    func truncatedAnywhere(seed: UInt64) async throws {
        let (run, file) = try oneFileRun(seed: seed)
        let name = (file as NSString).lastPathComponent
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let chunks = try chunkLayout(of: file)
        var rng = SeededGenerator(seed: seed)
        var cuts = (0..<60).map { _ in Int.random(in: RecordingFormat.fileHeader.count..<bytes.count, using: &rng) }
        cuts += [chunks[3].end, chunks[3].offset + 10, chunks[3].end - 1]
        for cut in cuts {
            await Task.yield()
            let reader = try RecordingReader(path: try write(Array(bytes[..<cut]), named: name))
            let whole = chunks.filter { $0.end <= cut }
            let polls = whole.reduce(0) { $0 + $1.header.polls }
            #expect(reader.pollCount == polls, "cut at \(cut)")
            #expect(reader.marks.count == whole.reduce(0) { $0 + $1.header.audits }, "cut at \(cut)")
            if let torn = chunks.first(where: { $0.offset < cut && cut < $0.end }) {
                #expect(reader.warnings.count == 1, "cut at \(cut)")
                #expect(reader.warnings.first?.hasPrefix("\(name): last chunk torn at byte \(torn.offset), ") == true, "cut at \(cut): \(reader.warnings)")
                if cut - torn.offset >= ChunkHeader.size { #expect(reader.warnings.first?.hasSuffix("\(torn.header.records) records lost") == true) }
            } else {
                #expect(reader.warnings == [], "cut at \(cut) is a chunk boundary")
            }
            guard polls > 0 else { continue }
            let replayable = Array(0..<polls)
            for index in [0, polls / 2, polls - 1] { try expectFrame(reader, run, poll: index, replayable: replayable) }
            // A time after the cut shows the last poll kept.
            try expectFrame(reader, run, poll: polls - 1, at: run.polls.last!.observedAt, replayable: replayable)
        }
    }

    @Test("a file cut inside its header is reported and skipped")
    func truncatedHeader() throws {
        let (_, file) = try oneFileRun(seed: 23)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let empty = try RecordingReader(path: try write([], named: "2026-12-01T05.scootrec"))
        #expect(empty.warnings == ["2026-12-01T05.scootrec: empty; skipped"])
        let short = try RecordingReader(path: try write(Array(bytes[..<5]), named: "2026-12-01T05.scootrec"))
        #expect(short.warnings == ["2026-12-01T05.scootrec: not a recording (no file header); skipped"])
        var future = bytes
        future[RecordingFormat.fileMagic.count] = 9
        let newer = try RecordingReader(path: try write(future, named: "2026-12-01T05.scootrec"))
        #expect(newer.warnings == ["2026-12-01T05.scootrec: format version 9, this build reads version 1; skipped"])
        #expect(newer.pollCount == 0)
    }

    @Test("a damaged chunk in the middle is skipped up to the next keyframe, and the rest replays")
    func damagedMiddleChunk() throws {
        let (run, file) = try oneFileRun(seed: 24)
        let name = (file as NSString).lastPathComponent
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let chunks = try chunkLayout(of: file)
        // A chunk of deltas with another chunk of deltas after it, and a keyframe later on.
        let damaged = try #require(chunks.indices.dropFirst().first { index in
            index + 2 < chunks.count && !chunks[index].header.flags.contains(.startsWithKeyframe)
                && !chunks[index + 1].header.flags.contains(.startsWithKeyframe)
        })
        let resume = try #require(chunks.indices.first { $0 > damaged && chunks[$0].header.flags.contains(.startsWithKeyframe) })
        bytes[chunks[damaged].offset + ChunkHeader.size + 2] ^= 0x55
        let reader = try RecordingReader(path: try write(bytes, named: name))

        let pollsBefore = chunks[..<damaged].reduce(0) { $0 + $1.header.polls }
        let pollsLost = chunks[damaged..<resume].reduce(0) { $0 + $1.header.polls }
        let skippedAfter = pollsLost - chunks[damaged].header.polls
        #expect(reader.warnings == [
            "\(name): chunk at byte \(chunks[damaged].offset) is damaged (CRC or contents), \(chunks[damaged].header.records) records lost"
                + (skippedAfter > 0 ? "; the \(skippedAfter) polls after it skipped up to the next keyframe" : "")
        ])
        #expect(reader.pollCount == run.polls.count - pollsLost)
        let replayable = Array(0..<pollsBefore) + Array((pollsBefore + pollsLost)..<run.polls.count)
        for index in replayable { try expectFrame(reader, run, poll: index, replayable: replayable) }
        // A time in the gap shows the last poll before it.
        try expectFrame(reader, run, poll: pollsBefore - 1, at: run.polls[pollsBefore + 1].observedAt, replayable: replayable)
    }

    @Test("a damaged chunk header is skipped to the next readable header")
    func damagedHeader() throws {
        let (run, file) = try oneFileRun(seed: 25)
        let name = (file as NSString).lastPathComponent
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let chunks = try chunkLayout(of: file)
        let damaged = try #require(chunks.indices.first { $0 > 2 && chunks[$0].header.flags.contains(.startsWithKeyframe) })
        bytes[chunks[damaged].offset + 5] ^= 0xFF  // the payload length
        let reader = try RecordingReader(path: try write(bytes, named: name))
        let nextKeyframe = chunks.indices.first { $0 > damaged && chunks[$0].header.flags.contains(.startsWithKeyframe) } ?? chunks.count
        let skippedAfter = chunks[(damaged + 1)..<nextKeyframe].reduce(0) { $0 + $1.header.polls }
        #expect(reader.warnings == [
            "\(name): bytes \(chunks[damaged].offset)..<\(chunks[damaged].end) are not a readable chunk, skipped"
                + (skippedAfter > 0 ? "; the \(skippedAfter) polls after it skipped up to the next keyframe" : "")
        ])
        let pollsBefore = chunks[..<damaged].reduce(0) { $0 + $1.header.polls }
        let pollsLost = chunks[damaged..<nextKeyframe].reduce(0) { $0 + $1.header.polls }
        #expect(reader.pollCount == run.polls.count - pollsLost)
        let replayable = Array(0..<pollsBefore) + Array((pollsBefore + pollsLost)..<run.polls.count)
        for index in replayable { try expectFrame(reader, run, poll: index, replayable: replayable) }
    }
}
