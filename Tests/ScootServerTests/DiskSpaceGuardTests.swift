import Foundation
import SchedulerCore
import ScootAPI
import Testing
import TestSupport
import Thrift

@testable import ScootServer

/// RunJob is refused, with the reason logged, while the data directory's disk is below the reserve.
@Suite struct DiskSpaceGuardTests {
    /// A service whose RunJob asks a guard with `reserve` on the temporary directory.
    private struct GuardedService {
        let log = LogRecorder()
        let diskSpaceGuard: DiskSpaceGuard
        let client: ScootConsoleClient

        init(reserve: DiskReserve) {
            let clock = ManualClock()
            let scheduler = Scheduler(clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 1)))
            diskSpaceGuard = DiskSpaceGuard(
                directory: FileManager.default.temporaryDirectory, reserve: reserve, retryAfter: .seconds(30), logger: log.logger)
            let service = SchedulerService(scheduler: scheduler, metrics: ServerMetrics(), diskSpaceGuard: diskSpaceGuard)
            client = ScootConsoleClient(caller: ThriftLoopbackCaller(processor: ScootConsoleProcessor(handler: service)))
        }

        func runJob() async throws -> JobId {
            try await client.runJob(
                job: ScootAPI.JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["sleep", "1"]), taskId: "t")], requestor: "r"))
        }
    }

    @Test func aReserveAboveTheFreeSpaceRefusesRunJobAndLogsWhyOncePerMinute() async throws {
        // All of the file system reserved: more than is ever free.
        let service = GuardedService(reserve: .percent(100))
        await #expect(throws: CanNotScheduleNow(retryAfterMs: 30_000)) { try await service.runJob() }
        await #expect(throws: CanNotScheduleNow(retryAfterMs: 30_000)) { try await service.runJob() }
        let refusal = try #require(await service.diskSpaceGuard.refusal())
        #expect(refusal.description.contains("free of") && refusal.description.contains("below the reserve of"))
        #expect(service.log.lines.count == 1)
        let line = try #require(service.log.lines.first)
        #expect(line.hasPrefix("warning: refusing RunJob: only ") && line.contains(FileManager.default.temporaryDirectory.path))
        #expect(line.contains("(--disk-reserve: 100 %)"))
    }

    @Test func noReserveAdmitsRunJob() async throws {
        let service = GuardedService(reserve: .bytes(0))
        #expect(try await !service.runJob().id.isEmpty)
        #expect(service.log.lines.isEmpty)
    }

    @Test func theStandardReserveIsTheSmallerOfOneGibibyteAndFivePercent() {
        #expect(DiskReserve.standard.bytes(ofFileSystemSize: 10 << 30) == 512 << 20)
        #expect(DiskReserve.standard.bytes(ofFileSystemSize: 100 << 30) == 1 << 30)
        #expect(DiskReserve.percent(10).bytes(ofFileSystemSize: 1000) == 100)
    }

    @Test func reservesParseAsSizesOrPercentages() {
        #expect(DiskReserve(parsing: "2G") == .bytes(2 << 30))
        #expect(DiskReserve(parsing: "0") == .bytes(0))
        #expect(DiskReserve(parsing: "10%") == .percent(10))
        #expect(DiskReserve(parsing: "101%") == nil)
        #expect(DiskReserve(parsing: "lots") == nil)
    }

    @Test func byteCountsParseWithBinaryUnitsAndPrintInTheLargestUnit() {
        #expect(ByteCount.parse("1048576") == 1 << 20)
        #expect(ByteCount.parse("64M") == 64 << 20)
        #expect(ByteCount.parse("64MiB") == 64 << 20)
        #expect(ByteCount.parse("512k") == 512 << 10)
        #expect(ByteCount.parse("1.5G") == 3 << 29)
        #expect(ByteCount.parse("-1") == nil)
        #expect(ByteCount.parse("M") == nil)
        #expect(ByteCount.parse("1X") == nil)
        #expect(ByteCount.parse("99999999999T") == nil)
        #expect(ByteCount.text(512) == "512 bytes")
        #expect(ByteCount.text(64 << 20) == "64 MiB")
        #expect(ByteCount.text(3 << 29) == "1.5 GiB")
        #expect(ByteCount.text((1 << 30) + 1) == "1 GiB")
    }
}
