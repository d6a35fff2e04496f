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
        var tasksToStart: [TaskReference] = []
        var started = [Int](repeating: 0, count: state.names.count)
        for index in state.names.indices where state.start[index] > 0 {
            let picked = pickTasks(count: state.start[index], from: state.jobs[index])
            started[index] = picked.count
            tasksToStart += picked
        }
        var tasksToStop: [TaskReference] = []
        var stopped = [Int](repeating: 0, count: state.names.count)
        // Scoot ignores a stop list that comes without any start.
        if rebalance, !tasksToStart.isEmpty {
            for index in state.names.indices where state.start[index] < 0 {
                let picked = newestRunning(count: -state.start[index], of: state.jobs[index], now: input.now)
                stopped[index] = picked.count
                tasksToStop += picked
            }
        }
        var classes: [String: ClassDecision] = [:]
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
    /// O(jobs log jobs + picks).
    static func pickTasks(count: Int, from jobs: [JobLoad]) -> [TaskReference] {
        var picked: [TaskReference] = []
        picked.reserveCapacity(min(count, jobs.reduce(0) { $0 + $1.waiting.count }))
        var taken = [Int](repeating: 0, count: jobs.count)
        var level: [Int] = []
        var visited: [Int] = []
        for priority in [2, 1, 0] where picked.count < count {
            let entries = jobs.indices
                .filter { jobs[$0].priority.clampedPriority == priority && !jobs[$0].waiting.isEmpty }
                .sorted { (jobs[$0].running.count, $0) < (jobs[$1].running.count, $1) }
            var nextEntry = 0
            var running = 0
            visited.removeAll(keepingCapacity: true)
            while picked.count < count {
                if visited.isEmpty {
                    guard nextEntry < entries.count else { break }
                    running = jobs[entries[nextEntry]].running.count
                } else {
                    running += 1
                }
                level.removeAll(keepingCapacity: true)
                while nextEntry < entries.count, jobs[entries[nextEntry]].running.count == running {
                    level.append(entries[nextEntry])
                    nextEntry += 1
                }
                level += visited
                visited.removeAll(keepingCapacity: true)
                for job in level {
                    guard picked.count < count else { break }
                    picked.append(TaskReference(jobID: jobs[job].id, taskID: jobs[job].waiting[taken[job]]))
                    taken[job] += 1
                    if taken[job] < jobs[job].waiting.count { visited.append(job) }
                }
            }
        }
        return picked
    }

    /// The `count` most recently started running tasks of a class, newest first, looking back at
    /// most `stopListLookBack`. Scoot buckets start times per second and leaves the order inside a
    /// bucket open; we order by exact start time, then job and task id.
    static func newestRunning(count: Int, of jobs: [JobLoad], now: SchedulerInstant) -> [TaskReference] {
        let oldest = now - stopListLookBack
        var running: [(startedAt: SchedulerInstant, task: TaskReference)] = []
        for job in jobs {
            for task in job.running where task.startedAt >= oldest {
                running.append((task.startedAt, TaskReference(jobID: job.id, taskID: task.taskID)))
            }
        }
        running.sort { $0.startedAt != $1.startedAt ? $0.startedAt > $1.startedAt : $0.task < $1.task }
        return running.prefix(count).map(\.task)
    }
}

extension Int {
    /// Priorities outside 0...2 are treated as the nearest valid one.
    var clampedPriority: Int { Swift.min(2, Swift.max(0, self)) }
}
