import Testing
@testable import ConsoleApp

@Suite("Task order")
struct TaskOrderTests {
    @Test func numbersInsideTaskIDsCompareAsNumbers() {
        #expect(ConsoleState.taskOrder(["task-10", "task-2", "task-1", "b", "a"]) == ["a", "b", "task-1", "task-2", "task-10"])
    }
}
