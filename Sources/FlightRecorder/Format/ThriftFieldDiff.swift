import Thrift

/// A Thrift struct recorded as the top-level fields that changed. Applying it to the old
/// struct's encoded fields and decoding the result gives the new struct exactly, since every
/// field is either the old bytes or the new.
///
/// Layout (docs/recording.md, "Field diffs"): the count of changes, then each change, in
/// ascending field id order, as an unsigned varint `zigzag(field id) << 2 | operation` and its
/// operand:
/// - 0, set: the field's Thrift type byte and its TBinaryProtocol value as a blob (a field
///   added, or changed in a way a number cannot say);
/// - 1, step: an integer field (i16, i32, i64) present before and after, as the signed varint
///   difference (wrapping): a running count that moved by one costs two bytes;
/// - 2, remove: no operand (an optional field became nil).
///
/// This works for any generated struct (jobs, workers, the cluster load, task summaries), so a
/// job whose running count moved costs that one field, not the whole job.
enum ThriftFieldDiff {
    private enum Operation: UInt64 {
        case set = 0
        case step = 1
        case remove = 2
    }

    /// One top-level field of an encoded struct: its id, type and where its bytes are.
    private struct FieldSpan {
        let id: Int16
        let type: ThriftType
        /// The header (type and id) and the value.
        let range: Range<Int>

        var valueRange: Range<Int> { (range.lowerBound + 3)..<range.upperBound }
    }

    /// An encoded struct split into its top-level fields, ascending by id.
    private struct Fields {
        let bytes: [UInt8]
        let spans: [FieldSpan]

        /// A struct with no fields: what a diff from nothing starts from.
        static let none = Fields(bytes: [], spans: [])

        private init(bytes: [UInt8], spans: [FieldSpan]) {
            self.bytes = bytes
            self.spans = spans
        }

        /// `value`'s fields, or none for nil. Non-optional values take the other initializer,
        /// which reads them where they are stored instead of copying them into an optional.
        init<T: ThriftStruct>(of value: T?) throws {
            if let value { try self.init(of: value) } else { self = .none }
        }

        init<T: ThriftStruct>(of value: T) throws {
            let encoded = value.thriftBytes()
            bytes = encoded
            spans = try encoded.withUnsafeBytes { raw in
                try ThriftBinaryReader.withReader(unsafeBytes: raw) { reader in
                    var spans: [FieldSpan] = []
                    // Room for a typical struct's fields, so that the array grows once at most.
                    spans.reserveCapacity(16)
                    var start = reader.offset
                    while let field = try reader.readFieldHeader() {
                        try reader.skip(field.type)
                        spans.append(FieldSpan(id: field.id, type: field.type, range: start..<reader.offset))
                        start = reader.offset
                    }
                    // Generated encoders write fields by id; sort only what is not.
                    if !zip(spans, spans.dropFirst()).allSatisfy({ $0.id < $1.id }) { spans.sort { $0.id < $1.id } }
                    return spans
                }
            }
        }

        /// The integer value of an i16, i32 or i64 field, sign-extended.
        func integer(_ span: FieldSpan) -> Int64? {
            guard let width = ThriftFieldDiff.width(of: span.type) else { return nil }
            let unsigned = bytes[span.valueRange].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let shift = UInt64(64 - 8 * width)
            return Int64(bitPattern: unsigned << shift) >> shift
        }
    }

    /// The byte width of an integer type's values; nil for other types.
    private static func width(of type: ThriftType) -> Int? {
        switch type {
        case .i16: 2
        case .i32: 4
        case .i64: 8
        default: nil
        }
    }

    private static func writeChange(_ id: Int16, _ operation: Operation, into writer: inout RecordingBytesWriter) {
        let zigzag = UInt64(UInt16(bitPattern: (id << 1) ^ (id >> 15)))
        writer.unsigned(zigzag << 2 | operation.rawValue)
    }

    /// Writes the difference from `old` (nil: a struct with no fields) to `new`.
    static func encode<T: ThriftStruct>(from old: T?, to new: T, into writer: inout RecordingBytesWriter) {
        // Splitting the bytes a generated struct just encoded cannot fail.
        encode(from: try! Fields(of: old), to: try! Fields(of: new), into: &writer)
    }

    /// Writes the difference from `old` to `new`; for elements of a list, which an optional
    /// parameter would copy (a job's strings retained and released) at every poll.
    static func encode<T: ThriftStruct>(from old: T, to new: T, into writer: inout RecordingBytesWriter) {
        encode(from: try! Fields(of: old), to: try! Fields(of: new), into: &writer)
    }

    private static func encode(from before: Fields, to after: Fields, into writer: inout RecordingBytesWriter) {
        var changes = RecordingBytesWriter()
        var count = 0
        var oldIndex = 0
        func removeOldFields(below id: Int16?) {
            while oldIndex < before.spans.count, id.map({ before.spans[oldIndex].id < $0 }) ?? true {
                writeChange(before.spans[oldIndex].id, .remove, into: &changes)
                count += 1
                oldIndex += 1
            }
        }
        for span in after.spans {
            removeOldFields(below: span.id)
            var previous: FieldSpan?
            if oldIndex < before.spans.count, before.spans[oldIndex].id == span.id {
                previous = before.spans[oldIndex]
                oldIndex += 1
            }
            if let previous, before.bytes[previous.range].elementsEqual(after.bytes[span.range]) { continue }
            count += 1
            if let previous, previous.type == span.type, let was = before.integer(previous), let now = after.integer(span) {
                writeChange(span.id, .step, into: &changes)
                changes.signed(now &- was)
            } else {
                writeChange(span.id, .set, into: &changes)
                changes.byte(span.type.rawValue)
                changes.blob(after.bytes[span.valueRange])
            }
        }
        removeOldFields(below: nil)
        writer.count(count)
        writer.raw(changes.bytes)
    }

    /// The struct that `old` (nil: no fields) becomes with the difference at the reader's position.
    static func apply<T: ThriftStruct>(to old: T?, from reader: inout RecordingBytesReader) throws -> T {
        let before = try Fields(of: old)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(before.bytes.count + 16)
        var oldIndex = 0
        var previousID: Int16?
        for _ in 0..<(try reader.count()) {
            let change = try reader.unsigned()
            let zigzag = change >> 2
            guard zigzag <= UInt64(UInt16.max) else { throw RecordingFormatError("field id out of range in a change of \(T.self)") }
            let id = Int16(bitPattern: UInt16(zigzag >> 1)) ^ -Int16(zigzag & 1)
            guard previousID.map({ $0 < id }) ?? true else { throw RecordingFormatError("changes of \(T.self) out of field order") }
            previousID = id
            // The old fields before this one stay; this one (if it was there) is replaced.
            while oldIndex < before.spans.count, before.spans[oldIndex].id < id {
                encoded += before.bytes[before.spans[oldIndex].range]
                oldIndex += 1
            }
            var existing: FieldSpan?
            if oldIndex < before.spans.count, before.spans[oldIndex].id == id {
                existing = before.spans[oldIndex]
                oldIndex += 1
            }
            switch Operation(rawValue: change & 3) {
            case .set:
                let type = try reader.byte()
                guard ThriftType(rawValue: type) != nil, type != ThriftType.stop.rawValue else { throw RecordingFormatError("bad field type \(type) for \(T.self)") }
                encoded += [type, UInt8(truncatingIfNeeded: UInt16(bitPattern: id) >> 8), UInt8(truncatingIfNeeded: UInt16(bitPattern: id))]
                encoded += reader.bytes[try reader.blobRange()]
            case .step:
                guard let existing, let was = before.integer(existing), let width = width(of: existing.type) else {
                    throw RecordingFormatError("a step of \(T.self)'s field \(id), which is not an integer before")
                }
                let now = UInt64(bitPattern: was &+ (try reader.signed()))
                encoded += before.bytes[existing.range.lowerBound..<existing.valueRange.lowerBound]
                for byte in (0..<width).reversed() { encoded.append(UInt8(truncatingIfNeeded: now >> UInt64(8 * byte))) }
            case .remove:
                guard existing != nil else { throw RecordingFormatError("a removal of \(T.self)'s absent field \(id)") }
            case nil:
                throw RecordingFormatError("unknown change operation for \(T.self)")
            }
        }
        for span in before.spans[oldIndex...] { encoded += before.bytes[span.range] }
        encoded.append(ThriftType.stop.rawValue)
        return try T(thriftBytes: encoded)
    }
}
