import SchedulerCore
import ScootAPI
import Testing
import Thrift
@testable import ScootServer

@Suite("serve: loopback by default, admins for offline and reinstate")
struct ServeAccessTests {
    @Test func theDefaultAddressesAreLoopbackAndGetNoWarning() throws {
        let defaults = [try HostAndPort(parsing: ServeAccess.defaultThriftAddress), try HostAndPort(parsing: ServeAccess.defaultHTTPAddress)]
        #expect(defaults.allSatisfy { ServeAccess.isLoopback($0.host) })
        #expect(ServeAccess.publicAddressWarnings(defaults).isEmpty)
        #expect(ServeAccess.publicAddressWarnings([HostAndPort(host: "localhost", port: 1), HostAndPort(host: "::1", port: 1)]).isEmpty)
    }

    @Test func aPublicAddressIsWarnedAbout() {
        let warnings = ServeAccess.publicAddressWarnings([HostAndPort(host: "0.0.0.0", port: 9090), HostAndPort(host: "127.0.0.1", port: 9091)])
        #expect(warnings == ["binding 0.0.0.0:9090, which is not a loopback address: anyone who can reach it can run commands here"])
        #expect(!ServeAccess.isLoopback("10.0.0.7"))
    }

    @Test func adminsAreCommaSeparatedNamesWithoutSpaces() throws {
        #expect(try ServeAccess.parseAdmins("alice,bob") == ["alice", "bob"])
        #expect(try ServeAccess.parseAdmins("root") == ["root"])
        #expect(throws: ServeAccess.InvalidAdmins(description: "--admins: empty name in 'alice,,bob'; give names separated by commas, e.g. alice,bob")) {
            try ServeAccess.parseAdmins("alice,,bob")
        }
        #expect(throws: ServeAccess.InvalidAdmins.self) { try ServeAccess.parseAdmins("") }
        #expect(throws: ServeAccess.InvalidAdmins(description: "--admins: 'bob smith' contains a space; names cannot")) {
            try ServeAccess.parseAdmins("alice,bob smith")
        }
    }

    @Test func aRequestorNotAmongTheAdminsGetsScootsInternalError() async throws {
        let clock = ManualClock()
        var configuration = SchedulerConfiguration()
        configuration.admins = ["alice", "bob"]
        let scheduler = Scheduler(configuration: configuration, clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 1)))
        await scheduler.step()
        let client = ScootConsoleClient(caller: ThriftLoopbackCaller(processor: ScootConsoleProcessor(handler: SchedulerService(scheduler: scheduler, metrics: ServerMetrics()))))
        await #expect(throws: TApplicationException(.internalError, message: "Internal error processing OfflineWorker: requestor mallory unauthorized to offline worker")) {
            try await client.offlineWorker(req: OfflineWorkerReq(id: "sim-worker-0", requestor: "mallory"))
        }
        try await client.offlineWorker(req: OfflineWorkerReq(id: "sim-worker-0", requestor: "alice"))
        await #expect(throws: TApplicationException(.internalError, message: "Internal error processing ReinstateWorker: requestor mallory unauthorized to reinstate worker")) {
            try await client.reinstateWorker(req: ReinstateWorkerReq(id: "sim-worker-0", requestor: "mallory"))
        }
        try await client.reinstateWorker(req: ReinstateWorkerReq(id: "sim-worker-0", requestor: "bob"))
        #expect(await scheduler.workers().map(\.state) != [.offline])
    }
}
