/// A Thrift `set` whose element type has an order (`ThriftOrderedKey`): its elements are kept
/// sorted, so that the same elements always encode to the same bytes without a sort on each
/// encode. It iterates in ascending order; `contains`, `insert` and `remove` are binary searches
/// (inserting elsewhere than at the end moves the later elements). Bound: the elements the caller
/// adds (decoding: `ThriftLimits.maxContainerElements`).
public struct ThriftSet<Element: ThriftOrderedKey> {
    /// Strictly ascending by `Element.thriftCompare`.
    @usableFromInline var storedElements: [Element]

    @inlinable
    init(sortedElements: [Element]) {
        storedElements = sortedElements
    }

    /// An empty set.
    @inlinable
    public init() {
        storedElements = []
    }

    /// The distinct elements of `elements`, sorted once.
    @inlinable
    public init<S: Sequence>(_ elements: S) where S.Element == Element {
        var builder = Builder(capacity: elements.underestimatedCount)
        for element in elements { builder.append(element) }
        self = builder.build()
    }

    /// Where `element` is, or where it would go.
    @inlinable
    func search(_ element: Element) -> (found: Bool, offset: Int) {
        ThriftSorting.search(storedElements, for: element)
    }

    /// Whether `element` is in the set.
    @inlinable
    public func contains(_ element: Element) -> Bool {
        search(element).found
    }

    /// Adds `element` unless it is there; returns whether it was added.
    @inlinable
    @discardableResult
    public mutating func insert(_ element: Element) -> Bool {
        let place = search(element)
        guard !place.found else { return false }
        storedElements.insert(element, at: place.offset)
        return true
    }

    /// Removes `element`; returns it if it was there.
    @inlinable
    @discardableResult
    public mutating func remove(_ element: Element) -> Element? {
        let place = search(element)
        guard place.found else { return nil }
        return storedElements.remove(at: place.offset)
    }
}

extension ThriftSet {
    /// Collects elements in any order and sorts them once, in `build()`; repeated elements are
    /// kept once. Generated decoders use it; ascending input is never sorted.
    public struct Builder {
        @usableFromInline var elements: [Element]
        @usableFromInline var isAscending = true

        /// A builder with room for `capacity` elements.
        @inlinable
        public init(capacity: Int) {
            elements = []
            elements.reserveCapacity(capacity)
        }

        /// Adds an element.
        @inlinable
        public mutating func append(_ element: consuming Element) {
            if isAscending && !ThriftSorting.extendsAscending(elements, with: element) { isAscending = false }
            elements.append(element)
        }

        /// The set of the elements appended.
        @inlinable
        public consuming func build() -> ThriftSet {
            if isAscending { return ThriftSet(sortedElements: elements) }
            return ThriftSet(sortedElements: ThriftSorting.lastOccurrencesInOrder(elements).map { elements[$0] })
        }
    }
}

extension ThriftSet: RandomAccessCollection {
    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storedElements.count }
    @inlinable public var count: Int { storedElements.count }
    @inlinable public var isEmpty: Bool { storedElements.isEmpty }

    /// The element at `position` in ascending order.
    @inlinable
    public subscript(position: Int) -> Element { storedElements[position] }
}

extension ThriftSet: ExpressibleByArrayLiteral {
    /// Repeated elements are kept once.
    @inlinable
    public init(arrayLiteral elements: Element...) {
        self.init(elements)
    }
}

extension ThriftSet: Equatable {
    @inlinable
    public static func == (lhs: ThriftSet, rhs: ThriftSet) -> Bool {
        guard lhs.storedElements.count == rhs.storedElements.count else { return false }
        for offset in lhs.storedElements.indices
        where Element.thriftCompare(lhs.storedElements[offset], rhs.storedElements[offset]) != 0 {
            return false
        }
        return true
    }
}

extension ThriftSet: Hashable {
    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(storedElements.count)
        for element in storedElements { hasher.combine(element) }
    }
}

extension ThriftSet: Sendable where Element: Sendable {}

extension ThriftSet: CustomStringConvertible, CustomDebugStringConvertible {
    /// As an array prints: `[1, 2]`.
    public var description: String {
        "[" + storedElements.map { String(reflecting: $0) }.joined(separator: ", ") + "]"
    }

    public var debugDescription: String { description }
}
