import ClusterObservation
import Testing

@Suite struct StatusRefreshScheduleTests {
    private func candidate(_ id: String, last: Int64?, running: Bool = false, urgent: Bool = false) -> StatusRefreshSchedule.Candidate {
        .init(jobID: id, lastReadAtMs: last, runningOnWorker: running, urgent: urgent)
    }

    @Test func neverMoreThanTheBudgetASecond() {
        var schedule = StatusRefreshSchedule(readsPerSecond: 10, minimumInterval: .seconds(5))
        let jobs = (0..<50).map { candidate("j\($0)", last: nil) }
        #expect(schedule.due(jobs, nowMs: 1_000).count == 10)
        #expect(schedule.due(jobs, nowMs: 1_000).isEmpty)
        // Half a second refills half the bucket.
        #expect(schedule.due(jobs, nowMs: 1_500).count == 5)
        // A long pause refills at most one second's worth.
        #expect(schedule.due(jobs, nowMs: 60_000).count == 10)
    }

    @Test func aJobIsNotReadAgainWithinTheInterval() {
        var schedule = StatusRefreshSchedule(readsPerSecond: 10, minimumInterval: .seconds(5))
        #expect(schedule.due([candidate("a", last: 10_000)], nowMs: 14_999).isEmpty)
        #expect(schedule.due([candidate("a", last: 10_000)], nowMs: 15_000) == ["a"])
    }

    @Test func urgentAndNewJobsComeFirstThenJobsRunningOnWorkersThenTheLongestUnread() {
        var schedule = StatusRefreshSchedule(readsPerSecond: 4, minimumInterval: .seconds(5))
        let due = schedule.due(
            [
                candidate("old", last: 1_000), candidate("older", last: 500), candidate("running", last: 2_000, running: true),
                candidate("killed", last: 99_000, urgent: true), candidate("new", last: nil),
            ],
            nowMs: 100_000)
        #expect(due == ["killed", "new", "running", "older"])
    }
}
