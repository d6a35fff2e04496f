import Foundation
import Glibc
import SchedulerCore
import Testing

@testable import ProcessWorkers

/// Timeouts and aborts: the whole process group goes, SIGTERM first, SIGKILL after the grace.
@Suite struct StoppingTests {
    @Test func aTimeoutKillsTheCommandAndReportsTimedOut() async throws {
        let harness = try await RunHarness()
        let started = ContinuousClock.now
        harness.start(["sleep", "30"], timeout: .milliseconds(300))
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .timedOut)
        // Well before the 30 s the command would sleep; no tighter bound (timings belong in benchmarks).
        #expect(ContinuousClock.now - started < .seconds(25))
        #expect(kill(try #require(outcome.pid), 0) == -1 && errno == ESRCH)
    }

    @Test func aTimeoutKillsTheWholeProcessGroup() async throws {
        let harness = try await RunHarness()
        harness.start(["sh", "-c", "sleep 30 & sleep 30"], timeout: .milliseconds(300))
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .timedOut)
        #expect(try await waitForProcessGroupToDisappear(try #require(outcome.pid)))
    }

    @Test func abortKillsTheWholeProcessGroupAndReportsAborted() async throws {
        let harness = try await RunHarness()
        harness.start(["sh", "-c", "sleep 30 & sleep 30"])
        _ = try await harness.running()
        harness.workers.abortRun(attemptID: 1)
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .aborted)
        #expect(try await waitForProcessGroupToDisappear(try #require(outcome.pid)))
        #expect(waitpid(try #require(outcome.pid), nil, WNOHANG) == -1 && errno == ECHILD)
    }

    @Test func aCommandIgnoringSigtermIsKilledAfterTheGrace() async throws {
        let harness = try await RunHarness(killGracePeriod: .milliseconds(400))
        let started = ContinuousClock.now
        harness.start(["sh", "-c", "trap '' TERM; sleep 30"], timeout: .milliseconds(200))
        let outcome = try await harness.outcome()
        let elapsed = ContinuousClock.now - started
        #expect(outcome.final.state == .timedOut)
        // Not before timeout + grace (SIGTERM is ignored), and well before the 30 s sleep ends.
        #expect(elapsed >= .milliseconds(600) && elapsed < .seconds(25))
        #expect(try await waitForProcessGroupToDisappear(try #require(outcome.pid)))
    }

    @Test func abortingAFinishedOrUnknownRunDoesNothing() async throws {
        let harness = try await RunHarness()
        harness.start(["true"])
        let outcome = try await harness.outcome()
        harness.workers.abortRun(attemptID: 1)
        harness.workers.abortRun(attemptID: 99)
        #expect(outcome.final.state == .complete)
        #expect(harness.workers.collectEvents().isEmpty)
    }
}
