import Testing
@testable import SchedulerCore

@Suite("Scheduler settings")
struct SchedulerSettingsTests {
    @Test func defaultsAreScoots() async {
        let scheduler = SimulatedCluster().scheduler
        #expect(await scheduler.getClassLoadPercents() == ClassLoadPercents.scootDefaults)
        #expect(await scheduler.getRequestorToClassMap() == RequestorClassifier.scootDefaults)
        #expect(await scheduler.getRebalanceMinimumDuration() == 4)
        #expect(await scheduler.getRebalanceThreshold() == 0)
        #expect(await scheduler.schedulerStatus() == SchedulerStatus(currentTasks: 0, maxTasks: -1))
    }

    @Test func percentsAreStoredNormalized() async throws {
        let scheduler = SimulatedCluster().scheduler
        try await scheduler.setClassLoadPercents(["a": 30, "b": 25, "c": 15, "d": 10, "e": 0])
        #expect(await scheduler.getClassLoadPercents() == ["a": 39, "b": 31, "c": 18, "d": 12, "e": 0])
    }

    @Test(arguments: [[:], ["a": 0, "b": 0], ["a": 50, "b": -1]] as [[String: Int]])
    func invalidPercentsAreRefusedAndKeepTheOldMap(percents: [String: Int]) async throws {
        let scheduler = SimulatedCluster().scheduler
        let error = await #expect(throws: SchedulerError.self) { try await scheduler.setClassLoadPercents(percents) }
        guard case .invalidRequest = error else {
            Issue.record("expected invalidRequest, got \(String(describing: error))")
            return
        }
        #expect(await scheduler.getClassLoadPercents() == ClassLoadPercents.scootDefaults)
    }

    @Test func requestorMapIsValidatedAgainstTheRegexSyntax() async throws {
        let scheduler = SimulatedCluster().scheduler
        try await scheduler.setRequestorToClassMap(["^ci-": "land"])
        #expect(await scheduler.getRequestorToClassMap() == ["^ci-": "land"])
        let error = await #expect(throws: SchedulerError.self) { try await scheduler.setRequestorToClassMap(["(unclosed": "land"]) }
        guard case .invalidRequest = error else {
            Issue.record("expected invalidRequest, got \(String(describing: error))")
            return
        }
        #expect(await scheduler.getRequestorToClassMap() == ["^ci-": "land"])
    }

    /// A client that restores the map before the percents (an Apache Thrift client did) used to
    /// be refused and left with the map it had; Scoot accepts the map, and so does the core.
    @Test func aMapNamingAClassWithoutAPercentIsKeptAndItsRequestorsAreUnmatched() async throws {
        let cluster = SimulatedCluster()
        try await cluster.scheduler.setClassLoadPercents(["land": 90, "small": 10])
        try await cluster.scheduler.setRequestorToClassMap(["^ci-": "gpu", "land.*": "land"])
        #expect(await cluster.scheduler.getRequestorToClassMap() == ["^ci-": "gpu", "land.*": "land"])
        let id = try await cluster.scheduler.runJob(simpleJob(requestor: "ci-nightly"))
        #expect(await cluster.scheduler.jobs().first { $0.id == id }?.className == "small")
        try await cluster.scheduler.setClassLoadPercents(["land": 80, "small": 10, "gpu": 10])
        #expect(await cluster.scheduler.jobs().first { $0.id == id }?.className == "gpu", "once the class exists, the pattern counts")
    }

    @Test func rebalanceSettingsTakeAnyValue() async throws {
        let scheduler = SimulatedCluster().scheduler
        try await scheduler.setRebalanceMinimumDuration(-3)
        try await scheduler.setRebalanceThreshold(25)
        #expect(await scheduler.getRebalanceMinimumDuration() == -3)
        #expect(await scheduler.getRebalanceThreshold() == 25)
    }

    @Test func jobsReportTheirClassUnderTheCurrentSettings() async throws {
        let cluster = SimulatedCluster()
        let id = try await cluster.scheduler.runJob(simpleJob(requestor: "diff-bot"))
        let unmatched = try await cluster.scheduler.runJob(simpleJob(requestor: "someone"))
        var classes = Dictionary(uniqueKeysWithValues: await cluster.scheduler.jobs().map { ($0.id, $0.className) })
        #expect(classes == [id: "diff", unmatched: "unknown"])
        try await cluster.scheduler.setRequestorToClassMap(["some": "sandbox"])
        classes = Dictionary(uniqueKeysWithValues: await cluster.scheduler.jobs().map { ($0.id, $0.className) })
        #expect(classes == [id: "unknown", unmatched: "sandbox"])
    }

    /// Before the linear-time classifier, this map and this requestor stalled the scheduler actor
    /// for good (Swift's backtracking `Regex`: about 2.7× longer per extra `a`).
    @Test func aCatastrophicPatternCannotStallTheScheduler() async throws {
        let cluster = SimulatedCluster()
        try await cluster.scheduler.setClassLoadPercents(["x": 50, "land": 50])
        try await cluster.scheduler.setRequestorToClassMap(["(a+)+$": "x"])
        let id = try await cluster.scheduler.runJob(
            JobDefinition(tasks: [TaskDefinition(taskID: "t", argv: ["true"])], requestor: String(repeating: "a", count: 22) + "!"))
        // It does not match (the text ends in `!`): the job goes to the smallest class, at once.
        #expect(await cluster.scheduler.jobs().first { $0.id == id }?.className == "land")
        let matching = try await cluster.scheduler.runJob(
            JobDefinition(tasks: [TaskDefinition(taskID: "t", argv: ["true"])], requestor: String(repeating: "a", count: 22)))
        #expect(await cluster.scheduler.jobs().first { $0.id == matching }?.className == "x")
        await cluster.advance(by: .seconds(2))
        await cluster.advance(by: .seconds(2))
        #expect(await cluster.scheduler.status(of: id).status == .completed)
    }
}
