/// A Thrift `map` whose key type has an order (`ThriftOrderedKey`): its entries are kept sorted
/// by key, so that the same entries always encode to the same bytes, whatever order they were
/// added in, without a sort on each encode.
///
/// It reads like a `Dictionary`: `map[key]`, `keys`, `values`, `for (key, value) in map` (in key
/// order), `mapValues`, `filter`, dictionary literals. Lookups are binary searches; adding keys in
/// ascending order, as decoding does, is amortised O(1), adding one elsewhere O(count) — to build
/// a large map from unsorted entries, use `Builder` or `init(_:)` from a dictionary, which sort
/// once. Bound: the entries the caller adds (decoding: `ThriftLimits.maxContainerElements`).
public struct ThriftMap<Key: ThriftOrderedKey, Value> {
    /// Strictly ascending by `Key.thriftCompare`.
    @usableFromInline var storedKeys: [Key]
    /// `storedValues[i]` belongs to `storedKeys[i]`.
    @usableFromInline var storedValues: [Value]

    @inlinable
    init(sortedKeys: [Key], values: [Value]) {
        storedKeys = sortedKeys
        storedValues = values
    }

    /// An empty map.
    @inlinable
    public init() {
        storedKeys = []
        storedValues = []
    }

    /// An empty map with room for `minimumCapacity` entries.
    @inlinable
    public init(minimumCapacity: Int) {
        self.init()
        reserveCapacity(minimumCapacity)
    }

    /// The entries of `dictionary`, sorted once.
    @inlinable
    public init(_ dictionary: [Key: Value]) {
        var builder = Builder(capacity: dictionary.count)
        for (key, value) in dictionary { builder.append(key, value) }
        self = builder.build()
    }

    /// The given entries; traps if two have the same key, as `Dictionary` does.
    @inlinable
    public init<S: Sequence>(uniqueKeysWithValues entries: S) where S.Element == (Key, Value) {
        var builder = Builder(capacity: entries.underestimatedCount)
        for (key, value) in entries { builder.append(key, value) }
        let count = builder.count
        self = builder.build()
        precondition(self.count == count, "duplicate keys in ThriftMap(uniqueKeysWithValues:)")
    }

    /// The keys, ascending.
    @inlinable
    public var keys: [Key] { storedKeys }

    /// The values, in the order of their keys.
    @inlinable
    public var values: [Value] { storedValues }

    /// Calls `body` with the keys (ascending) and the values (in their keys' order) where they are
    /// stored. Generated encoders loop over these by index: unlike `for (key, value) in map`, no
    /// tuple and no copy of the arrays is made, and nothing is called per entry but the writes.
    @inlinable
    public func withUnsafeEntries<Result>(
        _ body: (_ keys: UnsafeBufferPointer<Key>, _ values: UnsafeBufferPointer<Value>) throws -> Result
    ) rethrows -> Result {
        try storedKeys.withUnsafeBufferPointer { keys in
            try storedValues.withUnsafeBufferPointer { values in try body(keys, values) }
        }
    }

    /// Makes room for `minimumCapacity` entries.
    @inlinable
    public mutating func reserveCapacity(_ minimumCapacity: Int) {
        storedKeys.reserveCapacity(minimumCapacity)
        storedValues.reserveCapacity(minimumCapacity)
    }

    /// Where `key` is, or where it would go.
    @inlinable
    func search(_ key: Key) -> (found: Bool, offset: Int) {
        ThriftSorting.search(storedKeys, for: key)
    }

    /// The position of `key`, or `nil`.
    @inlinable
    public func index(forKey key: Key) -> Index? {
        let place = search(key)
        return place.found ? Index(offset: place.offset) : nil
    }

    /// The value for `key`; setting `nil` removes the entry.
    @inlinable
    public subscript(key: Key) -> Value? {
        get {
            let place = search(key)
            return place.found ? storedValues[place.offset] : nil
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// The value for `key`, or `defaultValue` (added on mutation) when there is none.
    @inlinable
    public subscript(key: Key, default defaultValue: @autoclosure () -> Value) -> Value {
        get {
            let place = search(key)
            return place.found ? storedValues[place.offset] : defaultValue()
        }
        _modify {
            var place = search(key)
            if !place.found {
                storedKeys.insert(key, at: place.offset)
                storedValues.insert(defaultValue(), at: place.offset)
                place.found = true
            }
            yield &storedValues[place.offset]
        }
    }

    /// Sets the value for `key`; returns the one it replaced.
    @inlinable
    @discardableResult
    public mutating func updateValue(_ value: Value, forKey key: Key) -> Value? {
        let place = search(key)
        if place.found {
            let old = storedValues[place.offset]
            storedValues[place.offset] = value
            return old
        }
        if place.offset == storedKeys.count {
            storedKeys.append(key)
            storedValues.append(value)
        } else {
            storedKeys.insert(key, at: place.offset)
            storedValues.insert(value, at: place.offset)
        }
        return nil
    }

    /// Removes the entry for `key`; returns its value.
    @inlinable
    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        let place = search(key)
        guard place.found else { return nil }
        storedKeys.remove(at: place.offset)
        return storedValues.remove(at: place.offset)
    }

    /// Removes every entry.
    @inlinable
    public mutating func removeAll(keepingCapacity: Bool = false) {
        storedKeys.removeAll(keepingCapacity: keepingCapacity)
        storedValues.removeAll(keepingCapacity: keepingCapacity)
    }

    /// The same keys with transformed values.
    @inlinable
    public func mapValues<T>(_ transform: (Value) throws -> T) rethrows -> ThriftMap<Key, T> {
        ThriftMap<Key, T>(sortedKeys: storedKeys, values: try storedValues.map(transform))
    }

    /// The keys whose transformed value is not `nil`, with that value.
    @inlinable
    public func compactMapValues<T>(_ transform: (Value) throws -> T?) rethrows -> ThriftMap<Key, T> {
        var result = ThriftMap<Key, T>()
        for offset in storedKeys.indices {
            if let value = try transform(storedValues[offset]) {
                result.storedKeys.append(storedKeys[offset])
                result.storedValues.append(value)
            }
        }
        return result
    }

    /// The entries that satisfy `isIncluded`, as a map (as `Dictionary.filter`).
    @inlinable
    public func filter(_ isIncluded: (Element) throws -> Bool) rethrows -> ThriftMap {
        var result = ThriftMap()
        for offset in storedKeys.indices where try isIncluded((storedKeys[offset], storedValues[offset])) {
            result.storedKeys.append(storedKeys[offset])
            result.storedValues.append(storedValues[offset])
        }
        return result
    }
}

// MARK: Building from unsorted entries

extension ThriftMap {
    /// Collects entries in any order and sorts them once, in `build()`; of two entries with the
    /// same key the later one is kept, as when a Thrift map is decoded. Generated decoders use it;
    /// entries that arrive in ascending order (as this library writes them) are never sorted.
    public struct Builder {
        @usableFromInline var keys: [Key]
        @usableFromInline var values: [Value]
        @usableFromInline var isAscending = true

        /// A builder with room for `capacity` entries.
        @inlinable
        public init(capacity: Int) {
            keys = []
            values = []
            keys.reserveCapacity(capacity)
            values.reserveCapacity(capacity)
        }

        /// Entries appended so far, duplicates included.
        @inlinable
        public var count: Int { keys.count }

        /// Adds an entry.
        @inlinable
        public mutating func append(_ key: consuming Key, _ value: consuming Value) {
            if isAscending && !ThriftSorting.extendsAscending(keys, with: key) { isAscending = false }
            keys.append(key)
            values.append(value)
        }

        /// The map of the entries appended.
        @inlinable
        public consuming func build() -> ThriftMap {
            if isAscending { return ThriftMap(sortedKeys: keys, values: values) }
            let order = ThriftSorting.lastOccurrencesInOrder(keys)
            return ThriftMap(sortedKeys: order.map { keys[$0] }, values: order.map { values[$0] })
        }
    }
}

/// The searching and sorting behind `ThriftMap` and `ThriftSet`.
@usableFromInline
enum ThriftSorting {
    /// Where `key` is in the strictly ascending `keys`, or where it would go.
    @inlinable
    static func search<Key: ThriftOrderedKey>(_ keys: [Key], for key: Key) -> (found: Bool, offset: Int) {
        // Appending in ascending order is the common case: check the end first.
        guard let last = keys.last else { return (false, 0) }
        let atEnd = Key.thriftCompare(last, key)
        if atEnd < 0 { return (false, keys.count) }
        if atEnd == 0 { return (true, keys.count - 1) }
        var low = 0, high = keys.count - 1
        while low < high {
            let middle = low + (high - low) / 2
            let order = Key.thriftCompare(keys[middle], key)
            if order == 0 { return (true, middle) }
            if order < 0 { low = middle + 1 } else { high = middle }
        }
        return (false, low)
    }

    /// Whether `key` may follow `keys` and leave them strictly ascending.
    @inlinable
    static func extendsAscending<Key: ThriftOrderedKey>(_ keys: [Key], with key: Key) -> Bool {
        guard let last = keys.last else { return true }
        return Key.thriftCompare(last, key) < 0
    }

    /// The offsets of `keys` in ascending key order, keeping only the last offset of equal keys.
    @inlinable
    static func lastOccurrencesInOrder<Key: ThriftOrderedKey>(_ keys: [Key]) -> [Int] {
        // Most comparisons are of the keys' integer prefixes; ties are broken by `thriftCompare`,
        // then by offset, so the last of a run of equal keys is the latest one.
        let prefixes = Key.thriftSortPrefixes(keys)
        var sorted = keys.indices.map { (prefix: prefixes[$0], offset: $0) }
        sorted.sort { a, b in
            if a.prefix != b.prefix { return a.prefix < b.prefix }
            let order = Key.thriftCompare(keys[a.offset], keys[b.offset])
            return order != 0 ? order < 0 : a.offset < b.offset
        }
        var kept: [Int] = []
        kept.reserveCapacity(sorted.count)
        for position in sorted.indices {
            let (prefix, offset) = sorted[position]
            let next = position + 1
            if next < sorted.count, sorted[next].prefix == prefix, Key.thriftCompare(keys[sorted[next].offset], keys[offset]) == 0 { continue }
            kept.append(offset)
        }
        return kept
    }
}

// MARK: Collection

extension ThriftMap: RandomAccessCollection {
    /// A position of an entry.
    public struct Index: Comparable, Hashable, Sendable {
        @usableFromInline let offset: Int

        @inlinable
        init(offset: Int) { self.offset = offset }

        @inlinable
        public static func < (lhs: Index, rhs: Index) -> Bool { lhs.offset < rhs.offset }
    }

    /// An entry, as a dictionary's.
    public typealias Element = (key: Key, value: Value)

    @inlinable public var startIndex: Index { Index(offset: 0) }
    @inlinable public var endIndex: Index { Index(offset: storedKeys.count) }
    @inlinable public var count: Int { storedKeys.count }
    @inlinable public var isEmpty: Bool { storedKeys.isEmpty }
    @inlinable public func index(after i: Index) -> Index { Index(offset: i.offset + 1) }
    @inlinable public func index(before i: Index) -> Index { Index(offset: i.offset - 1) }
    @inlinable public func index(_ i: Index, offsetBy distance: Int) -> Index { Index(offset: i.offset + distance) }
    @inlinable public func distance(from start: Index, to end: Index) -> Int { end.offset - start.offset }

    @inlinable
    public subscript(position: Index) -> Element {
        (storedKeys[position.offset], storedValues[position.offset])
    }
}

extension ThriftMap: ExpressibleByDictionaryLiteral {
    /// Traps on a repeated key, as a dictionary literal does.
    @inlinable
    public init(dictionaryLiteral elements: (Key, Value)...) {
        self.init(uniqueKeysWithValues: elements)
    }
}

extension ThriftMap: Equatable where Value: Equatable {
    @inlinable
    public static func == (lhs: ThriftMap, rhs: ThriftMap) -> Bool {
        guard lhs.storedKeys.count == rhs.storedKeys.count else { return false }
        for offset in lhs.storedKeys.indices where Key.thriftCompare(lhs.storedKeys[offset], rhs.storedKeys[offset]) != 0 {
            return false
        }
        return lhs.storedValues == rhs.storedValues
    }
}

extension ThriftMap: Hashable where Value: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storedKeys.count)
        for offset in storedKeys.indices {
            hasher.combine(storedKeys[offset])
            hasher.combine(storedValues[offset])
        }
    }
}

extension ThriftMap: Sendable where Key: Sendable, Value: Sendable {}

extension ThriftMap: CustomStringConvertible, CustomDebugStringConvertible {
    /// As a dictionary prints: `["a": 1, "b": 2]`, `[:]` when empty.
    public var description: String {
        guard !isEmpty else { return "[:]" }
        return "[" + map { "\(String(reflecting: $0.key)): \(String(reflecting: $0.value))" }.joined(separator: ", ") + "]"
    }

    public var debugDescription: String { description }
}

extension Dictionary where Key: ThriftOrderedKey {
    /// The entries of `map`. Two keys that `ThriftMap` keeps apart but `==` calls equal (two
    /// spellings of one string) become one entry, the later in key order.
    @inlinable
    public init(_ map: ThriftMap<Key, Value>) {
        self.init(zip(map.storedKeys, map.storedValues), uniquingKeysWith: { _, later in later })
    }
}
