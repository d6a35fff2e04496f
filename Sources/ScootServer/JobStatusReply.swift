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
