/// An array stored in chunks of `chunkSize` elements, each a copy-on-write array of its own.
///
/// A copy shares every chunk, and changing one element afterwards copies that element's chunk
/// only (and the small array of chunk references), never the whole array: a status or listing
/// built off the actor from a copy of a 400,000-task job costs the actor, when the next step
/// changes a task, about a thousand element copies instead of 400,000. Bound: the elements
/// given at creation; the count never changes.
struct ChunkedArray<Element>: RandomAccessCollection {
    /// Elements per chunk: small enough that copying one is a few microseconds.
    static var chunkSize: Int { 1_024 }

    private var chunks: [[Element]]
    let count: Int

    init(_ elements: some Collection<Element>) {
        var chunks: [[Element]] = []
        chunks.reserveCapacity((elements.count + Self.chunkSize - 1) / Self.chunkSize)
        var chunk: [Element] = []
        chunk.reserveCapacity(Swift.min(Self.chunkSize, elements.count))
        for element in elements {
            chunk.append(element)
            if chunk.count == Self.chunkSize {
                chunks.append(chunk)
                chunk = []
                chunk.reserveCapacity(Self.chunkSize)
            }
        }
        if !chunk.isEmpty { chunks.append(chunk) }
        self.chunks = chunks
        count = elements.count
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    /// Read in place (`job.tasks[i].state` copies no record).
    subscript(position: Int) -> Element {
        _read { yield chunks[position / Self.chunkSize][position % Self.chunkSize] }
        _modify { yield &chunks[position / Self.chunkSize][position % Self.chunkSize] }
    }
}

extension ChunkedArray: Sendable where Element: Sendable {}
