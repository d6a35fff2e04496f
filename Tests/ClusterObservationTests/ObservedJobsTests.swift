import ClusterObservation
import ScootAPI
import ScootWorkerAPI
import Testing

@Suite struct ObservedJobsTests {
    private func worker(_ id: String, runs: [ScootWorkerAPI.RunStatus]) -> WorkerObservation {
        WorkerObservation(id: id, reachable: true, status: ScootWorkerAPI.WorkerStatus(runs: runs, initialized: true, isHealthy: true, error: ""))
    }

    private func run(_ job: String, _ task: String, runID: String, _ state: ScootWorkerAPI.Status = .running) -> ScootWorkerAPI.RunStatus {
        ScootWorkerAPI.RunStatus(status: state, runId: runID, jobId: job, taskId: task, tag: "tag-\(job)")
    }

    @Test func jobsRunningOnWorkersAreFoundWithTheirTagAndTheWorkerOfEachTask() {
        var jobs = ObservedJobs(maximumJobs: 10, schedule: StatusRefreshSchedule())
        let found = jobs.observed(workers: [worker("w:1", runs: [run("j1", "t1", runID: "0")]), worker("w:2", runs: [run("j1", "t2", runID: "4")])], atMs: 1_000)
        #expect(found.map(\.id) == ["j1"])
        #expect(jobs.jobs["j1"]?.tag == "tag-j1")
        _ = jobs.observed(
            JobStatus(id: "j1", status: .inProgress, taskStatus: ["t1": .inProgress, "t2": .inProgress, "t3": .notStarted]), atMs: 1_100)
        let tasks = jobs.tasks(ofJob: "j1")
        #expect(tasks.map(\.taskId) == ["t1", "t2", "t3"])
        #expect(tasks.map(\.workerId) == ["w:1", "w:2", nil])
        let summary = jobs.summary(jobs.jobs["j1"]!, className: "")
        #expect(summary.runningTasks == 2 && summary.waitingTasks == 1)
        #expect(summary.unknownFields?.contains("requestor") == true && summary.unknownFields?.contains("priority") == true)
    }

    @Test func aFinishedRunIsNotANewJobButAKilledJobReadsKilled() {
        var jobs = ObservedJobs(maximumJobs: 10, schedule: StatusRefreshSchedule())
        #expect(jobs.observed(workers: [worker("w:1", runs: [run("old", "t1", runID: "0", .complete)])], atMs: 1).isEmpty)
        jobs.insert(ObservedJob(id: "k", origin: .forwarded, requestor: "land-alice", submittedAtMs: 5))
        _ = jobs.killRequested("k")
        _ = jobs.observed(
            JobStatus(id: "k", status: .completed, taskStatus: ["t": .completed], taskData: ["t": RunStatus(status: .aborted, runId: "", error: "UserRequested", exitCode: 0)]),
            atMs: 10)
        let summary = jobs.summary(jobs.jobs["k"]!, className: "land")
        #expect(summary.killed && summary.status == .completed && summary.unknownFields == nil)
        #expect(summary.failedTasks == 0, "a task a user killed is not a failure")
    }

    @Test func theOldestFinishedJobsAreForgottenPastTheBound() {
        var jobs = ObservedJobs(maximumJobs: 3, schedule: StatusRefreshSchedule())
        for index in 0..<5 {
            jobs.insert(ObservedJob(id: "j\(index)", origin: .forwarded, submittedAtMs: Int64(index)))
            _ = jobs.observed(JobStatus(id: "j\(index)", status: index < 3 ? .completed : .inProgress, taskStatus: ["t": .completed]), atMs: 10)
        }
        jobs.insert(ObservedJob(id: "j5", origin: .forwarded, submittedAtMs: 5))
        #expect(jobs.jobs.count == 3)
        #expect(jobs.jobs["j0"] == nil && jobs.jobs["j3"] != nil && jobs.jobs["j5"] != nil)
    }
}
