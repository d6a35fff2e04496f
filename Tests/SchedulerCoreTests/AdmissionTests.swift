import Foundation
import Testing
@testable import SchedulerCore

@Suite("RunJob validation and admission")
struct AdmissionTests {
    @Test func stageBMessagesAreScoots() async {
        let cluster = SimulatedCluster()
        await #expect(throws: SchedulerError.invalidRequest("invalid job. Must have at least 1 task; was empty")) {
            try await cluster.scheduler.runJob(JobDefinition(tasks: []))
        }
        await #expect(throws: SchedulerError.invalidRequest("invalid task id \"\".")) {
            try await cluster.scheduler.runJob(JobDefinition(tasks: [TaskDefinition(taskID: "", argv: ["true"])]))
        }
        await #expect(throws: SchedulerError.invalidRequest("invalid task.Command.Argv. Must have at least one argument; was empty")) {
            try await cluster.scheduler.runJob(JobDefinition(tasks: [TaskDefinition(taskID: "t", argv: [])]))
        }
    }

    @Test func stageCMessagesAreScoots() async {
        let cluster = SimulatedCluster()
        await #expect(throws: SchedulerError.invalidRequest("invalid priority 5, must be between 0-2 inclusive")) {
            try await cluster.scheduler.runJob(simpleJob(priority: 5))
        }
        await #expect(throws: SchedulerError.invalidRequest("invalid priority -1, must be between 0-2 inclusive")) {
            try await cluster.scheduler.runJob(simpleJob(priority: -1))
        }
        let duplicate = JobDefinition(tasks: ["t1", "t2", "t1", "t2"].map { TaskDefinition(taskID: $0, argv: ["true"]) })
        await #expect(throws: SchedulerError.invalidRequest("invalid dup taskID t1")) {
            try await cluster.scheduler.runJob(duplicate)
        }
    }

    /// One 400,000-task job held the scheduler for seconds and a gigabyte: each request and the
    /// queue as a whole are capped, and the refusal names the limit.
    @Test func sizeCapsRefuseAndNameTheLimit() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxTasksPerJob = 5
        configuration.maxQueuedTasks = 8
        configuration.maxJobDefinitionBytes = 100
        let cluster = SimulatedCluster(configuration: configuration)
        func job(tasks: Int, argument: String = "x") -> JobDefinition {
            JobDefinition(tasks: (0..<tasks).map { TaskDefinition(taskID: "t\($0)", argv: ["sleep", argument]) })
        }
        await #expect(throws: SchedulerError.invalidRequest("job has 6 tasks; this scheduler takes at most 5 per job (max tasks per job); split it")) {
            try await cluster.scheduler.runJob(job(tasks: 6))
        }
        let big = job(tasks: 1, argument: String(repeating: "a", count: 200))
        await #expect(throws: SchedulerError.invalidRequest("job definition carries 207 bytes of text; this scheduler takes at most 100 (max job definition bytes)")) {
            try await cluster.scheduler.runJob(big)
        }
        _ = try await cluster.scheduler.runJob(job(tasks: 5))
        let error = await #expect(throws: SchedulerError.self) { try await cluster.scheduler.runJob(job(tasks: 4)) }
        guard case .canNotScheduleNow(_, let reason) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason == "exceeds max queued tasks: 5 unfinished + 4 new > 8")
        _ = try await cluster.scheduler.runJob(job(tasks: 3))
    }

    @Test func stageAMessagesForTheIDLAdapter() {
        #expect(SchedulerError.nilJobDefinition.description == "nil job definition")
        #expect(SchedulerError.nilTaskDefinition.description == "nil task definition")
        #expect(SchedulerError.nilCommand.description == "nil command")
        #expect(SchedulerError.nilTaskID.description == "nil taskId")
    }

    @Test func checksRunInScootsOrder() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxJobsPerRequestor = 1
        let cluster = SimulatedCluster(configuration: configuration)
        // Stage B before stage C: an empty job of a requestor at its limit is invalid, not refused.
        _ = try await cluster.scheduler.runJob(simpleJob(requestor: "r"))
        await #expect(throws: SchedulerError.invalidRequest("invalid job. Must have at least 1 task; was empty")) {
            try await cluster.scheduler.runJob(JobDefinition(tasks: [], priority: 9, requestor: "r"))
        }
        // The admission limit comes before the priority check.
        await #expect(throws: SchedulerError.canNotScheduleNow(retryAfterMs: 1000, reason: "exceeds max jobs per requestor: r (1)")) {
            try await cluster.scheduler.runJob(simpleJob(requestor: "r", priority: 9))
        }
        // Priority before duplicate task ids.
        let both = JobDefinition(tasks: [TaskDefinition(taskID: "a", argv: ["x"]), TaskDefinition(taskID: "a", argv: ["x"])], priority: 3)
        await #expect(throws: SchedulerError.invalidRequest("invalid priority 3, must be between 0-2 inclusive")) {
            try await cluster.scheduler.runJob(both)
        }
    }

    @Test func maxRequestorsCountsDistinctRequestorsWithJobsInMemory() async throws {
        let cluster = SimulatedCluster()
        for index in 0..<10 { _ = try await cluster.scheduler.runJob(simpleJob(requestor: "r\(index)")) }
        await #expect(throws: SchedulerError.canNotScheduleNow(retryAfterMs: 1000, reason: "exceeds max number of requestors: r10 (10)")) {
            try await cluster.scheduler.runJob(simpleJob(requestor: "r10"))
        }
        // A requestor that already has a job is still admitted.
        _ = try await cluster.scheduler.runJob(simpleJob(requestor: "r3"))
        // Once the jobs finish and leave memory, new requestors are admitted again.
        #expect(await cluster.stepUntil { await $0.schedulerStatus().currentTasks == 0 } != nil)
        await cluster.advance(by: .milliseconds(250))
        _ = try await cluster.scheduler.runJob(simpleJob(requestor: "r10"))
    }

    @Test func theEmptyRequestorCountsAsARequestor() async throws {
        var configuration = SchedulerConfiguration()
        configuration.maxRequestors = 1
        let cluster = SimulatedCluster(configuration: configuration)
        _ = try await cluster.scheduler.runJob(simpleJob(requestor: ""))
        await #expect(throws: SchedulerError.canNotScheduleNow(retryAfterMs: 1000, reason: "exceeds max number of requestors: x (1)")) {
            try await cluster.scheduler.runJob(simpleJob(requestor: "x"))
        }
    }

    @Test func maxJobsPerRequestorDefaultsToOneHundred() async throws {
        let cluster = SimulatedCluster()
        for _ in 0..<100 { _ = try await cluster.scheduler.runJob(simpleJob(requestor: "busy")) }
        await #expect(throws: SchedulerError.canNotScheduleNow(retryAfterMs: 1000, reason: "exceeds max jobs per requestor: busy (100)")) {
            try await cluster.scheduler.runJob(simpleJob(requestor: "busy"))
        }
    }

    @Test func jobIDsAreLowercaseUUIDVersion4AndAnEmptyTagBecomesTheID() async throws {
        let cluster = SimulatedCluster()
        var ids: Set<String> = []
        for _ in 0..<20 {
            let id = try await cluster.scheduler.runJob(simpleJob(requestor: "uuid"))
            #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil, "\(id)")
            ids.insert(id)
        }
        #expect(ids.count == 20)
        let summaries = await cluster.scheduler.jobs()
        #expect(summaries.allSatisfy { $0.tag == $0.id })
        let tagged = try await cluster.scheduler.runJob(simpleJob(requestor: "uuid", tag: "mine"))
        #expect(await cluster.scheduler.jobs().first { $0.id == tagged }?.tag == "mine")
    }

    @Test func anEnforcedThrottleRefusesJobsThatWouldExceedIt() async throws {
        let cluster = SimulatedCluster(workers: 2)
        try await cluster.scheduler.setMaxTasks(5)
        _ = try await cluster.scheduler.runJob(simpleJob(tasks: 3))
        await cluster.scheduler.step()
        await #expect(throws: SchedulerError.canNotScheduleNow(retryAfterMs: 1000, reason: "exceeds max tasks: 3 in progress + 3 new > 5")) {
            try await cluster.scheduler.runJob(simpleJob(tasks: 3))
        }
        _ = try await cluster.scheduler.runJob(simpleJob(tasks: 2))
        #expect(await cluster.scheduler.schedulerStatus() == SchedulerStatus(currentTasks: 5, maxTasks: 5))
        try await cluster.scheduler.setMaxTasks(0)
        await #expect(throws: SchedulerError.canNotScheduleNow(retryAfterMs: 1000, reason: "exceeds max tasks: 5 in progress + 1 new > 0")) {
            try await cluster.scheduler.runJob(simpleJob())
        }
        try await cluster.scheduler.setMaxTasks(-1)
        _ = try await cluster.scheduler.runJob(simpleJob(tasks: 50))
    }

    @Test func anAdvisoryThrottleIsOnlyReported() async throws {
        var configuration = SchedulerConfiguration()
        configuration.throttleMode = .advisory
        let cluster = SimulatedCluster(configuration: configuration)
        try await cluster.scheduler.setMaxTasks(0)
        _ = try await cluster.scheduler.runJob(simpleJob(tasks: 3))
        #expect(await cluster.scheduler.schedulerStatus() == SchedulerStatus(currentTasks: 3, maxTasks: 0))
    }

    @Test func invalidRequestsDoNotTripTheThrottleFirst() async throws {
        let cluster = SimulatedCluster()
        try await cluster.scheduler.setMaxTasks(0)
        await #expect(throws: SchedulerError.invalidRequest("invalid priority 7, must be between 0-2 inclusive")) {
            try await cluster.scheduler.runJob(simpleJob(priority: 7))
        }
    }

    @Test func maxTasksBelowMinusOneIsInvalid() async throws {
        let cluster = SimulatedCluster()
        await #expect(throws: SchedulerError.invalidRequest("invalid tasks limit:-2. Must be >= -1.")) {
            try await cluster.scheduler.setMaxTasks(-2)
        }
        #expect(await cluster.scheduler.schedulerStatus().maxTasks == -1)
    }
}
