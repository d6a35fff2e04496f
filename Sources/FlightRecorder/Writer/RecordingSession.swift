import AuditLog
import ConsoleApp
import Foundation

/// The writer thread's half of the recorder: it owns the hour files, turns snapshots into
/// keyframes and deltas, gathers records into chunks, compresses and writes them. Only the
/// writer thread uses it (it is not Sendable), so nothing in it is locked.
///
/// Writes never stop recording: a chunk that cannot be written (disk full, directory read-only
/// or removed) is counted as lost, the file it was going to is closed (a partly written chunk
/// is cut off where it can be), `status.failure` says why, and the next chunk goes to a new file
/// that opens with a keyframe — so recording resumes by itself as soon as a write succeeds.
final class RecordingSession {
    /// A file being written.
    private struct OpenFile {
        let name: RecordingFileName
        let path: String
        let descriptor: Int32
        /// Bytes written to it so far.
        var size: Int
    }

    /// The records gathered since the last chunk was written.
    private struct PendingChunk {
        var payload = RecordingBytesWriter(capacity: 4096)
        var records = 0
        var polls = 0
        var audits = 0
        /// What its loss records tell, to be told again if the chunk itself is lost.
        var droppedTold = 0
        var lostTold = 0
        var flags: ChunkHeader.Flags = []
        var firstPollTime: Int64?
        var lastPollTime: Int64?
        var firstRecordTime: Int64?
        var lastRecordTime: Int64?
        /// When its first record was queued: it closes `chunkInterval` later.
        var openedAt: ContinuousClock.Instant?
    }

    private let directory: String
    private let configuration: FlightRecorder.Configuration
    /// Everything but `recordsDropped`, which the queue counts.
    private(set) var status = FlightRecorderStatus()

    private var file: OpenFile?
    /// The UTC hour the records being gathered belong to; a record of a later hour starts a new file.
    private var hour: Int64?
    private var chunk = PendingChunk()
    /// The last snapshot put in the stream, which the next delta is written against, and its time.
    private var previous: ClusterSnapshot?
    private var previousTime: Int64 = 0
    /// True until the next snapshot is written as a keyframe: at a new file, after a lost chunk.
    private var needsKeyframe = true
    private var pollsSinceKeyframe = 0
    private var keyframeBytes = 0
    private var deltaBytesSinceKeyframe = 0
    /// Records that never reached a file and are not yet told in a loss record.
    private var unreportedDropped = 0
    private var unreportedLost = 0

    init(directory: String, configuration: FlightRecorder.Configuration) {
        self.directory = directory
        self.configuration = configuration
    }

    /// When the chunk being gathered must be written, if it holds anything.
    var chunkDeadline: ContinuousClock.Instant? {
        chunk.openedAt.map { $0 + configuration.chunkInterval }
    }

    /// Applies the retention at the recorder's start.
    func start(now: Date) {
        status.filesDeleted += configuration.retention.sweep(directory: directory, now: now, keeping: nil)
    }

    /// Adds a poll's snapshot: a keyframe at a new file, every `keyframeInterval` polls and once
    /// the deltas since the last keyframe outweigh it `keyframeDeltaRatio` times; else a delta.
    func add(_ snapshot: ClusterSnapshot, queuedAt: ContinuousClock.Instant) {
        let time = RecordingTime.milliseconds(snapshot.observedAt)
        route(time)
        let keyframe = needsKeyframe || pollsSinceKeyframe >= configuration.keyframeInterval
            || deltaBytesSinceKeyframe >= keyframeBytes * configuration.keyframeDeltaRatio
        // A keyframe opens its chunk, so that replay starts at a chunk's first poll.
        if keyframe, chunk.polls > 0 { closeChunk() }
        reportLosses(before: time, queuedAt: queuedAt)
        var body = RecordingBytesWriter(capacity: 64)
        if !keyframe, let previous {
            body.signed(time - previousTime)
            SnapshotCodec.encode(snapshot, against: previous, into: &body)
            append(.delta, body: body, time: time, queuedAt: queuedAt)
            pollsSinceKeyframe += 1
            deltaBytesSinceKeyframe += body.count
        } else {
            body.signed(time)
            SnapshotCodec.encode(snapshot, against: SnapshotCodec.baseline, into: &body)
            append(.keyframe, body: body, time: time, queuedAt: queuedAt)
            needsKeyframe = false
            pollsSinceKeyframe = 1
            keyframeBytes = body.count
            deltaBytesSinceKeyframe = 0
        }
        previous = snapshot
        previousTime = time
        closeChunkIfFull()
    }

    /// Adds an audit entry received at `receivedAt`.
    func add(_ entry: AuditEntry, receivedAt: Date, queuedAt: ContinuousClock.Instant) {
        let time = RecordingTime.milliseconds(receivedAt)
        route(time)
        reportLosses(before: time, queuedAt: queuedAt)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // AuditEntry holds strings, a string map and an enum: encoding it cannot fail.
        guard let json = try? encoder.encode(entry) else { return }
        var body = RecordingBytesWriter(capacity: json.count + 16)
        body.signed(time)
        body.blob(json)
        append(.audit, body: body, time: time, queuedAt: queuedAt)
        closeChunkIfFull()
    }

    /// Counts records the queue dropped; the next record is preceded by a loss record saying so.
    func noteDropped(_ count: Int) {
        unreportedDropped += count
    }

    /// Writes the chunk being gathered if its time is up.
    func closeChunkIfDue(at now: ContinuousClock.Instant) {
        if let deadline = chunkDeadline, deadline <= now { closeChunk() }
    }

    /// Writes the chunk being gathered and closes the file: the recorder is closing.
    func finish() {
        closeChunk()
        closeFile()
    }

    /// Starts a new file (and a keyframe) when `time` is in a later hour than the records before.
    private func route(_ time: Int64) {
        let recordHour = RecordingTime.hour(time)
        guard let hour, recordHour <= hour else {
            closeChunk()
            closeFile()
            hour = recordHour
            needsKeyframe = true
            return
        }
    }

    private func reportLosses(before time: Int64, queuedAt: ContinuousClock.Instant) {
        guard unreportedDropped > 0 || unreportedLost > 0 else { return }
        var body = RecordingBytesWriter(capacity: 16)
        body.signed(time)
        body.count(unreportedDropped)
        body.count(unreportedLost)
        chunk.droppedTold += unreportedDropped
        chunk.lostTold += unreportedLost
        unreportedDropped = 0
        unreportedLost = 0
        append(.loss, body: body, time: time, queuedAt: queuedAt)
    }

    private func append(_ kind: RecordKind, body: RecordingBytesWriter, time: Int64, queuedAt: ContinuousClock.Instant) {
        chunk.payload.byte(kind.rawValue)
        chunk.payload.blob(body.bytes)
        chunk.records += 1
        chunk.openedAt = chunk.openedAt ?? queuedAt
        chunk.firstRecordTime = chunk.firstRecordTime ?? time
        chunk.lastRecordTime = time
        switch kind {
        case .keyframe, .delta:
            if chunk.polls == 0, kind == .keyframe { chunk.flags.insert(.startsWithKeyframe) }
            chunk.polls += 1
            chunk.firstPollTime = chunk.firstPollTime ?? time
            chunk.lastPollTime = time
        case .audit: chunk.audits += 1
        case .loss: chunk.flags.insert(.holdsLoss)
        }
    }

    private func closeChunkIfFull() {
        if chunk.records >= configuration.chunkRecords || chunk.payload.count >= configuration.chunkBytes { closeChunk() }
    }

    /// Compresses and writes the chunk being gathered (opening the hour's file first if none is
    /// open), then syncs the file's data (fdatasync); on failure counts its records as lost.
    func closeChunk() {
        guard chunk.records > 0 else { return }
        defer { chunk = PendingChunk() }
        let raw = chunk.payload.bytes
        let payload = Zlib.compress(raw, level: configuration.compressionLevel)
        let header = ChunkHeader(
            payloadLength: payload.count, rawLength: raw.count, payloadCRC: Zlib.crc32(payload[...]), records: chunk.records,
            polls: chunk.polls, audits: chunk.audits, flags: chunk.flags,
            firstTime: chunk.firstPollTime ?? chunk.firstRecordTime ?? 0, lastTime: chunk.lastPollTime ?? chunk.lastRecordTime ?? 0)
        do throws(WriteFailure) {
            let created = file == nil
            var target: OpenFile
            if let file {
                target = file
            } else {
                target = try openFile()
                file = target
            }
            let bytes = (created ? RecordingFormat.fileHeader : []) + header.encoded() + payload
            do throws(WriteFailure) {
                try write(bytes, to: target)
            } catch {
                // Cut a partly written chunk off (and a file that holds nothing but it), so that
                // the file ends with its last whole chunk.
                if created {
                    unlink(target.path)
                } else {
                    ftruncate(target.descriptor, off_t(target.size))
                }
                throw error
            }
            target.size += bytes.count
            file = target
            status.recordsWritten += chunk.polls + chunk.audits
            status.bytesWritten += Int64(bytes.count)
            status.failure = nil
            status.failingSince = nil
        } catch {
            closeFile()
            status.failure = error.description
            status.failingSince = status.failingSince ?? Date()
            status.lastError = error.description
            status.writeFailures += 1
            status.recordsLost += chunk.polls + chunk.audits
            unreportedDropped += chunk.droppedTold
            unreportedLost += chunk.lostTold + chunk.polls + chunk.audits
            needsKeyframe = true
        }
    }

    private func closeFile() {
        guard let open = file else { return }
        close(open.descriptor)
        file = nil
        status.file = nil
    }

    /// Why a write failed, as the status shows it.
    private struct WriteFailure: Error, CustomStringConvertible {
        let description: String

        init(_ what: String, _ path: String, code: Int32 = errno) {
            description = "cannot \(what) \(path): \(String(cString: strerror(code)))"
        }

        init(description: String) {
            self.description = description
        }
    }

    /// Creates the directory if needed and the hour's next file (sequence 1, else one past the
    /// highest there), then applies the retention.
    private func openFile() throws(WriteFailure) -> OpenFile {
        let hour = hour ?? 0
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw WriteFailure(description: "cannot create the recording directory \(directory): \(error.localizedDescription)")
        }
        let taken = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .compactMap { RecordingFileName(parsing: $0) }.filter { $0.hour == hour }.map(\.sequence)
        var name = RecordingFileName(hour: hour, sequence: (taken.max() ?? 0) + 1)
        var descriptor: Int32 = -1
        var path = ""
        for _ in 0..<8 {
            path = directory + "/" + name.name
            descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if descriptor >= 0 || errno != EEXIST { break }
            name = RecordingFileName(hour: hour, sequence: name.sequence + 1)
        }
        guard descriptor >= 0 else { throw WriteFailure("create", path) }
        // The new name reaches the disk too (best effort: the data syncs say what matters).
        let directoryDescriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
        status.file = path
        status.filesDeleted += configuration.retention.sweep(directory: directory, now: RecordingTime.date(hour * 3_600_000), keeping: name)
        return OpenFile(name: name, path: path, descriptor: descriptor, size: 0)
    }

    /// Writes all of `bytes` at the file's end and syncs its data; a file removed since it was
    /// opened (its directory deleted) is a failure, since what it would get is lost.
    private func write(_ bytes: [UInt8], to file: OpenFile) throws(WriteFailure) {
        var status = stat()
        guard fstat(file.descriptor, &status) == 0 else { throw WriteFailure("check", file.path) }
        guard status.st_nlink > 0 else { throw WriteFailure(description: "the recording file \(file.path) was deleted") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { pwrite(file.descriptor, $0.baseAddress! + offset, $0.count - offset, off_t(file.size + offset)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw WriteFailure("write", file.path)
            }
            offset += written
        }
        guard fdatasync(file.descriptor) == 0 else { throw WriteFailure("sync", file.path) }
    }
}
