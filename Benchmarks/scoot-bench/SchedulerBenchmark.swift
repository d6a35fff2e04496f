// The scheduler entry of `make bench`: one step of the load-based algorithm at W = 1,000, 10,000
// and 100,000 workers, with 10 × W waiting tasks over 8 classes, 400 jobs and 10 requestors
// (Scoot's MaxRequestors), half the workers busy.
import SchedulerCore

/// The benchmark cluster for `workers` workers.
func schedulerBenchmarkInput(workers: Int) -> SchedulingInput {
    let percents = ClassLoadPercents.scootDefaults
    let classes = ClassLoadPercents.descendingOrder(percents)
    let requestors = (0..<10).map { "requestor-\($0)" }
    let mapping = Dictionary(uniqueKeysWithValues: requestors.enumerated().map { ("^\($1)$", classes[$0 % classes.count]) })
    let jobCount = 400
    let waitingPerJob = 10 * workers / jobCount
    let runningPerJob = workers / 2 / jobCount
    let jobs = (0..<jobCount).map { index in
        JobLoad(
            id: "job-\(index)", requestor: requestors[index % requestors.count], priority: index % 3,
            running: (0..<runningPerJob).map { RunningTask(taskID: "running-\($0)", startedAt: .seconds($0)) },
            waiting: (0..<waitingPerJob).map { "task-\($0)" })
    }
    return SchedulingInput(
        healthyWorkers: workers, runningTasks: runningPerJob * jobCount, classLoadPercents: percents,
        requestorToClass: try! RequestorClassifier(mapping), now: .seconds(3600), jobs: jobs)
}

/// Runs the scheduler benchmark and prints its table.
func runSchedulerBenchmark() {
    print("")
    print("scoot-bench: one load-based scheduling step; 8 classes, 400 jobs, 10 × W waiting tasks, W/2 running")
    print("     workers   waiting   started   median µs   µs per 1k workers   allocations   bytes allocated")
    for workers in [1_000, 10_000, 100_000] {
        let input = schedulerBenchmarkInput(workers: workers)
        let iterations = workers >= 100_000 ? 15 : 60
        var started = 0
        let median = medianMicroseconds(iterations: iterations) { started = LoadBasedScheduler.step(input).tasksToStart.count }
        let allocations = AllocationCounter.count { _ = LoadBasedScheduler.step(input) }
        let waiting = input.jobs.reduce(0) { $0 + $1.waiting.count }
        let columns = [
            pad(workers, 12), pad(waiting, 9), pad(started, 9), String(format: "%11.1f", median),
            String(format: "%19.1f", median / Double(workers) * 1000),
            allocations.map { pad($0.count, 13) } ?? "          n/a",
            allocations.map { pad($0.bytes, 17) } ?? "              n/a",
        ]
        print(columns.joined(separator: " "))
    }
    if AllocationCounter.isActive == false {
        print("(allocations: run through `make bench`, which preloads the malloc counter)")
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: " ", count: max(0, width - text.count)) + text
}
