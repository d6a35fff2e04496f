// The console entry of `make bench`: one whole frame of the Jobs pane with 100,000 jobs, rendered
// into a buffer and diffed by the Terminal (what the ncurses backend receives).
import ConsoleApp
import ScootAPI
import TUIKit

/// Runs the console render benchmark and prints its figures.
func runConsoleBenchmark() {
    let classes = ["land", "diff", "ktf"]
    var jobs: [ScootAPI.JobSummary] = []
    jobs.reserveCapacity(100_000)
    for index in 0..<100_000 {
        let counts: (Int32, Int32, Int32, Int32) = (Int32(index % 50), Int32(index % 7), Int32(index % 11), Int32(index % 2))
        jobs.append(ScootAPI.JobSummary(
            id: "job-\(index)", requestor: "requestor-\(index % 10)", className: classes[index % 3], tag: "tag-\(index)",
            basis: "", priority: Int32(index % 3), status: .inProgress, killed: false, waitingTasks: counts.0,
            runningTasks: counts.1, completedTasks: counts.2, failedTasks: counts.3, submittedAtMs: Int64(index)))
    }
    var state = ConsoleState(endpoint: "127.0.0.1:9090")
    state.snapshot = ClusterSnapshot(
        jobs: jobs, workers: [], load: nil, schedulerStatus: SchedulerStatus(currentTasks: 0, maxTasks: -1),
        settings: .init(classLoadPercents: ["land": 100], requestorToClassMap: [:], rebalanceThreshold: 0, rebalanceMinimumDuration: 4))
    state.connection = .connected
    state.screen = (200, 50)
    state.tables[.jobs] = TableState(selected: 50_000)
    let backend = TestBackend(width: 200, height: 50)
    let terminal = Terminal(backend: backend)
    var tick = 0
    let median = medianMicroseconds(iterations: 40) {
        tick += 1
        state.now = .milliseconds(tick * 100)  // the header's data age changes every frame
        let frame = state
        terminal.draw { ConsoleView.render(frame, into: &$0) }
    }
    print("")
    print("scoot-bench: console frame, Jobs pane with 100,000 jobs at 200×50 (filter, sort, render, diff)")
    print(String(format: "  median %.2f ms per frame (target ≤ 2 ms)", median / 1000))
}
