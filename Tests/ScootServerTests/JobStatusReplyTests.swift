import NIOCore
import NIOPosix
import SchedulerCore
import ScootAPI
import Testing
import Thrift
@testable import ScootServer

/// `ServeProcessor` writes GetStatus and KillJob replies straight from the scheduler's
/// snapshot: its bytes must be exactly those of the generated processor over the same state.
@Suite("JobStatusReply: statuses written from the scheduler's snapshot")
struct JobStatusReplyTests {
    /// A scheduler with three simulated workers: task ids ending in "fail" fail, ids ending in
    /// "3" exit 3, the rest exit 0; a retry per task.
    struct Harness {
        let clock = ManualClock()
        let scheduler: Scheduler
        let generated: ScootConsoleProcessor<SchedulerService>
        let direct: ServeProcessor

        init() {
            let configuration = SimulatedWorkers.Configuration(workerCount: 3, outcomeOverride: { request in
                if request.task.taskID.hasSuffix("fail") { return .failure("exit status 1: boom") }
                if request.task.taskID.hasSuffix("3") { return .exit(3) }
                return nil
            })
            var schedulerConfiguration = SchedulerConfiguration()
            schedulerConfiguration.maxRetriesPerTask = 1
            scheduler = Scheduler(
                configuration: schedulerConfiguration, clock: clock, backend: SimulatedWorkers(clock: clock, configuration: configuration))
            let service = SchedulerService(scheduler: scheduler, metrics: ServerMetrics())
            generated = ScootConsoleProcessor(handler: service)
            direct = ServeProcessor(wrapping: generated, service: service)
        }

        func submit(_ taskIDs: [String], seconds: Int = 1) async throws -> String {
            let definition = SchedulerCore.JobDefinition(
                tasks: taskIDs.map { SchedulerCore.TaskDefinition(taskID: $0, argv: ["sleep", "\(seconds)"]) }, requestor: "r")
            return try await scheduler.runJob(definition)
        }

        func advance(_ seconds: Int) async {
            clock.advance(by: .seconds(seconds))
            await scheduler.step()
        }

        static func bytes(_ result: ThriftProcessorResult) -> [UInt8] {
            result.reply.map { Array($0.readableBytesView) } ?? []
        }

        /// GetStatus of `jobID` through both processors: the same bytes, returned.
        func expectSameStatusReply(_ jobID: String, sourceLocation: SourceLocation = #_sourceLocation) async -> [UInt8] {
            let call = ThriftClientCall.encodeCall(method: "GetStatus", sequenceID: 7, arguments: CloudScootMessages.GetStatusArguments(jobId: jobID))
            let expected = Self.bytes(await generated.process(call))
            let written = Self.bytes(await direct.process(call))
            #expect(written == expected, sourceLocation: sourceLocation)
            return written
        }
    }

    @Test func everyStateOfAJobGivesTheGeneratedProcessorsBytes() async throws {
        let harness = Harness()
        _ = await harness.expectSameStatusReply("no such job")
        // Ids whose UTF-8 order differs from their insertion order and from a numeric one.
        let id = try await harness.submit(["t10", "t2", "t1", "t3", "a-fail", "é", "T0"], seconds: 2)
        _ = await harness.expectSameStatusReply(id)  // waiting
        await harness.scheduler.step()
        _ = await harness.expectSameStatusReply(id)  // three running, four waiting
        for _ in 0..<8 {
            await harness.advance(1)
            _ = await harness.expectSameStatusReply(id)  // completions, a failure and its retry
        }
        let status = await harness.scheduler.status(of: id)
        #expect(status.status == .completed)
        #expect(status.taskData["t3"]?.exitCode == 3)
        #expect(status.taskData["a-fail"]?.state == .failed)
    }

    @Test func aKilledJobsReplyIsTheStatusRightAfterTheKill() async throws {
        let harness = Harness()
        let id = try await harness.submit((0..<2_500).map { "task-\($0)" })
        await harness.scheduler.step()
        let kill = ThriftClientCall.encodeCall(method: "KillJob", sequenceID: 9, arguments: CloudScootMessages.KillJobArguments(jobId: id))
        let killed = try ThriftBinaryReader.withReader(Harness.bytes(await harness.direct.process(kill))) { reader in
            #expect(try reader.readMessageHeader() == ThriftMessageHeader(name: "KillJob", type: .reply, sequenceID: 9))
            return try reader.readStruct(CloudScootMessages.KillJobResult.self)
        }
        // Large enough (2,500 tasks) to be written off the event loop; the waiting tasks are
        // shown killed at once.
        let status = try #require(killed.success)
        #expect(status.taskStatus?.count == 2_500)
        #expect(status.taskData?.count == 2_500)
        #expect(status.taskData?.values.filter { $0.status == .aborted }.count == 2_500)
        let after = await harness.expectSameStatusReply(id)
        let statusAfter = try ThriftBinaryReader.withReader(after) { reader in
            _ = try reader.readMessageHeader()
            return try reader.readStruct(CloudScootMessages.GetStatusResult.self)
        }
        #expect(statusAfter.success == status)
    }

    @Test func killErrorsAreAnsweredAsTheGeneratedProcessorAnswersThem() async throws {
        let harness = Harness()
        let id = try await harness.submit(["t"])
        for jobID in ["no such job", id, id] {
            let kill = ThriftClientCall.encodeCall(method: "KillJob", sequenceID: 3, arguments: CloudScootMessages.KillJobArguments(jobId: jobID))
            let generatedAnswer = jobID == id ? nil : await harness.generated.process(kill)
            let directAnswer = await harness.direct.process(kill)
            if let generatedAnswer {
                #expect(Harness.bytes(directAnswer) == Harness.bytes(generatedAnswer))
                #expect(directAnswer.closeConnection == generatedAnswer.closeConnection)
            }
        }
        // The second kill of `id` is refused with Scoot's text, as by the generated processor.
        let again = ThriftClientCall.encodeCall(method: "KillJob", sequenceID: 4, arguments: CloudScootMessages.KillJobArguments(jobId: id))
        #expect(Harness.bytes(await harness.direct.process(again)) == Harness.bytes(await harness.generated.process(again)))
    }

    @Test func aRunStatusIsSizedAsTheWiresStructIsEncoded() {
        let texts = ["", "x", "file:///var/scoot/task-00001/stdout", "é✓"]
        for runID in texts {
            for outURI in texts {
                for error in texts {
                    let status = SchedulerCore.RunStatus(
                        state: .failed, runID: runID, outURI: outURI, errURI: outURI, error: error, exitCode: 2, snapshotID: error)
                    let wire = WireConversions.runStatus(status)
                    #expect(WireConversions.runStatusEncodedSize(status) == wire.thriftEncodedSize)
                    #expect(WireConversions.runStatusEncodedSize(status) == wire.thriftBytes().count)
                }
            }
        }
    }

    @Test func aReplyIsSizedExactly() async throws {
        let harness = Harness()
        let id = try await harness.submit(["t1", "t2", "t3", "t4", "t5-fail"])
        await harness.scheduler.step()
        await harness.advance(1)
        for snapshot in [await harness.scheduler.statusSnapshot(of: id), await harness.scheduler.statusSnapshot(of: "nope")] {
            let reply = JobStatusReply(snapshot)
            #expect(reply.thriftEncodedSize == reply.thriftBytes().count)
        }
    }

    @Test func otherCallsAndBrokenMessagesGoToTheWrappedProcessor() async throws {
        let harness = Harness()
        let call = ThriftClientCall.encodeCall(method: "GetSchedulerStatus", sequenceID: 1, arguments: CloudScootMessages.GetSchedulerStatusArguments())
        #expect(Harness.bytes(await harness.direct.process(call)) == Harness.bytes(await harness.generated.process(call)))
        let broken: [UInt8] = [0x80, 0x01, 0x00, 0x01, 0xff]
        let directAnswer = await harness.direct.process(broken)
        #expect(directAnswer.reply == nil && directAnswer.closeConnection)
        let truncated = Array(ThriftClientCall.encodeCall(method: "GetStatus", sequenceID: 2, arguments: CloudScootMessages.GetStatusArguments(jobId: "x")).dropLast(3))
        #expect(Harness.bytes(await harness.direct.process(truncated)) == Harness.bytes(await harness.generated.process(truncated)))
    }
}

/// `ServeProcessor.processWithoutWaiting`: the reads answered at once on the scheduler's event
/// loop give exactly what `process` gives; everything else is left to `process`.
@Suite("ServeProcessor: reads answered on the scheduler's event loop")
struct ServeProcessorWithoutWaitingTests {
    @Test func readsGetTheSameAnswerAtOnceOnTheSchedulersLoop() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let clock = ManualClock()
        let scheduler = Scheduler(clock: clock, backend: SimulatedWorkers(clock: clock, configuration: .init(workerCount: 2)), executor: loop.executor)
        let service = SchedulerService(scheduler: scheduler, metrics: ServerMetrics())
        let processor = ServeProcessor(wrapping: ScootConsoleProcessor(handler: service), service: service, schedulerLoop: loop)
        let small = try await scheduler.runJob(SchedulerCore.JobDefinition(tasks: [.init(taskID: "a", argv: ["sleep", "1"])], requestor: "r"))
        let large = try await scheduler.runJob(
            SchedulerCore.JobDefinition(
                tasks: (0...SchedulerService.largeJobTaskCount).map { .init(taskID: "t\($0)", argv: ["sleep", "1"]) }, requestor: "r"))
        try await scheduler.setRebalanceThreshold(7)
        await scheduler.step()

        func call<Arguments: ThriftStruct>(_ method: String, _ arguments: Arguments) -> [UInt8] {
            ThriftClientCall.encodeCall(method: method, sequenceID: 5, arguments: arguments)
        }
        let reads = [
            call("GetStatus", CloudScootMessages.GetStatusArguments(jobId: small)),
            call("GetStatus", CloudScootMessages.GetStatusArguments(jobId: "no such job")),
            call("GetSchedulerStatus", CloudScootMessages.GetSchedulerStatusArguments()),
            call("GetClassLoadPercents", CloudScootMessages.GetClassLoadPercentsArguments()),
            call("GetRequestorToClassMap", CloudScootMessages.GetRequestorToClassMapArguments()),
            call("GetRebalanceMinimumDuration", CloudScootMessages.GetRebalanceMinimumDurationArguments()),
            call("GetRebalanceThreshold", CloudScootMessages.GetRebalanceThresholdArguments()),
            // Arguments that do not decode: the PROTOCOL_ERROR exception, at once too.
            Array(call("GetStatus", CloudScootMessages.GetStatusArguments(jobId: "x")).dropLast(2)) + [8, 0],
        ]
        let leftToProcess = [
            call("GetStatus", CloudScootMessages.GetStatusArguments(jobId: large)),
            call("KillJob", CloudScootMessages.KillJobArguments(jobId: small)),
            call("SetRebalanceThreshold", CloudScootMessages.SetRebalanceThresholdArguments(threshold: 7)),
            call("ListJobs", ScootConsoleMessages.ListJobsArguments(filter: JobFilter())),
        ]
        let answered = try await loop.submit { reads.map { processor.processWithoutWaiting($0) } }.get()
        let left = try await loop.submit { leftToProcess.map { processor.processWithoutWaiting($0) } }.get()
        for (message, answer) in zip(reads, answered) {
            let expected = await processor.process(message)
            #expect(answer.flatMap(\.reply).map { Array($0.readableBytesView) } == expected.reply.map { Array($0.readableBytesView) })
            #expect(answer?.closeConnection == expected.closeConnection)
        }
        #expect(left.allSatisfy { $0 == nil })
        // Off the scheduler's loop, nothing is answered at once.
        #expect(processor.processWithoutWaiting(reads[0]) == nil)
    }
}
