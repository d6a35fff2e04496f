import Testing
@testable import SchedulerCore

@Suite("Task lifecycle: retries, timeouts, kills, status")
struct TaskLifecycleTests {
    @Test func aFailedAttemptIsFinalWithTheDeadLetterSuffixByDefault() async throws {
        let cluster = SimulatedCluster(workers: 1, outcome: .failure("disk full"))
        let id = try await cluster.scheduler.runJob(simpleJob())
        #expect(await cluster.stepUntil { await $0.status(of: id).status == .completed } != nil)
        let status = await cluster.scheduler.status(of: id)
        #expect(status.taskData["t0"]?.state == .failed)
        #expect(status.taskData["t0"]?.error == "disk full -> Error(s) encountered, canceling task.")
        #expect(await cluster.scheduler.workers().first?.tasksRun == 1, "MaxRetriesPerTask 0: one attempt")
    }

    @Test func maxRetriesThreeMeansFourAttempts() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxRetriesPerTask = 3
        let cluster = SimulatedCluster(workers: 1, configuration: configuration, outcome: .failure("flaky"))
        let id = try await cluster.scheduler.runJob(simpleJob())
        #expect(await cluster.stepUntil { await $0.status(of: id).status == .completed } != nil)
        #expect(await cluster.scheduler.workers().first?.tasksRun == 4)
        #expect(await cluster.scheduler.status(of: id).taskData["t0"]?.error == "flaky -> Error(s) encountered, canceling task.")
    }

    @Test func aRetriedTaskThatSucceedsHasNoSuffix() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxRetriesPerTask = 1
        let cluster = SimulatedCluster(
            workers: 1, configuration: configuration, outcomeOverride: { $0.attemptID == 1 ? .failure("first try fails") : nil })
        let id = try await cluster.scheduler.runJob(simpleJob())
        await cluster.scheduler.step()
        await cluster.advance(by: .seconds(1))
        // Relaunched, and before the new attempt reports, the task reads IN_PROGRESS with the
        // previous attempt's RUNNING data.
        let waiting = await cluster.scheduler.status(of: id)
        #expect(waiting.taskStatus["t0"] == .inProgress)
        #expect(waiting.taskData["t0"]?.state == .running)
        #expect(await cluster.stepUntil { await $0.status(of: id).status == .completed } != nil)
        let status = await cluster.scheduler.status(of: id)
        #expect(status.taskData["t0"]?.state == .complete)
        #expect(status.taskData["t0"]?.error == "")
    }

    @Test func aNonZeroExitIsCompleteAndNotRetried() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxRetriesPerTask = 2
        let cluster = SimulatedCluster(workers: 1, configuration: configuration, outcome: .exit(3))
        let id = try await cluster.scheduler.runJob(simpleJob())
        #expect(await cluster.stepUntil { await $0.status(of: id).status == .completed } != nil)
        let data = await cluster.scheduler.status(of: id).taskData["t0"]
        #expect(data?.state == .complete)
        #expect(data?.exitCode == 3)
        #expect(await cluster.scheduler.workers().first?.tasksRun == 1)
        #expect(await cluster.scheduler.jobs().first?.taskCounts == JobSummary.TaskCounts(failed: 1))
    }

    @Test func effectiveTimeoutRules() {
        let schedulerDefault = Duration.seconds(1800)
        func timeout(task: Duration?, job: Duration?) -> Duration {
            let definition = JobDefinition(tasks: [], defaultTaskTimeout: job)
            return definition.effectiveTimeout(of: TaskDefinition(taskID: "t", argv: ["x"], timeout: task), schedulerDefault: schedulerDefault)
        }
        #expect(timeout(task: .seconds(5), job: .seconds(9)) == .seconds(5))
        #expect(timeout(task: .zero, job: .seconds(9)) == .seconds(9))
        #expect(timeout(task: .seconds(-1), job: .seconds(9)) == .seconds(9))
        #expect(timeout(task: nil, job: .seconds(-3)) == .seconds(-3), "a negative job default passes through")
        #expect(timeout(task: nil, job: .zero) == schedulerDefault)
        #expect(timeout(task: nil, job: nil) == schedulerDefault)
    }

    @Test func aWorkerTimeoutEndsTimedOutWithTheSuffix() async throws {
        let cluster = SimulatedCluster(workers: 1)
        let job = JobDefinition(tasks: [TaskDefinition(taskID: "slow", argv: ["sleep", "100"], timeout: .seconds(10))])
        let id = try await cluster.scheduler.runJob(job)
        let finishedAt = await cluster.stepUntil { await $0.status(of: id).status == .completed }
        #expect(finishedAt == .seconds(10))
        let data = await cluster.scheduler.status(of: id).taskData["slow"]
        #expect(data?.state == .timedOut)
        #expect(data?.error.hasSuffix(" -> Error(s) encountered, canceling task.") == true)
    }

    @Test func theSchedulerTimesOutAfterTheOverheadWhenTheWorkerDoesNot() async throws {
        let cluster = SimulatedCluster(workers: 1, honorsTimeouts: false)
        let job = JobDefinition(tasks: [TaskDefinition(taskID: "hung", argv: ["sleep", "100000"])], defaultTaskTimeout: .seconds(60))
        let id = try await cluster.scheduler.runJob(job)
        let finishedAt = await cluster.stepUntil { await $0.status(of: id).status == .completed }
        #expect(finishedAt == .seconds(75), "timeout 60 s + overhead 15 s")
        let data = await cluster.scheduler.status(of: id).taskData["hung"]
        #expect(data?.state == .timedOut)
        #expect(data?.runID == "0", "keeps the run's data")
        #expect(cluster.workers.activeRunCount == 0, "the run was aborted")
        #expect(await cluster.scheduler.workers().first?.state == .idle)
    }

    @Test func theDefaultTimeoutIsThirtyMinutes() async throws {
        let cluster = SimulatedCluster(workers: 1, honorsTimeouts: false)
        let id = try await cluster.scheduler.runJob(simpleJob(argv: ["sleep", "100000"]))
        let finishedAt = await cluster.stepUntil(limit: .seconds(7200)) { await $0.status(of: id).status == .completed }
        #expect(finishedAt == .seconds(30 * 60 + 15))
    }

    @Test func aTimedOutAttemptIsRetriedWhileRetriesRemain() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxRetriesPerTask = 1
        let cluster = SimulatedCluster(workers: 1, configuration: configuration)
        let job = JobDefinition(tasks: [TaskDefinition(taskID: "slow", argv: ["sleep", "100"], timeout: .seconds(10))])
        let id = try await cluster.scheduler.runJob(job)
        #expect(await cluster.stepUntil { await $0.status(of: id).status == .completed } == .seconds(20))
        #expect(await cluster.scheduler.workers().first?.tasksRun == 2)
    }

    @Test func unknownJobIsNotStartedWithoutError() async {
        let cluster = SimulatedCluster()
        #expect(await cluster.scheduler.status(of: "no-such-job") == JobStatus(id: "no-such-job", status: .notStarted))
    }

    @Test func statusFollowsTheJobFromQueuedToCompleted() async throws {
        let cluster = SimulatedCluster(workers: 1)
        let id = try await cluster.scheduler.runJob(simpleJob(tasks: 2, argv: ["sleep", "2"]))
        #expect(await cluster.scheduler.status(of: id) == JobStatus(id: id, status: .inProgress, taskStatus: ["t0": .notStarted, "t1": .notStarted]))

        await cluster.scheduler.step()
        let assigned = await cluster.scheduler.status(of: id)
        #expect(assigned.taskStatus == ["t0": .inProgress, "t1": .notStarted])
        #expect(assigned.taskData.isEmpty, "no RUNNING report yet")

        await cluster.advance(by: .milliseconds(250))
        let running = await cluster.scheduler.status(of: id).taskData["t0"]
        #expect(running == RunStatus(state: .running, runID: "0", outURI: "sim://sim-worker-0/runs/0/stdout", errURI: "sim://sim-worker-0/runs/0/stderr"))

        #expect(await cluster.stepUntil { await $0.status(of: id).status == .completed } == .seconds(4))
        let done = await cluster.scheduler.status(of: id)
        #expect(done.taskStatus == ["t0": .completed, "t1": .completed])
        #expect(done.taskData["t1"]?.state == .complete)
        #expect(done.taskData["t1"]?.runID == "1")
        await cluster.advance(by: .milliseconds(250))
        let summary = try #require(await cluster.scheduler.jobs().first)
        #expect(summary.status == .completed)
        #expect(summary.taskCounts == JobSummary.TaskCounts(completed: 2))
        #expect(summary.submittedAt == .zero)
        #expect(summary.startedAt == .zero)
        #expect(summary.endedAt == .seconds(4), "it left memory in the step that completed it")
        #expect(await cluster.scheduler.status(of: id) == done, "status survives the job leaving memory")
    }

    @Test func killEndsWaitingAndRunningTasksAndIsNeverRetried() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxRetriesPerTask = 5
        let cluster = SimulatedCluster(workers: 1, configuration: configuration)
        let id = try await cluster.scheduler.runJob(simpleJob(tasks: 2, argv: ["sleep", "10"]))
        await cluster.scheduler.step()
        await cluster.advance(by: .seconds(1))
        let status = try await cluster.scheduler.kill(jobID: id)
        #expect(status.status == .completed)
        #expect(status.taskStatus == ["t0": .completed, "t1": .completed])
        #expect(status.taskData["t1"] == RunStatus(state: .aborted, error: "UserRequested"))
        let running = try #require(status.taskData["t0"])
        #expect(running.state == .aborted)
        #expect(running.error == "UserRequested -> Error(s) encountered, canceling task.")
        #expect(running.runID == "0")
        #expect(cluster.workers.activeRunCount == 0)

        await cluster.advance(by: .seconds(30))
        #expect(await cluster.scheduler.workers().first?.tasksRun == 1, "never retried")
        #expect(await cluster.scheduler.status(of: id) == status)
        // Killed tasks, the never-started one too, are kills, not failures.
        let counts = try #require(await cluster.scheduler.jobs().first { $0.id == id }?.taskCounts)
        #expect(counts.failed == 0 && counts.killed == 2)
    }

    @Test func killErrorsAreScoots() async throws {
        let cluster = SimulatedCluster()
        await #expect(throws: SchedulerError.notFound("cannot kill Job Id nope, not found.")) {
            try await cluster.scheduler.kill(jobID: "nope")
        }
        let id = try await cluster.scheduler.runJob(simpleJob())
        _ = try await cluster.scheduler.kill(jobID: id)
        await #expect(throws: SchedulerError.failed("job Id \(id) was already killed, request ignored")) {
            try await cluster.scheduler.kill(jobID: id)
        }
        await cluster.scheduler.step()
        await #expect(throws: SchedulerError.notFound("cannot kill Job Id \(id), not found.")) {
            try await cluster.scheduler.kill(jobID: id)
        }
    }
}
