import SchedulerCore
import ScootAPI
import Synchronization
import Testing
import TestSupport
import Thrift
@testable import ScootServer

@Suite("ChangeObservingProcessor: what serve --record keeps of every client's actions")
struct ChangeObservingProcessorTests {
    /// A scheduler behind the observing processor, and what it observed.
    final class Harness: Sendable {
        final class Log: Sendable { let changes = Mutex<[ObservedChange]>([]) }
        let log = Log()
        let service: SchedulerService = {
            let clock = ManualClock()
            return SchedulerService(scheduler: Scheduler(clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 1))), metrics: ServerMetrics())
        }()
        var client: ScootConsoleClient {
            let log = self.log
            let processor = ChangeObservingProcessor(wrapping: ScootConsoleProcessor(handler: service)) { change in log.changes.withLock { $0.append(change) } }
            return ScootConsoleClient(caller: ThriftLoopbackCaller(processor: processor))
        }
    }

    @Test func changesAreObservedWithTheirArgumentsAndOutcome() async throws {
        let harness = Harness()
        let client = harness.client
        try await client.setRebalanceThreshold(threshold: 30)
        try await client.setClassLoadPercents(loadPercents: ThriftMap(["land": 60, "diff": 40]))
        await #expect(throws: (any Error).self) { _ = try await client.killJob(jobId: "no-such-job") }
        let observed = harness.log.changes.withLock { $0 }
        #expect(observed.map(\.method) == ["SetRebalanceThreshold", "SetClassLoadPercents", "KillJob"])
        #expect(observed[0].arguments == "{1: 30}" && observed[0].error == nil)
        #expect(observed[1].arguments == #"{1: {"diff": 40, "land": 60}}"#)
        #expect(observed[2].arguments == #"{1: "no-such-job"}"#)
        #expect(observed[2].error?.contains("no-such-job") == true, "the server's error, from the reply: \(observed[2].error ?? "nil")")
    }

    @Test func readsAndRunJobAreNotObserved() async throws {
        let harness = Harness()
        let client = harness.client
        _ = try await client.getRebalanceThreshold()
        _ = try await client.runJob(job: JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["true"]), taskId: "t")]))
        _ = try await client.consoleClusterLoad()
        #expect(harness.log.changes.withLock { $0 }.isEmpty)
    }

    @Test func valuesOfAnyShapeBecomeBoundedText() throws {
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.list, id: 1)
        writer.writeListHeader(.i32, count: 20)
        for value in 0..<20 { writer.writeI32(Int32(value)) }
        writer.writeFieldHeader(.string, id: 2)
        writer.writeString(String(repeating: "x", count: 300))
        writer.writeFieldStop()
        let text = ThriftValueText.structText(of: writer.bytes, from: 0)
        #expect(text.hasPrefix("{1: [0, 1, 2,") && text.contains(", … 20 in all], 2: \"xxx"))
        #expect(text.hasSuffix("…\"}") && text.count < 300)
        #expect(ThriftValueText.structText(of: [0x0B, 0x00], from: 0) == "{?}", "a field header cut short")
        #expect(ThriftValueText.structText(of: [0x08, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, 0x0B, 0x00, 0x02, 0x00, 0x00, 0x00, 0x09, 0x61], from: 0) == "{1: 7, ?}",
                "a string longer than the bytes left")
    }
}
