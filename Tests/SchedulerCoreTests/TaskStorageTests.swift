import Testing
@testable import SchedulerCore

/// How a job's tasks are kept: chunks shared between copies, and the task id order statuses are
/// built in.
@Suite struct TaskStorageTests {
    @Test func aChunkedArrayHoldsItsElementsInOrderAcrossChunks() {
        for count in [0, 1, ChunkedArray<Int>.chunkSize - 1, ChunkedArray<Int>.chunkSize, 3 * ChunkedArray<Int>.chunkSize + 7] {
            let array = ChunkedArray(0..<count)
            #expect(array.count == count)
            #expect(Array(array) == Array(0..<count), "\(count) elements")
        }
    }

    @Test func changingAnElementOfACopyLeavesTheOriginalAsItWas() {
        let size = 2 * ChunkedArray<Int>.chunkSize + 5
        var changed = ChunkedArray(0..<size)
        let original = changed
        for index in [0, ChunkedArray<Int>.chunkSize, size - 1] { changed[index] = -1 }
        #expect(Array(original) == Array(0..<size))
        #expect(changed.filter { $0 == -1 }.count == 3)
        #expect(changed[1] == 1 && changed[size - 2] == size - 2)
    }

    /// The wire's maps are ordered by UTF-8 bytes; Swift's `<` orders "é" spelled as e plus a
    /// combining accent (0x65 0xCC 0x81) like the precomposed one (0xC3 0xA9), which sorts
    /// after "z" in bytes.
    @Test func statusesAndListingsAreInUTF8ByteOrderOfTaskIDs() async throws {
        let ids = ["z", "é", "e\u{301}x", "B", "a10", "a9", "ä"]
        let cluster = SimulatedCluster(workers: 0)
        let definition = JobDefinition(tasks: ids.map { TaskDefinition(taskID: $0, argv: ["true"]) }, requestor: "r")
        let id = try await cluster.scheduler.runJob(definition)
        let expected = ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(expected == ["B", "a10", "a9", "e\u{301}x", "z", "ä", "é"])
        #expect(await cluster.scheduler.status(of: id).tasks.map(\.taskID) == expected)
        #expect(await cluster.scheduler.tasks(ofJob: id)?.map(\.taskID) == expected)
    }

    @Test func aStatusMadeFromMapsIsInTaskIDOrder() {
        let status = JobStatus(
            id: "j", status: .inProgress, taskStatus: ["b": .completed, "a": .notStarted, "c": .inProgress],
            taskData: ["b": RunStatus(state: .complete), "c": RunStatus(state: .running)])
        #expect(status.tasks.map(\.taskID) == ["a", "b", "c"])
        #expect(status.tasks.map(\.data) == [nil, RunStatus(state: .complete), RunStatus(state: .running)])
        #expect(status.taskStatus == ["b": .completed, "a": .notStarted, "c": .inProgress])
    }
}
