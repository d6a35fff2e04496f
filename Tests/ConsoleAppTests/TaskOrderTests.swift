import ScootAPI
import Testing
import TUIKit
@testable import ConsoleApp

@Suite("Task order")
struct TaskOrderTests {
    @Test func numbersInsideTaskIDsCompareAsNumbers() {
        #expect(ConsoleState.taskOrder(["task-10", "task-2", "task-1", "b", "a"]) == ["a", "b", "task-1", "task-2", "task-10"])
    }
}

@Suite("Task rows follow the snapshot")
struct TaskRowsTests {
    @Test func theTaskListIsResortedWhenAPollBringsOtherTasks() {
        var state = connectedState()
        state.snapshot?.selectedJobStatus = JobStatus(id: "j1", status: .inProgress, taskStatus: ["task-10": .notStarted, "task-2": .inProgress])
        #expect(state.rows.tasks.map(\.id) == ["task-2", "task-10"])
        #expect(state.rowCount(in: .tasks) == 2)
        state.snapshot?.selectedJobStatus?.taskStatus?["task-1"] = .completed
        #expect(state.rows.tasks.map(\.id) == ["task-1", "task-2", "task-10"])
        state.tables[.tasks] = TableState(selected: 2)
        #expect(state.selectedTask?.id == "task-10")
        state.snapshot?.selectedJobStatus = nil
        #expect(state.rows.tasks.map(\.id).isEmpty)
        #expect(state.selectedTask == nil)
    }
}
