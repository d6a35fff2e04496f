import Foundation
import Synchronization
import Testing
@testable import SchedulerCore

/// The journal writer's group commit, its bounds and its failure state.
@Suite struct JournalWriterTests {
    private static let day = Date(timeIntervalSince1970: 1_700_000_000)

    private func end(_ index: Int) -> JournalRecord {
        .taskEnded(jobID: "j", taskID: "t\(index)", status: RunStatus(state: .complete), at: Self.day)
    }

    /// Waits (a real wait, bounded) until the journal has begun `count` commits.
    private func waitForCommits(_ journal: InMemoryJobJournal, _ count: Int) async throws {
        for _ in 0..<500 where journal.commitsBegun < count { try await Task.sleep(for: .milliseconds(10)) }
        try #require(journal.commitsBegun >= count)
    }

    @Test func recordsThatArriveDuringACommitGoInTheNextOneTogether() async throws {
        let journal = InMemoryJobJournal()
        let writer = JournalWriter(journal: journal)
        journal.hold()
        writer.append(end(0))
        try await waitForCommits(journal, 1)
        for index in 1...300 { writer.append(end(index)) }
        async let settings: Void = writer.commit(.settingsChanged(SchedulerSettings(
            classLoadPercents: ["a": 100], requestorToClassMap: [:], rebalanceThreshold: 1, rebalanceMinimumDurationMinutes: 1, maxTasks: -1)))
        try await Task.sleep(for: .milliseconds(20))
        journal.release()
        try await settings
        #expect(await writer.flush())
        #expect(journal.commits == 2, "one commit for the first record, one for the 301 that waited")
        #expect(journal.records.count == 302)
        #expect(writer.health.recordsWritten == 302 && writer.health.commits == 2)
    }

    @Test func aClientWriteIsToldWhenItsCommitFailsAndStepRecordsWait() async throws {
        let journal = InMemoryJobJournal()
        let changes = HealthChanges()
        let writer = JournalWriter(journal: journal) { changes.add($0) }
        journal.setFailing(true)
        writer.append(end(1))
        await #expect(throws: InMemoryJobJournal.InjectedFailure.self) { try await writer.commit(end(2)) }
        #expect(writer.health.failure == "disk full (injected)")
        #expect(writer.health.waitingRecords == 1, "the step record is kept, the client's is not")

        journal.setFailing(false)
        #expect(await writer.flush())
        #expect(journal.records == [.taskEnded(jobID: "j", taskID: "t1", RunStatus(state: .complete))])
        #expect(changes.all.map { $0.failure != nil } == [true, false])
    }

    /// A client write behind more step records than one group holds, while the journal fails:
    /// it used to wait forever while the writer retried the front group without a pause.
    @Test func aClientWriteBehindAGroupOfStepRecordsIsToldWhileTheJournalFails() async throws {
        let journal = InMemoryJobJournal()
        let writer = JournalWriter(journal: journal)
        journal.setFailing(true)
        writer.append(end(0))
        #expect(await writer.flush() == false)
        for index in 1...(JournalWriter.largestGroup + 100) { writer.append(end(index)) }
        // Not awaited in a task group: before the fix the commit never returned.
        let told = Mutex<Bool?>(nil)
        Task {
            do {
                try await writer.commit(end(-1))
                told.withLock { $0 = false }
            } catch {
                told.withLock { $0 = error is InMemoryJobJournal.InjectedFailure }
            }
        }
        for _ in 0..<500 where told.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
        #expect(told.withLock { $0 } == true, "the client was told the journal is failing")
        let attempts = journal.commitsBegun
        try await Task.sleep(for: .milliseconds(500))
        #expect(journal.commitsBegun - attempts <= 1, "a failing journal is retried every second, not in a loop")
        journal.setFailing(false)
        #expect(await writer.flush())
        #expect(journal.records.count == JournalWriter.largestGroup + 101)
    }

    @Test func stepRecordsBeyondTheCapacityAreDroppedAndCounted() async throws {
        let journal = InMemoryJobJournal()
        let writer = JournalWriter(journal: journal)
        journal.setFailing(true)
        writer.append(end(0))
        #expect(await writer.flush() == false)
        for index in 1...JournalWriter.capacity { writer.append(end(index)) }
        #expect(writer.health.waitingRecords == JournalWriter.capacity)
        #expect(writer.health.recordsDropped == 1)
        await #expect(throws: JournalWriter.Full.self) { try await writer.commit(end(-1)) }
        journal.setFailing(false)
        #expect(await writer.flush())
        #expect(journal.records.count == JournalWriter.capacity)
        #expect(journal.commits == JournalWriter.capacity / JournalWriter.largestGroup)
    }
}

/// The health reports a writer made, in order.
private final class HealthChanges: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [JournalHealth] = []
    func add(_ report: JournalHealth) { lock.withLock { reports.append(report) } }
    var all: [JournalHealth] { lock.withLock { reports } }
}
