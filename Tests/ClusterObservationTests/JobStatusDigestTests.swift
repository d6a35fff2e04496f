import ClusterObservation
import ScootAPI
import Testing

@Suite struct JobStatusDigestTests {
    /// A job killed on real Scoot: every task COMPLETED, the killed ones with run status ABORTED
    /// and `UserRequested` (the running one with the dead-letter suffix), one that had passed.
    static let killedOnScoot = JobStatus(
        id: "j", status: .completed,
        taskStatus: ["t1": .completed, "t2": .completed, "t3": .completed, "t4": .completed],
        taskData: [
            "t1": RunStatus(status: .aborted, runId: "", error: "UserRequested", exitCode: 0),
            "t2": RunStatus(status: .aborted, runId: "3", error: "UserRequested -> Error(s) encountered, canceling task.", exitCode: 0),
            "t3": RunStatus(status: .complete, runId: "1", exitCode: 0),
            "t4": RunStatus(status: .aborted, runId: "2", error: "RebalanceRequested", exitCode: 0),
        ])

    @Test func killedTasksAreKillsNotFailures() {
        let digest = JobStatusDigest(Self.killedOnScoot)
        #expect(digest.killed == 2)
        #expect(digest.preempted == 1)
        #expect(digest.succeeded == 1)
        #expect(digest.wasKilled)
    }

    @Test func anExitCodeOtherThanZeroIsAFailureNotAKill() {
        let status = JobStatus(
            id: "j", status: .completed, taskStatus: ["a": .completed, "b": .inProgress, "c": .notStarted],
            taskData: ["a": RunStatus(status: .complete, runId: "1", exitCode: 3)])
        let digest = JobStatusDigest(status)
        #expect(digest.failed == 1 && digest.killed == 0 && digest.running == 1 && digest.waiting == 1)
        #expect(!digest.wasKilled)
    }
}
