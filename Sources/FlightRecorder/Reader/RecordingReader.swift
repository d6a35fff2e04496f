import AuditLog
import ConsoleApp
import Foundation
import Synchronization

/// A recording opened for replay: one hour file, or a directory of them (all its
/// `*.scootrec` files, oldest hour first). Opening indexes the chunks (`RecordingIndex`);
/// `frame(at:)` seeks to the chain's keyframe and applies deltas forward, and keeps the state it
/// reached, so that stepping forward by a poll costs one delta. Damaged data is skipped and
/// told in `warnings`, never a reason not to replay the rest.
///
/// Reading blocks (files, inflating); call it from a thread of your own. Calls are serialized.
public final class RecordingReader: RecordingSource {
    /// The first and the last replayable poll's time; nil when there is none.
    public let span: ClosedRange<Date>?
    /// What opening found damaged or lost, one line each, naming the file.
    public let warnings: [String]
    /// Every audit entry that could be read, oldest first, at the time the recorder received it.
    public let marks: [RecordedMark]
    /// The polls replay can show.
    public let pollCount: Int
    /// Runs of chunks whose polls follow each other within `RecordedSessions.gap`: a console
    /// closes its chunk on quit, so each run of the console is one session at least.
    public let sessions: [ClosedRange<Date>]

    private let index: RecordingIndex
    private let cache = Mutex(ReplayCache())

    /// Why a recording cannot be opened or a chunk read.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// What went wrong, naming the file.
        public var description: String
    }

    /// Opens `path`: a recording file, or a directory whose recording files are read in time order.
    public init(path: String) throws(Failure) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure(description: "no recording at \(path)")
        }
        var paths = [path]
        if isDirectory.boolValue {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                throw Failure(description: "cannot list the recording directory \(path)")
            }
            paths = names.compactMap { name in RecordingFileName(parsing: name).map { ($0, path + "/" + name) } }
                .sorted { $0.0 < $1.0 }.map(\.1)
        }
        index = RecordingIndex(paths: paths)
        warnings = index.warnings
        marks = index.audits.map { RecordedMark(time: RecordingTime.date($0.time), action: $0.entry.action, outcome: $0.entry.outcome) }
        pollCount = index.chunks.reduce(0) { $0 + $1.header.polls }
        var sessions: [ClosedRange<Date>] = []
        for chunk in index.chunks where chunk.header.polls > 0 {
            let range = RecordingTime.date(chunk.header.firstTime)...RecordingTime.date(max(chunk.header.firstTime, chunk.header.lastTime))
            if let last = sessions.last, range.lowerBound.timeIntervalSince(last.upperBound) <= RecordedSessions.gap {
                sessions[sessions.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                sessions.append(range)
            }
        }
        self.sessions = sessions
        if let first = index.chunks.map(\.header.firstTime).min(), let last = index.chunks.map(\.header.lastTime).max() {
            span = RecordingTime.date(first)...RecordingTime.date(max(first, last))
        } else {
            span = nil
        }
    }

    /// The last poll at or before `time` (the first poll for an earlier time), with the audit
    /// entries recorded before it; nil when the recording holds no poll.
    public func frame(at time: Date) throws -> RecordedFrame? {
        let chunks = index.chunks
        guard !chunks.isEmpty else { return nil }
        let target = RecordingTime.millisecondsAtOrBefore(time)
        // The last chunk whose first poll is at or before the time (else the first chunk).
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle].header.firstTime <= target { low = middle + 1 } else { high = middle }
        }
        let chunkIndex = max(low - 1, 0)
        return try cache.withLock { cache in
            let parsed = try cache.parsedChunk(chunkIndex, of: index)
            let pollIndex = parsed.polls.lastIndex { $0.time <= target } ?? 0
            let snapshot = try cache.snapshot(atPoll: pollIndex, ofChunk: chunkIndex, in: index)
            let previousPollAt = pollIndex > 0 ? parsed.polls[pollIndex - 1].time : chunkIndex > 0 ? chunks[chunkIndex - 1].header.lastTime : nil
            let nextPollAt = pollIndex + 1 < parsed.polls.count
                ? parsed.polls[pollIndex + 1].time : chunkIndex + 1 < chunks.count ? chunks[chunkIndex + 1].header.firstTime : nil
            return RecordedFrame(
                snapshot: snapshot, previousPollAt: previousPollAt.map(RecordingTime.date), nextPollAt: nextPollAt.map(RecordingTime.date),
                audit: audit(before: parsed.polls[pollIndex].ordinal))
        }
    }

    /// The newest `RecordedFrame.auditLimit` audit entries recorded before the stream position `ordinal`.
    private func audit(before ordinal: Int) -> [AuditEntry] {
        let audits = index.audits
        var low = 0
        var high = audits.count
        while low < high {
            let middle = (low + high) / 2
            if audits[middle].ordinal < ordinal { low = middle + 1 } else { high = middle }
        }
        return audits[max(0, low - RecordedFrame.auditLimit)..<low].map(\.entry)
    }
}

/// A chunk's records inflated, with each poll's time and where its body is.
private struct ParsedChunk {
    struct Poll {
        let kind: RecordKind
        let time: Int64
        let ordinal: Int
        /// The body after its time.
        let body: Range<Int>
    }

    let index: Int
    let raw: [UInt8]
    let polls: [Poll]
}

/// What the reader keeps between calls: the last chunk it inflated and the state it reached.
private struct ReplayCache {
    /// The snapshot after applying the poll `poll` of the chunk `chunk`.
    struct Cursor {
        let chunk: Int
        let poll: Int
        let snapshot: ClusterSnapshot
    }

    var cursor: Cursor?
    var parsed: ParsedChunk?

    /// The chunk `chunkIndex` inflated (the last one is kept).
    mutating func parsedChunk(_ chunkIndex: Int, of index: RecordingIndex) throws -> ParsedChunk {
        if let parsed, parsed.index == chunkIndex { return parsed }
        let chunk = index.chunks[chunkIndex]
        let payload = try Self.read(chunk.payloadRange, of: chunk.path)
        guard Zlib.crc32(payload[...]) == chunk.header.payloadCRC else {
            throw RecordingReader.Failure(description: "\((chunk.path as NSString).lastPathComponent) changed since it was opened (chunk at byte \(chunk.offset))")
        }
        let raw = try Zlib.decompress(payload[...], rawLength: chunk.header.rawLength)
        var reader = RecordingBytesReader(raw)
        var polls: [ParsedChunk.Poll] = []
        polls.reserveCapacity(chunk.header.polls)
        var ordinal = chunk.firstOrdinal
        while !reader.isAtEnd {
            let kind = RecordKind(rawValue: try reader.byte())
            let range = try reader.blobRange()
            if kind == .keyframe || kind == .delta, let kind {
                var body = RecordingBytesReader(raw, range: range)
                let stamp = try body.signed()
                // The first poll's time is the header's; a delta's stamp is the time since the poll before.
                let time = kind == .keyframe ? stamp : polls.last.map { $0.time + stamp } ?? chunk.header.firstTime
                polls.append(ParsedChunk.Poll(kind: kind, time: time, ordinal: ordinal, body: body.position..<range.upperBound))
            }
            ordinal += 1
        }
        guard polls.count == chunk.header.polls else { throw RecordingFormatError("chunk at byte \(chunk.offset) holds \(polls.count) polls, not \(chunk.header.polls)") }
        let parsed = ParsedChunk(index: chunkIndex, raw: raw, polls: polls)
        self.parsed = parsed
        return parsed
    }

    /// The snapshot at poll `pollIndex` of chunk `chunkIndex`: from the cursor when it is on the
    /// way (same chain, not past it), else from the chain's keyframe.
    mutating func snapshot(atPoll pollIndex: Int, ofChunk chunkIndex: Int, in index: RecordingIndex) throws -> ClusterSnapshot {
        let chainStart = index.chunks[chunkIndex].chainStart
        var state = SnapshotCodec.baseline
        var position = (chunk: chainStart, poll: 0)
        if let cursor, index.chunks[cursor.chunk].chainStart == chainStart, (cursor.chunk, cursor.poll) <= (chunkIndex, pollIndex) {
            if (cursor.chunk, cursor.poll) == (chunkIndex, pollIndex) { return cursor.snapshot }
            state = cursor.snapshot
            position = (cursor.chunk, cursor.poll + 1)
        }
        while true {
            let parsed = try parsedChunk(position.chunk, of: index)
            let last = position.chunk == chunkIndex ? pollIndex : parsed.polls.count - 1
            if position.poll <= last {
                for poll in parsed.polls[position.poll...last] { state = try Self.apply(poll, of: parsed, to: state) }
            }
            if position.chunk == chunkIndex { break }
            position = (position.chunk + 1, 0)
        }
        cursor = Cursor(chunk: chunkIndex, poll: pollIndex, snapshot: state)
        return state
    }

    private static func apply(_ poll: ParsedChunk.Poll, of chunk: ParsedChunk, to state: ClusterSnapshot) throws -> ClusterSnapshot {
        var reader = RecordingBytesReader(chunk.raw, range: poll.body)
        var next = try SnapshotCodec.apply(to: poll.kind == .keyframe ? SnapshotCodec.baseline : state, from: &reader)
        guard reader.isAtEnd else { throw RecordingFormatError("a poll record has bytes after its last section") }
        next.observedAt = RecordingTime.date(poll.time)
        return next
    }

    /// The bytes at `range` of the file at `path`.
    private static func read(_ range: Range<Int>, of path: String) throws(RecordingReader.Failure) -> [UInt8] {
        let name = (path as NSString).lastPathComponent
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw RecordingReader.Failure(description: "cannot open \(name): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: range.count)
        var done = 0
        while done < range.count {
            let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + done, range.count - done, off_t(range.lowerBound + done)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { throw RecordingReader.Failure(description: "cannot read \(name) at byte \(range.lowerBound + done)") }
            done += count
        }
        return bytes
    }
}
