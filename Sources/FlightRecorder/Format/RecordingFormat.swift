import Foundation

/// The layout of a recording file (docs/recording.md): a file header, then chunks, each a
/// `ChunkHeader` and a zlib-compressed payload of records.
enum RecordingFormat {
    /// The file header: this magic, then the version byte.
    static let fileMagic: [UInt8] = Array("SCOOTREC".utf8)
    /// The format version this build writes and the only one it reads.
    static let version: UInt8 = 1
    static let fileHeader: [UInt8] = fileMagic + [version]
    /// A file's name ends with it: `2026-12-03T05.scootrec`.
    static let fileExtension = "scootrec"
    /// The largest payload, compressed or inflated, that a reader accepts (a writer's chunk
    /// closes at `FlightRecorder.Configuration.chunkBytes`; only one huge keyframe comes near it).
    static let maximumPayloadBytes = 256 << 20
}

/// What a record holds; its byte opens the record, followed by the body's length (varint) and
/// the body.
enum RecordKind: UInt8 {
    /// A whole snapshot: its time (signed varint, ms since the epoch), then `SnapshotCodec`'s
    /// sections against its baseline.
    case keyframe = 1
    /// A snapshot against the one before it in the file: the time since that one's (signed
    /// varint, ms), then `SnapshotCodec`'s sections.
    case delta = 2
    /// An audit entry: when the recorder received it (signed varint, ms), then the entry as JSON
    /// (a blob).
    case audit = 3
    /// Records that never reached the file: the time (signed varint, ms) of the record it
    /// precedes, then how many the queue dropped when full and how many were in chunks that
    /// could not be written (two varints).
    case loss = 4
}

/// The fixed 43-byte header before each chunk's payload; every integer is big-endian.
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | magic `SRCK` |
/// | 4 | 4 | payload length (compressed bytes after the header) |
/// | 8 | 4 | raw length (the payload's bytes once inflated) |
/// | 12 | 4 | CRC-32 of the payload (compressed) |
/// | 16 | 2 | records |
/// | 18 | 2 | polls (keyframes and deltas) |
/// | 20 | 2 | audit entries |
/// | 22 | 1 | flags: 1 = the first poll is a keyframe, 2 = holds a loss record |
/// | 23 | 8 | the first poll's time, ms (a chunk without polls: its first record's) |
/// | 31 | 8 | the last poll's time, ms (a chunk without polls: its last record's) |
/// | 39 | 4 | CRC-32 of bytes 0..<39 |
struct ChunkHeader: Equatable {
    static let magic: [UInt8] = Array("SRCK".utf8)
    static let size = 43

    /// The header's flag bits.
    struct Flags: OptionSet, Equatable {
        let rawValue: UInt8
        /// The chunk's first poll is a keyframe: replay can start here.
        static let startsWithKeyframe = Flags(rawValue: 1)
        /// The chunk holds a `RecordKind.loss` record.
        static let holdsLoss = Flags(rawValue: 2)
    }

    var payloadLength: Int
    var rawLength: Int
    var payloadCRC: UInt32
    var records: Int
    var polls: Int
    var audits: Int
    var flags: Flags
    var firstTime: Int64
    var lastTime: Int64

    /// The header's 43 bytes.
    func encoded() -> [UInt8] {
        var writer = RecordingBytesWriter(capacity: Self.size)
        writer.raw(Self.magic)
        writer.bigEndian(UInt32(payloadLength))
        writer.bigEndian(UInt32(rawLength))
        writer.bigEndian(payloadCRC)
        writer.bigEndian(UInt16(records))
        writer.bigEndian(UInt16(polls))
        writer.bigEndian(UInt16(audits))
        writer.byte(flags.rawValue)
        writer.bigEndian(firstTime)
        writer.bigEndian(lastTime)
        writer.bigEndian(Zlib.crc32(writer.bytes[...]))
        return writer.bytes
    }

    /// The header at `offset` of `bytes`; nil unless all 43 bytes are there, the magic and the
    /// header's CRC match, and its counts and lengths are possible.
    static func decode(_ bytes: [UInt8], at offset: Int) -> ChunkHeader? {
        guard offset >= 0, bytes.count - offset >= size, bytes[offset..<(offset + 4)].elementsEqual(magic) else { return nil }
        var reader = RecordingBytesReader(bytes, range: (offset + 4)..<(offset + size))
        guard let payloadLength = try? reader.bigEndian(UInt32.self), let rawLength = try? reader.bigEndian(UInt32.self),
            let payloadCRC = try? reader.bigEndian(UInt32.self), let records = try? reader.bigEndian(UInt16.self),
            let polls = try? reader.bigEndian(UInt16.self), let audits = try? reader.bigEndian(UInt16.self), let flags = try? reader.byte(),
            let firstTime = try? reader.bigEndian(Int64.self), let lastTime = try? reader.bigEndian(Int64.self),
            let headerCRC = try? reader.bigEndian(UInt32.self), headerCRC == Zlib.crc32(bytes[offset..<(offset + size - 4)])
        else { return nil }
        let header = ChunkHeader(
            payloadLength: Int(payloadLength), rawLength: Int(rawLength), payloadCRC: payloadCRC, records: Int(records), polls: Int(polls),
            audits: Int(audits), flags: Flags(rawValue: flags), firstTime: firstTime, lastTime: lastTime)
        guard header.records > 0, header.polls + header.audits <= header.records, header.rawLength > 0,
            header.payloadLength <= RecordingFormat.maximumPayloadBytes, header.rawLength <= RecordingFormat.maximumPayloadBytes
        else { return nil }
        return header
    }
}

/// An hour file's name: `2026-12-03T05.scootrec` for the UTC hour's first file, and
/// `2026-12-03T05.2.scootrec`, `.3` … for the files of later sessions in the same hour (a
/// recorder never appends to a file it did not create, whose tail may be torn).
struct RecordingFileName: Comparable, Hashable {
    /// Hours since the epoch (UTC).
    let hour: Int64
    /// 1 for the hour's first file.
    let sequence: Int

    init(hour: Int64, sequence: Int) {
        self.hour = hour
        self.sequence = sequence
    }

    /// The name's parts; nil for a name that is not a recording file's.
    init?(parsing name: String) {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.last == Substring(RecordingFormat.fileExtension),
            let hour = Self.hour(parsing: String(parts[0]))
        else { return nil }
        guard parts.count == 3 else {
            self.init(hour: hour, sequence: 1)
            return
        }
        guard let sequence = Int(parts[1]), sequence >= 2, String(sequence) == parts[1] else { return nil }
        self.init(hour: hour, sequence: sequence)
    }

    var name: String {
        let stem = Self.format(hour: hour)
        return sequence == 1 ? "\(stem).\(RecordingFormat.fileExtension)" : "\(stem).\(sequence).\(RecordingFormat.fileExtension)"
    }

    static func < (lhs: RecordingFileName, rhs: RecordingFileName) -> Bool {
        (lhs.hour, lhs.sequence) < (rhs.hour, rhs.sequence)
    }

    /// `2026-12-03T05` for the hour's start, in UTC.
    static func format(hour: Int64) -> String {
        var seconds = time_t(hour * 3600)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(fields.tm_year + 1900)-\(two(fields.tm_mon + 1))-\(two(fields.tm_mday))T\(two(fields.tm_hour))"
    }

    /// The hour `format(hour:)` wrote; nil for anything else.
    private static func hour(parsing stem: String) -> Int64? {
        let digits = stem.split(whereSeparator: { $0 == "-" || $0 == "T" }).compactMap { Int32($0) }
        guard stem.utf8.count == 13, digits.count == 4 else { return nil }
        var fields = tm()
        fields.tm_year = digits[0] - 1900
        fields.tm_mon = digits[1] - 1
        fields.tm_mday = digits[2]
        fields.tm_hour = digits[3]
        let hour = Int64(timegm(&fields)) / 3600
        return format(hour: hour) == stem ? hour : nil
    }
}
