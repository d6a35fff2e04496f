import CHeap
import Glibc
@testable import ScootServer
import Testing

@Suite struct HeapTrimmerTests {
    /// 40 MB freed in small blocks stays in glibc's heap (below the top, which one block left
    /// allocated pins): the trimmer sees it and gives it back.
    @Test func freeHeapPastTheThresholdIsGivenBack() {
        let blocks = (0..<4_000).map { _ in malloc(10_000)! }
        for block in blocks { memset(block, 1, 10_000) }
        let pin = malloc(10_000)
        for block in blocks { free(block) }
        defer { free(pin) }
        #expect(cheap_free_bytes() > HeapTrimmer.threshold)
        let trimmer = HeapTrimmer()
        defer { trimmer.stop() }
        #expect(trimmer.trimIfWorthIt())
        #expect(trimmer.trimCount == 1)
    }
}
