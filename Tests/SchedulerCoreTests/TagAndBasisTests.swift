import Testing
@testable import SchedulerCore

@Suite("Tags, basis and the tag history")
struct TagAndBasisTests {
    @Test func anOlderTagOfTheSameRequestorAndBasisIsExpired() async throws {
        let cluster = SimulatedCluster()
        _ = try await cluster.scheduler.runJob(simpleJob(tag: "v1", basis: "b"))
        _ = try await cluster.scheduler.runJob(simpleJob(tag: "v2", basis: "b"))
        _ = try await cluster.scheduler.runJob(simpleJob(tag: "v3", basis: "b"))
        await #expect(throws: SchedulerError.invalidRequest("expired tag=v2 for basis=b. Expected either tag=v3 or new tag")) {
            try await cluster.scheduler.runJob(simpleJob(tag: "v2", basis: "b"))
        }
        // The newest tag may be resubmitted.
        _ = try await cluster.scheduler.runJob(simpleJob(tag: "v3", basis: "b"))
    }

    @Test func theFirstTagIsRecordedToo() async throws {
        // Scoot never records the first tag of a key, so it could be resubmitted; we refuse it.
        let cluster = SimulatedCluster()
        _ = try await cluster.scheduler.runJob(simpleJob(tag: "first", basis: "b"))
        _ = try await cluster.scheduler.runJob(simpleJob(tag: "second", basis: "b"))
        await #expect(throws: SchedulerError.invalidRequest("expired tag=first for basis=b. Expected either tag=second or new tag")) {
            try await cluster.scheduler.runJob(simpleJob(tag: "first", basis: "b"))
        }
    }

    @Test func theHistoryIsPerRequestorAndBasisAndIgnoresJobsWithoutBasis() async throws {
        let cluster = SimulatedCluster()
        _ = try await cluster.scheduler.runJob(simpleJob(requestor: "a", tag: "v1", basis: "b"))
        _ = try await cluster.scheduler.runJob(simpleJob(requestor: "a", tag: "v2", basis: "b"))
        _ = try await cluster.scheduler.runJob(simpleJob(requestor: "other", tag: "v1", basis: "b"))
        _ = try await cluster.scheduler.runJob(simpleJob(requestor: "a", tag: "v1", basis: "c"))
        _ = try await cluster.scheduler.runJob(simpleJob(requestor: "a", tag: "v1"))
    }

    @Test func aRejectedJobDoesNotChangeTheHistory() async throws {
        let cluster = SimulatedCluster()
        try await cluster.scheduler.setMaxTasks(1)
        _ = try await cluster.scheduler.runJob(simpleJob(tag: "v1", basis: "b"))
        await #expect(throws: SchedulerError.canNotScheduleNow(retryAfterMs: 1000, reason: "exceeds max tasks: 1 in progress + 1 new > 1")) {
            try await cluster.scheduler.runJob(simpleJob(tag: "v2", basis: "b"))
        }
        try await cluster.scheduler.setMaxTasks(-1)
        _ = try await cluster.scheduler.runJob(simpleJob(tag: "v1", basis: "b"))
    }

    @Test func aNewTagKillsOlderJobsOfTheSameRequestorAndBasis() async throws {
        let cluster = SimulatedCluster(workers: 1)
        let old = try await cluster.scheduler.runJob(simpleJob(tasks: 2, argv: ["sleep", "60"], tag: "v1", basis: "b"))
        let sameTag = try await cluster.scheduler.runJob(simpleJob(argv: ["sleep", "60"], tag: "v1", basis: "b"))
        let otherRequestor = try await cluster.scheduler.runJob(simpleJob(requestor: "x", tag: "v0", basis: "b"))
        let otherBasis = try await cluster.scheduler.runJob(simpleJob(tag: "v0", basis: "c"))
        await cluster.scheduler.step()
        #expect(await cluster.scheduler.status(of: old).taskStatus == ["t0": .inProgress, "t1": .notStarted])

        let new = try await cluster.scheduler.runJob(simpleJob(tag: "v2", basis: "b"))
        let killed = await cluster.scheduler.status(of: old)
        #expect(killed.status == .completed)
        #expect(killed.taskData["t0"]?.state == .aborted)
        #expect(killed.taskData["t0"]?.error == "UserRequested -> Error(s) encountered, canceling task.")
        #expect(killed.taskData["t1"] == RunStatus(state: .aborted, error: "UserRequested"))
        #expect(await cluster.scheduler.status(of: sameTag).status == .completed, "same tag, also older than v2")
        for survivor in [otherRequestor, otherBasis, new] {
            #expect(await cluster.scheduler.status(of: survivor).status == .inProgress)
        }
        let summaries = await cluster.scheduler.jobs()
        #expect(summaries.filter(\.killed).map(\.id).sorted() == [old, sameTag].sorted())
    }

    @Test func retriesWithTheSameTagDoNotKillEachOther() async throws {
        let cluster = SimulatedCluster()
        let first = try await cluster.scheduler.runJob(simpleJob(tag: "v1", basis: "b"))
        let retry = try await cluster.scheduler.runJob(simpleJob(tag: "v1", basis: "b"))
        for id in [first, retry] { #expect(await cluster.scheduler.status(of: id).status == .inProgress) }
    }

    @Test func aJobWithTheSameTagAndAnotherBasisInheritsThePriority() async throws {
        let cluster = SimulatedCluster()
        _ = try await cluster.scheduler.runJob(simpleJob(tag: "t", basis: "b1", priority: 2))
        let second = try await cluster.scheduler.runJob(simpleJob(tag: "t", basis: "b2", priority: 0))
        #expect(await cluster.scheduler.jobs().first { $0.id == second }?.priority == 2)
    }
}
