/// Scoot's load-based scheduling algorithm (`GetTasksToBeAssigned`; docs/scoot.md, "The load-based
/// algorithm" and "Rebalancing") as a pure function of a `SchedulingInput`: which tasks to start,
/// which to stop, and the numbers behind the decision. Deviations from Scoot are listed in
/// docs/deviations.md.
public enum LoadBasedScheduler {
    /// How far back rebalance stop lists look for running tasks (Scoot's `MaxTaskDuration`).
    public static let stopListLookBack: Duration = .seconds(4 * 3600)
    /// How long the spread must stay at or under the threshold before a running timer is reset:
    /// a dip while tasks start and finish must not restart the countdown.
    public static let timerResetGrace: Duration = .seconds(30)

    /// Runs one step of the algorithm.
    public static func step(_ input: SchedulingInput) -> SchedulingDecision {
        var state = ClassState(input)
        let (spread, rebalance, exceededSince, backUnderSince, firesAt) = rebalanceCheck(input, state)
        if rebalance {
            state.planRebalance(workers: input.healthyWorkers)
        } else {
            state.planNormal(free: max(0, input.healthyWorkers - input.runningTasks))
        }
        // Bounded by the healthy workers: a step starts at most all of them (or the free ones).
        var tasksToStart: [TaskPosition] = []
        tasksToStart.reserveCapacity(state.start.reduce(0) { $0 + max(0, $1) })
        var picker = TaskPicker(jobCount: input.jobs.count, largestClassJobCount: state.largestClassJobCount)
        var started = [Int](repeating: 0, count: state.names.count)
        for index in state.names.indices where state.start[index] > 0 {
            started[index] = picker.pick(count: state.start[index], from: state.jobs(of: index), of: input.jobs, into: &tasksToStart)
        }
        var tasksToStop: [TaskPosition] = []
        var stopped = [Int](repeating: 0, count: state.names.count)
        // Scoot ignores a stop list that comes without any start.
        if rebalance, !tasksToStart.isEmpty {
            for index in state.names.indices where state.start[index] < 0 {
                let picked = newestRunning(count: -state.start[index], from: state.jobs(of: index), of: input.jobs, now: input.now)
                stopped[index] = picked.count
                tasksToStop += picked
            }
        }
        var classes: [String: ClassDecision] = [:]
        classes.reserveCapacity(state.names.count)
        for (index, name) in state.names.enumerated() {
            classes[name] = ClassDecision(
                percent: state.percent[index], target: state.target[index], running: state.running[index],
                waiting: state.waiting[index], start: started[index], stop: stopped[index])
        }
        return SchedulingDecision(
            classes: classes, spread: spread, rebalanced: rebalance && !tasksToStart.isEmpty,
            thresholdExceededSince: exceededSince, spreadBackUnderSince: backUnderSince, rebalanceFiresAt: firesAt,
            tasksToStart: tasksToStart, tasksToStop: tasksToStop,
            unknownClassJobs: state.unknownClassJobs, ignoredJobs: state.ignoredJobs)
    }

    // MARK: Rebalance check (step 1)

    /// The spread, whether to rebalance now, and the new timer state. The spread is always
    /// computed (the console shows it); the timer only runs while rebalancing is enabled. It is
    /// reset once the spread has stayed at or under the threshold for `timerResetGrace` (Scoot
    /// never resets it; resetting at the first dip restarted the countdown every few seconds on a
    /// busy cluster). A timer that ran out during a dip fires as soon as the spread is over again.
    static func rebalanceCheck(_ input: SchedulingInput, _ state: ClassState)
        -> (spread: Int, rebalance: Bool, exceededSince: SchedulerInstant?, backUnderSince: SchedulerInstant?, firesAt: SchedulerInstant?)
    {
        let spread = state.spread(workers: input.healthyWorkers)
        guard input.rebalanceThreshold > 0, input.rebalanceMinimumDuration > .zero else { return (spread, false, nil, nil, nil) }
        guard spread > input.rebalanceThreshold else {
            guard let since = input.thresholdExceededSince else { return (spread, false, nil, nil, nil) }
            let under = input.spreadBackUnderSince ?? input.now
            if input.now - under >= timerResetGrace { return (spread, false, nil, nil, nil) }
            return (spread, false, since, under, since + input.rebalanceMinimumDuration)
        }
        guard let since = input.thresholdExceededSince else {
            return (spread, false, input.now, nil, input.now + input.rebalanceMinimumDuration)
        }
        if input.now - since > input.rebalanceMinimumDuration { return (spread, true, nil, nil, nil) }
        return (spread, false, since, nil, since + input.rebalanceMinimumDuration)
    }

    // MARK: Picking tasks (step 4)

    /// Least-running round robin over a class's jobs: visit jobs by running count, lowest first
    /// (arrival order within a count); take one waiting task from each visited job; it then goes
    /// to the back of the next count. Priority 2 jobs are served before 1 before 0 (Scoot ignores
    /// priority).
    ///
    /// Done level by level rather than with a priority queue: the jobs visited at running count
    /// L are those that start at L (in arrival order) followed by those visited at L − 1 that
    /// still wait (in the order they were visited), so each pick costs O(1) and the step
    /// O(jobs log jobs + picks). One picker serves every class of a step, its buffers kept from
    /// one class to the next: `taken` and `available` hold one entry per job of the input, the
    /// others at most one per job of the class served, and are allocated once for the largest.
    struct TaskPicker {
        /// Waiting tasks taken so far from each job of the input, by job index.
        private var taken: [Int]
        /// Waiting task ids each job of the input has, by job index (set when its class is served).
        private var available: [Int]
        /// The waiting jobs of the class and priority being served, by running count, then index.
        private var entries: [(running: Int, job: Int)] = []
        /// The jobs visited at the current running count, in visiting order.
        private var level: [Int] = []
        /// The jobs visited at the current count that still wait: they start the next level.
        private var visited: [Int] = []

        /// A picker for an input of `jobCount` jobs whose largest class has `largestClassJobCount`.
        init(jobCount: Int, largestClassJobCount: Int) {
            taken = [Int](repeating: 0, count: jobCount)
            available = [Int](repeating: 0, count: jobCount)
            entries.reserveCapacity(largestClassJobCount)
            level.reserveCapacity(largestClassJobCount)
            visited.reserveCapacity(largestClassJobCount)
        }

        /// Appends up to `count` waiting tasks of `classJobs` (indices into `jobs`, in arrival
        /// order) to `picked`; returns how many it appended.
        mutating func pick(count: Int, from classJobs: ArraySlice<Int>, of jobs: [JobLoad], into picked: inout [TaskPosition]) -> Int {
            let first = picked.count
            let end = first + count
            for priority in [2, 1, 0] where picked.count < end {
                entries.removeAll(keepingCapacity: true)
                for job in classJobs where jobs[job].priority.clampedPriority == priority && !jobs[job].waiting.isEmpty {
                    entries.append((jobs[job].running.count, job))
                    available[job] = jobs[job].waiting.count
                }
                entries.sort { ($0.running, $0.job) < ($1.running, $1.job) }
                var nextEntry = 0
                var running = 0
                visited.removeAll(keepingCapacity: true)
                while picked.count < end {
                    if visited.isEmpty {
                        guard nextEntry < entries.count else { break }
                        running = entries[nextEntry].running
                    } else {
                        running += 1
                    }
                    level.removeAll(keepingCapacity: true)
                    while nextEntry < entries.count, entries[nextEntry].running == running {
                        level.append(entries[nextEntry].job)
                        nextEntry += 1
                    }
                    level += visited
                    visited.removeAll(keepingCapacity: true)
                    for job in level {
                        guard picked.count < end else { break }
                        picked.append(TaskPosition(job: job, task: taken[job]))
                        taken[job] += 1
                        if taken[job] < available[job] { visited.append(job) }
                    }
                }
            }
            return picked.count - first
        }
    }

    /// The `count` most recently started running tasks of a class (`classJobs`, indices into
    /// `jobs`), newest first, looking back at most `stopListLookBack`. Scoot buckets start times
    /// per second and leaves the order inside a bucket open; we order by exact start time, then
    /// job and task id.
    static func newestRunning(count: Int, from classJobs: ArraySlice<Int>, of jobs: [JobLoad], now: SchedulerInstant) -> [TaskPosition] {
        let oldest = now - stopListLookBack
        var running: [(startedAt: SchedulerInstant, position: TaskPosition)] = []
        for job in classJobs {
            for (task, runningTask) in jobs[job].running.enumerated() where runningTask.startedAt >= oldest {
                running.append((runningTask.startedAt, TaskPosition(job: job, task: task)))
            }
        }
        func reference(_ position: TaskPosition) -> TaskReference {
            TaskReference(jobID: jobs[Int(position.job)].id, taskID: jobs[Int(position.job)].running[Int(position.task)].taskID)
        }
        running.sort { $0.startedAt != $1.startedAt ? $0.startedAt > $1.startedAt : reference($0.position) < reference($1.position) }
        return running.prefix(count).map(\.position)
    }
}

extension Int {
    /// Priorities outside 0...2 are treated as the nearest valid one.
    var clampedPriority: Int { Swift.min(2, Swift.max(0, self)) }
}
