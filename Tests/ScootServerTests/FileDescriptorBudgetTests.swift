import Glibc
import Testing
@testable import ScootServer

@Suite("File descriptor budget")
struct FileDescriptorBudgetTests {
    @Test func theThriftCapIsWhatIsLeftAfterTheReserve() {
        let roomy = FileDescriptorBudget.share(limit: 65_536, wantedThriftConnections: 1_024, httpConnections: 32, processWorkers: 4)
        #expect(roomy.reserve == 64 + 32 + 32)
        #expect(roomy.thriftConnections == 1_024)
        let tight = FileDescriptorBudget.share(limit: 1_024, wantedThriftConnections: 1_024, httpConnections: 32, processWorkers: 4)
        #expect(tight.thriftConnections == 1_024 - 128, "the cap shrinks so that accept never takes the last descriptor")
        #expect(FileDescriptorBudget.share(limit: 100, wantedThriftConnections: 1_024, httpConnections: 32, processWorkers: 4).thriftConnections == 0)
    }

    @Test func theSoftLimitIsRaisedToTheHardOne() {
        let budget = FileDescriptorBudget.raiseAndShare(wantedThriftConnections: 1_024, httpConnections: 32, processWorkers: 0)
        var limits = rlimit()
        #expect(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limits) == 0)
        #expect(limits.rlim_cur == limits.rlim_max || limits.rlim_cur == 1 << 20)
        #expect(budget.limit == Int(limits.rlim_cur))
    }
}
