import SchedulerCore
import ScootAPI
import Thrift

/// The result struct of GetStatus or KillJob (field 0 the `JobStatus`, 1 `InvalidRequest`, 2
/// `ScootServerError`), written on success straight from the scheduler's `JobStatusSnapshot`:
/// neither the scheduler's `JobStatus` nor the wire's maps are built, which for a 100,000-task
/// job were two thirds of the call. The bytes are those of the generated result holding
/// `WireConversions.jobStatus` of the same status (both maps always present, entries in task
/// id order).
struct JobStatusReply: ThriftStructEncoding {
    private enum Content {
        /// The status, how many of its tasks have a run status, the bytes of those entries and
        /// of the whole reply.
        case status(JobStatusSnapshot, tasksWithData: Int, dataEntriesSize: Int, size: Int)
        /// A declared exception, in the method's own generated result struct.
        case exception(any ThriftStruct)
    }

    private let content: Content

    /// The reply with the status `snapshot` shows. Reads every task once, to size the reply:
    /// build a large job's reply off the event loop.
    init(_ snapshot: JobStatusSnapshot) {
        var tasksWithData = 0
        var dataEntriesSize = 0
        var taskStatusEntriesSize = 0
        snapshot.forEachTask(inTaskIDOrder: false) { taskID, _, data in
            taskStatusEntriesSize += 4 + taskID.utf8.count + 4
            guard let data else { return }
            tasksWithData += 1
            dataEntriesSize += 4 + taskID.utf8.count + WireConversions.runStatusEncodedSize(data)
        }
        // The result's field header and STOP; the JobStatus's id, status, two map headers, STOP.
        let fixedSize = 3 + 1 + (3 + 4 + snapshot.id.utf8.count) + (3 + 4) + 2 * (3 + 6) + 1
        content = .status(
            snapshot, tasksWithData: tasksWithData, dataEntriesSize: dataEntriesSize,
            size: fixedSize + taskStatusEntriesSize + dataEntriesSize)
    }

    /// The reply carrying a declared exception, in the generated result struct that holds it.
    init(exception result: any ThriftStruct) {
        content = .exception(result)
    }

    var thriftEncodedSize: Int {
        switch content {
        case .status(_, _, _, let size): size
        case .exception(let result): result.thriftEncodedSize
        }
    }

    func write(to writer: inout ThriftBinaryWriter) {
        switch content {
        case .exception(let result):
            result.write(to: &writer)
        case .status(let snapshot, let tasksWithData, let dataEntriesSize, _):
            writer.writeFieldHeader(.struct, id: 0)
            writer.writeFieldHeader(.string, id: 1)
            writer.writeString(snapshot.id)
            writer.writeFieldHeader(.i32, id: 2)
            writer.writeI32(WireConversions.progress(snapshot.status).rawValue)
            writer.writeFieldHeader(.map, id: 3)
            writer.writeMapHeader(keyType: .string, valueType: .i32, count: snapshot.taskCount)
            // One pass in task id order, which reads the records out of their order (cache
            // misses): the taskData entries go to a buffer of their own meanwhile, copied after.
            let dataEntries = ThriftBinaryWriter.encode(size: dataEntriesSize) { dataWriter in
                snapshot.forEachTask { taskID, progress, data in
                    writer.writeString(taskID)
                    writer.writeI32(WireConversions.progress(progress).rawValue)
                    guard let data else { return }
                    dataWriter.writeString(taskID)
                    dataWriter.writeStruct(WireConversions.runStatus(data))
                }
            }
            writer.writeFieldHeader(.map, id: 4)
            writer.writeMapHeader(keyType: .string, valueType: .struct, count: tasksWithData)
            writer.writeRaw(dataEntries)
            writer.writeFieldStop()
            writer.writeFieldStop()
        }
    }
}

/// Answers GetStatus and KillJob with a `JobStatusReply` written straight from the scheduler's
/// snapshot of the job, exactly as the generated processor would answer them otherwise; every
/// other call goes to the wrapped processor.
public struct JobStatusReplyProcessor: ThriftProcessor {
    /// The processor that answers the other calls.
    public let wrapped: any ThriftProcessor
    /// The service whose scheduler the statuses come from.
    public let service: SchedulerService
    private let limits: ThriftLimits

    /// Answers `service`'s GetStatus and KillJob, and passes the rest to `wrapped`.
    public init(wrapping wrapped: any ThriftProcessor, service: SchedulerService, limits: ThriftLimits = .default) {
        self.wrapped = wrapped
        self.service = service
        self.limits = limits
    }

    public func process(_ message: [UInt8]) async -> ThriftProcessorResult {
        guard case .success(let incoming) = ThriftServerCall.parse(message, limits: limits) else { return await wrapped.process(message) }
        switch incoming.header.name {
        case "GetStatus":
            return await ThriftServerCall.handle(incoming, arguments: CloudScootMessages.GetStatusArguments.self) { args in
                await Self.reply(await service.statusSnapshot(jobId: args.jobId))
            }
        case "KillJob":
            return await ThriftServerCall.handle(incoming, arguments: CloudScootMessages.KillJobArguments.self) { args in
                do {
                    return await Self.reply(try await service.killSnapshot(jobId: args.jobId))
                } catch let error as InvalidRequest {
                    return JobStatusReply(exception: CloudScootMessages.KillJobResult(ir: error))
                } catch let error as ScootServerError {
                    return JobStatusReply(exception: CloudScootMessages.KillJobResult(err: error))
                }
            }
        default:
            return await wrapped.process(message)
        }
    }

    /// The reply, sized where the call runs for a small job and on the global executor for a
    /// large one (the connection's event loop, which the scheduler shares, is not held up).
    private static func reply(_ snapshot: JobStatusSnapshot) async -> JobStatusReply {
        guard snapshot.taskCount > SchedulerService.largeJobTaskCount else { return JobStatusReply(snapshot) }
        return await withTaskExecutorPreference(globalConcurrentExecutor) { JobStatusReply(snapshot) }
    }
}
