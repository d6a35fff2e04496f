import AuditLog
import Foundation

/// What opening a recording learns without replaying it: where every replayable chunk is,
/// where each one's chain of deltas starts, every audit entry, and what is damaged or lost.
///
/// Opening reads each file once: it walks the chunk headers, checks every payload's CRC, and
/// inflates only the chunks that hold audit entries or loss records. Snapshots are decoded
/// only on replay. Memory: a few dozen bytes per chunk and every audit entry of the recording.
struct RecordingIndex: Sendable {
    /// A chunk replay can use: intact, holding polls, and after a keyframe of its own file with
    /// only intact chunks between.
    struct Chunk: Sendable {
        let path: String
        /// Where its header starts in the file.
        let offset: Int
        let header: ChunkHeader
        /// The stream position of its first record, across files: audit entries before a poll
        /// are those with a smaller ordinal.
        let firstOrdinal: Int
        /// The index (in `chunks`) of the chunk whose keyframe its deltas go back to.
        let chainStart: Int

        var payloadRange: Range<Int> { (offset + ChunkHeader.size)..<(offset + ChunkHeader.size + header.payloadLength) }
    }

    /// An audit entry with its place in the stream and the time the recorder received it.
    struct Audit: Sendable {
        let ordinal: Int
        let time: Int64
        let entry: AuditEntry
    }

    private(set) var chunks: [Chunk] = []
    private(set) var audits: [Audit] = []
    private(set) var warnings: [String] = []
    private var nextOrdinal = 0

    /// Indexes the files at `paths`, in that order.
    init(paths: [String]) {
        for path in paths { index(path) }
    }

    private mutating func index(_ path: String) {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else { return warnings.append("\(name): cannot be read; skipped") }
        let bytes = [UInt8](data)
        guard bytes.count >= RecordingFormat.fileHeader.count, bytes.starts(with: RecordingFormat.fileMagic) else {
            return warnings.append(bytes.isEmpty ? "\(name): empty; skipped" : "\(name): not a recording (no file header); skipped")
        }
        let version = bytes[RecordingFormat.fileMagic.count]
        guard version == RecordingFormat.version else {
            return warnings.append("\(name): format version \(version), this build reads version \(RecordingFormat.version); skipped")
        }
        var offset = RecordingFormat.fileHeader.count
        // The chain of deltas: broken at the file's start (until its first keyframe) and after damage.
        var chainStart: Int?
        var damage: (message: String, pollsSkipped: Int)?
        func reportDamage() {
            guard let found = damage else { return }
            let skipped = found.pollsSkipped
            warnings.append(found.message + (skipped > 0 ? "; the \(skipped) polls after it skipped up to the next keyframe" : ""))
            damage = nil
        }
        while offset < bytes.count {
            guard let header = ChunkHeader.decode(bytes, at: offset) else {
                if let next = Self.nextHeader(in: bytes, after: offset) {
                    reportDamage()
                    damage = ("\(name): bytes \(offset)..<\(next) are not a readable chunk, skipped", 0)
                    chainStart = nil
                    offset = next
                    continue
                }
                reportDamage()
                let cut = bytes.count - offset < ChunkHeader.size ? "its header cut short" : "its header unreadable"
                warnings.append("\(name): last chunk torn at byte \(offset), \(cut); its records lost")
                return
            }
            let end = offset + ChunkHeader.size + header.payloadLength
            guard end <= bytes.count else {
                reportDamage()
                return warnings.append("\(name): last chunk torn at byte \(offset), \(header.records) records lost")
            }
            let payload = bytes[(offset + ChunkHeader.size)..<end]
            let firstOrdinal = nextOrdinal
            nextOrdinal += header.records
            var intact = Zlib.crc32(payload) == header.payloadCRC
            if intact, header.audits > 0 || header.flags.contains(.holdsLoss) {
                intact = readAuditsAndLosses(payload, header: header, firstOrdinal: firstOrdinal, file: name)
            }
            guard intact else {
                reportDamage()
                if end == bytes.count { return warnings.append("\(name): last chunk torn at byte \(offset), \(header.records) records lost") }
                damage = ("\(name): chunk at byte \(offset) is damaged (CRC or contents), \(header.records) records lost", 0)
                chainStart = nil
                offset = end
                continue
            }
            if header.polls > 0 {
                if header.flags.contains(.startsWithKeyframe) {
                    reportDamage()
                    chainStart = chunks.count
                }
                if let chainStart {
                    chunks.append(Chunk(path: path, offset: offset, header: header, firstOrdinal: firstOrdinal, chainStart: chainStart))
                } else if damage != nil {
                    damage?.pollsSkipped += header.polls
                } else {
                    damage = ("\(name): \(header.polls) polls at byte \(offset) come before the file's first keyframe, skipped", 0)
                }
            }
            offset = end
        }
        reportDamage()
    }

    /// The offset of the next readable chunk header after `offset`, if there is one.
    private static func nextHeader(in bytes: [UInt8], after offset: Int) -> Int? {
        var candidate = offset + 1
        while candidate + ChunkHeader.size <= bytes.count {
            if bytes[candidate] == ChunkHeader.magic[0], ChunkHeader.decode(bytes, at: candidate) != nil { return candidate }
            candidate += 1
        }
        return nil
    }

    /// Collects the audit entries of an intact chunk and turns its loss records into warnings;
    /// false when its records cannot be read (the chunk then counts as damaged).
    private mutating func readAuditsAndLosses(_ payload: ArraySlice<UInt8>, header: ChunkHeader, firstOrdinal: Int, file: String) -> Bool {
        guard let raw = try? Zlib.decompress(payload, rawLength: header.rawLength) else { return false }
        var found: [Audit] = []
        var losses: [String] = []
        let decoder = JSONDecoder()
        do {
            var reader = RecordingBytesReader(raw)
            var ordinal = firstOrdinal
            while !reader.isAtEnd {
                let kind = RecordKind(rawValue: try reader.byte())
                var body = RecordingBytesReader(raw, range: try reader.blobRange())
                switch kind {
                case .audit:
                    let time = try body.signed()
                    let entry = try decoder.decode(AuditEntry.self, from: Data(raw[try body.blobRange()]))
                    found.append(Audit(ordinal: ordinal, time: time, entry: entry))
                case .loss:
                    let time = try body.signed()
                    let dropped = try body.count(below: Int.max), lost = try body.count(below: Int.max)
                    let when = RecordingTime.date(time).formatted(.iso8601)
                    losses.append("\(file): the recorder dropped \(dropped) records (queue full) and lost \(lost) (write failures) before \(when)")
                case .keyframe, .delta, nil: break
                }
                ordinal += 1
            }
        } catch {
            return false
        }
        audits += found
        warnings += losses
        return true
    }
}
