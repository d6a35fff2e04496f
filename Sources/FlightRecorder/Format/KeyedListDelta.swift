import ScootAPI
import Thrift

/// An element of a keyed list: a Thrift struct with an id that names it within its list.
protocol KeyedElement: ThriftStruct, Equatable {
    /// The id that matches it between one poll's list and the next.
    var listKey: String { get }
}

extension JobSummary: KeyedElement {
    var listKey: String { id }
}

extension WorkerInfo: KeyedElement {
    var listKey: String { id }
}

extension TaskSummary: KeyedElement {
    var listKey: String { taskId }
}

/// A list of Thrift structs with an id each (jobs, workers, a job's tasks) recorded as what
/// changed against the previous list: removals, changed elements (as `ThriftFieldDiff`s) and
/// added elements, each by index, and the order of the elements kept when it changed.
///
/// Layout (docs/recording.md, "Keyed lists"): mode byte 0, then
/// - removed: count, then the indices in the old list (ascending, gap-coded);
/// - changed: count, then for each an old index (ascending, gap-coded) and its field diff;
/// - added: count, then for each its index in the new list (ascending, gap-coded) and its bytes;
/// - order: 0 when the kept elements keep their relative order, else 1, the count and the old
///   index of each kept element in its new order.
/// When ids repeat in either list (nothing can be matched by id), mode byte 1 and the new list
/// whole: the count and each element's bytes.
enum KeyedListDelta {
    private enum Mode: UInt8 {
        case delta = 0
        case whole = 1
    }

    /// Writes the change from `old` to `new`, matching elements by `listKey`.
    static func encode<Element: KeyedElement>(from old: [Element], to new: [Element], into writer: inout RecordingBytesWriter) {
        // Elements are read where they are stored: iterating the arrays would copy each (a
        // job's strings retained and released) at every poll.
        old.withUnsafeBufferPointer { old in
            new.withUnsafeBufferPointer { new in encode(from: old, to: new, into: &writer) }
        }
    }

    private static func encode<Element: KeyedElement>(
        from old: UnsafeBufferPointer<Element>, to new: UnsafeBufferPointer<Element>, into writer: inout RecordingBytesWriter
    ) {
        // The common case: the same ids at the same places (repeated or not: nothing is matched
        // by id), some elements changed.
        if old.count == new.count, old.indices.allSatisfy({ old[$0].listKey == new[$0].listKey }) {
            writer.byte(Mode.delta.rawValue)
            writer.count(0)
            let changed = old.indices.filter { old[$0] != new[$0] }
            writeAscending(changed, into: &writer) { writer, offset in
                ThriftFieldDiff.encode(from: old[changed[offset]], to: new[changed[offset]], into: &writer)
            }
            writer.count(0)
            writer.byte(0)
            return
        }
        var oldIndex: [String: Int] = Dictionary(minimumCapacity: old.count)
        for index in old.indices {
            guard oldIndex.updateValue(index, forKey: old[index].listKey) == nil else { return encodeWhole(new, into: &writer) }
        }
        var kept: [Int] = []
        var changes: [(old: Int, new: Int)] = []
        var added: [Int] = []
        var seen = [Bool](repeating: false, count: old.count)
        var newKeys: Set<String> = []
        newKeys.reserveCapacity(new.count)
        for position in new.indices {
            let elementKey = new[position].listKey
            guard newKeys.insert(elementKey).inserted else { return encodeWhole(new, into: &writer) }
            if let index = oldIndex[elementKey] {
                kept.append(index)
                seen[index] = true
                if old[index] != new[position] { changes.append((index, position)) }
            } else {
                added.append(position)
            }
        }
        writer.byte(Mode.delta.rawValue)
        writeAscending(seen.indices.filter { !seen[$0] }, into: &writer)
        // Changed elements by old index, so that the indices are ascending.
        changes.sort { $0.old < $1.old }
        writeAscending(changes.map(\.old), into: &writer) { writer, offset in
            ThriftFieldDiff.encode(from: old[changes[offset].old], to: new[changes[offset].new], into: &writer)
        }
        writeAscending(added, into: &writer) { writer, offset in writer.blob(new[added[offset]].thriftBytes()) }
        if zip(kept, kept.dropFirst()).allSatisfy({ $0 < $1 }) {
            writer.byte(0)
        } else {
            writer.byte(1)
            writer.count(kept.count)
            for index in kept { writer.count(index) }
        }
    }

    /// The list that `old` becomes with the change at the reader's position.
    static func apply<Element: ThriftStruct>(to old: [Element], from reader: inout RecordingBytesReader) throws -> [Element] {
        switch Mode(rawValue: try reader.byte()) {
        case .whole:
            return try (0..<(try reader.count())).map { _ in try reader.thrift(Element.self, in: try reader.blobRange()) }
        case .delta:
            var removed = [Bool](repeating: false, count: old.count)
            try readAscending(below: old.count, from: &reader) { index, _ in removed[index] = true }
            var current = old
            try readAscending(below: old.count, from: &reader) { index, reader in
                guard !removed[index] else { throw RecordingFormatError("a removed element changed") }
                current[index] = try ThriftFieldDiff.apply(to: old[index], from: &reader)
            }
            var kept = removed.indices.filter { !removed[$0] }
            var added: [(position: Int, element: Element)] = []
            try readAscending(below: Int.max, from: &reader) { position, reader in
                added.append((position, try reader.thrift(Element.self, in: try reader.blobRange())))
            }
            switch try reader.byte() {
            case 0: break
            case 1:
                let count = try reader.count()
                guard count == kept.count else { throw RecordingFormatError("the order lists \(count) of \(kept.count) kept elements") }
                var placed = [Bool](repeating: false, count: old.count)
                kept = try (0..<count).map { _ in
                    let index = try reader.count(below: old.count)
                    guard !removed[index], !placed[index] else { throw RecordingFormatError("the order repeats or names a removed element") }
                    placed[index] = true
                    return index
                }
            default: throw RecordingFormatError("unknown order mode")
            }
            let total = kept.count + added.count
            guard added.last.map({ $0.position < total }) ?? true else { throw RecordingFormatError("an added element beyond the list") }
            var result: [Element] = []
            result.reserveCapacity(total)
            var nextAdded = 0
            var nextKept = 0
            for position in 0..<total {
                if nextAdded < added.count, added[nextAdded].position == position {
                    result.append(added[nextAdded].element)
                    nextAdded += 1
                } else {
                    result.append(current[kept[nextKept]])
                    nextKept += 1
                }
            }
            return result
        case nil:
            throw RecordingFormatError("unknown keyed-list mode")
        }
    }

    private static func encodeWhole<Element: ThriftStruct>(_ new: UnsafeBufferPointer<Element>, into writer: inout RecordingBytesWriter) {
        writer.byte(Mode.whole.rawValue)
        writer.count(new.count)
        for element in new { writer.blob(element.thriftBytes()) }
    }

    /// Writes the count of `values` (strictly ascending) and each as its gap from the one before
    /// (the first as itself), followed by whatever `each` writes for it.
    private static func writeAscending(
        _ values: [Int], into writer: inout RecordingBytesWriter, each: (inout RecordingBytesWriter, Int) -> Void = { _, _ in }
    ) {
        writer.count(values.count)
        var previous = -1
        for (offset, value) in values.enumerated() {
            writer.count(value - previous - 1)
            previous = value
            each(&writer, offset)
        }
    }

    /// Reads what `writeAscending` wrote, each value below `limit`, calling `each` after each value.
    private static func readAscending(
        below limit: Int, from reader: inout RecordingBytesReader, each: (Int, inout RecordingBytesReader) throws -> Void
    ) throws {
        var previous = -1
        for _ in 0..<(try reader.count()) {
            let gap = try reader.count(below: limit)
            let (value, overflow) = (previous + 1).addingReportingOverflow(gap)
            guard !overflow, value < limit else { throw RecordingFormatError("index \(value) out of range") }
            previous = value
            try each(value, &reader)
        }
    }
}
