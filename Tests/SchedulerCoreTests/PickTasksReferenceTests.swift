import HeapModule
import Testing
@testable import SchedulerCore

/// `pickTasks` visits jobs level by level; the rule it implements is stated most plainly with a
/// priority queue of (running, order of entry) — the way it was first written. Both must pick
/// the same tasks in the same order.
@Suite struct PickTasksReferenceTests {
    /// The rule as a priority queue: fewest running first, then first queued; a visited job goes
    /// back in with one more running, behind everything queued so far.
    static func referencePicks(count: Int, from jobs: [JobLoad]) -> [TaskReference] {
        struct Entry: Comparable {
            var running: Int
            var sequence: Int
            var job: Int
            static func < (lhs: Self, rhs: Self) -> Bool { (lhs.running, lhs.sequence) < (rhs.running, rhs.sequence) }
        }
        var picked: [TaskReference] = []
        for priority in [2, 1, 0] where picked.count < count {
            var queue = Heap<Entry>()
            var nextTask = [Int](repeating: 0, count: jobs.count)
            var sequence = 0
            for (index, job) in jobs.enumerated() where job.priority.clampedPriority == priority && !job.waiting.isEmpty {
                queue.insert(Entry(running: job.running.count, sequence: sequence, job: index))
                sequence += 1
            }
            while picked.count < count, let entry = queue.popMin() {
                let job = jobs[entry.job]
                picked.append(TaskReference(jobID: job.id, taskID: job.waiting[nextTask[entry.job]]))
                nextTask[entry.job] += 1
                if nextTask[entry.job] < job.waiting.count {
                    queue.insert(Entry(running: entry.running + 1, sequence: sequence, job: entry.job))
                    sequence += 1
                }
            }
        }
        return picked
    }

    /// `TaskPicker.pick` on all of `jobs`, as task references.
    static func picks(count: Int, from jobs: [JobLoad]) -> [TaskReference] {
        var picker = LoadBasedScheduler.TaskPicker(jobCount: jobs.count, largestClassJobCount: jobs.count)
        var picked: [TaskPosition] = []
        _ = picker.pick(count: count, from: Array(jobs.indices)[...], of: jobs, into: &picked)
        return picked.map { TaskReference(jobID: jobs[Int($0.job)].id, taskID: jobs[Int($0.job)].waiting[Int($0.task)]) }
    }

    static func randomJobs(using random: inout SplitMix64) -> [JobLoad] {
        (0..<Int.random(in: 0...25, using: &random)).map { index in
            JobLoad(
                id: "j\(index)", requestor: "r", priority: Int.random(in: -1...3, using: &random),
                running: (0..<Int.random(in: 0...6, using: &random)).map { RunningTask(taskID: "r\($0)", startedAt: .seconds($0)) },
                waiting: (0..<Int.random(in: 0...9, using: &random)).map { "w\($0)" })
        }
    }

    @Test(arguments: Array(UInt64(1)...400))
    func levelByLevelPicksWhatThePriorityQueuePicks(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let jobs = Self.randomJobs(using: &random)
        let total = jobs.reduce(0) { $0 + $1.waiting.count }
        for count in [0, 1, Int.random(in: 0...max(1, total), using: &random), total, total + 5] {
            #expect(Self.picks(count: count, from: jobs) == Self.referencePicks(count: count, from: jobs), "count \(count)")
        }
    }

    /// A step serves its classes one after the other with one picker, each class's jobs given
    /// as indices into the whole input and its picks appended to one list: every class must get
    /// what it would get alone.
    @Test(arguments: Array(UInt64(1)...200))
    func classesServedInTurnWithOnePickerPickWhatEachWouldAlone(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let jobs = Self.randomJobs(using: &random)
        let classCount = Int.random(in: 1...4, using: &random)
        var classJobs = [[Int]](repeating: [], count: classCount)
        for index in jobs.indices { classJobs[Int.random(in: 0..<classCount, using: &random)].append(index) }
        var picker = LoadBasedScheduler.TaskPicker(jobCount: jobs.count, largestClassJobCount: classJobs.map(\.count).max() ?? 0)
        var picked: [TaskPosition] = []
        for members in classJobs {
            let classTotal = members.reduce(0) { $0 + jobs[$1].waiting.count }
            let count = Int.random(in: 0...classTotal + 2, using: &random)
            let first = picked.count
            let appended = picker.pick(count: count, from: members[...], of: jobs, into: &picked)
            #expect(appended == picked.count - first)
            let references = picked[first...].map { TaskReference(jobID: jobs[Int($0.job)].id, taskID: jobs[Int($0.job)].waiting[Int($0.task)]) }
            #expect(references == Self.referencePicks(count: count, from: members.map { jobs[$0] }), "class of \(members.count) jobs, count \(count)")
        }
    }
}
