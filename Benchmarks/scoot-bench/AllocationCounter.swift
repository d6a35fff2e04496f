import MallocInterposerSwift

/// Counts heap allocations with ordo-one's malloc interposer, which `make bench` preloads.
enum AllocationCounter {
    /// Whether the interposer is loaded, so that counts mean something.
    static let isActive: Bool = {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        let probe = [Int](repeating: 1, count: 1000)
        MallocInterposerSwift.unhook()
        return probe.count == 1000 && MallocInterposerSwift.getStatistics().mallocCount > 0
    }()

    /// Allocation calls and bytes made by `body`, or nil without the interposer.
    static func count(_ body: () -> Void) -> (count: Int, bytes: Int)? {
        guard isActive else { return nil }
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        body()
        MallocInterposerSwift.unhook()
        let statistics = MallocInterposerSwift.getStatistics()
        return (Int(statistics.mallocCount), Int(statistics.mallocBytesCount))
    }
}
