import Foundation
import Glibc
import SchedulerCore
import Testing

@testable import ProcessWorkers

/// Commands that run to their end: exit codes, output files, environment, reaping.
@Suite struct CommandOutcomeTests {
    @Test func workersJoinOnFirstCollection() async throws {
        let harness = try await RunHarness(workerCount: 2)
        #expect(harness.workers.collectEvents() == [.joined(workerID: "local-0"), .joined(workerID: "local-1")])
        #expect(harness.workers.collectEvents().isEmpty)
    }

    @Test func trueCompletesWithExitCodeZero() async throws {
        let harness = try await RunHarness()
        harness.start(["true"])
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .complete)
        #expect(outcome.final.exitCode == 0)
        #expect(outcome.final.error.isEmpty)
        #expect(outcome.final.snapshotID == "snap-1")
    }

    @Test func nonZeroExitIsStillComplete() async throws {
        let harness = try await RunHarness()
        harness.start(["sh", "-c", "exit 3"])
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .complete)
        #expect(outcome.final.exitCode == 3)
    }

    @Test func runningIsReportedWithTheURIsBeforeTheEnd() async throws {
        let harness = try await RunHarness()
        harness.start(["true"])
        let outcome = try await harness.outcome()
        let running = try #require(outcome.progress.first)
        #expect(outcome.progress.count == 1)
        #expect(running.state == .running)
        let directory = harness.runDirectory(attempt: "1")
        #expect(running.outURI == URL(fileURLWithPath: directory + "/stdout").absoluteString)
        #expect(running.errURI == URL(fileURLWithPath: directory + "/stderr").absoluteString)
        #expect(running.runID == outcome.final.runID && outcome.pid != nil)
        #expect(outcome.final.outURI == running.outURI && outcome.final.errURI == running.errURI)
    }

    @Test func standardOutputAndErrorLandInTheirFiles() async throws {
        let harness = try await RunHarness()
        harness.start(["sh", "-c", "echo out; echo err >&2"])
        let outcome = try await harness.outcome()
        #expect(try contents(ofFileAt: outcome.final.outURI) == "out\n")
        #expect(try contents(ofFileAt: outcome.final.errURI) == "err\n")
    }

    @Test func theCommandRunsInItsOwnDirectory() async throws {
        let harness = try await RunHarness()
        harness.start(["pwd"])
        let outcome = try await harness.outcome()
        #expect(try contents(ofFileAt: outcome.final.outURI) == harness.runDirectory(attempt: "1") + "\n")
    }

    @Test func argvIsNotInterpretedByAShell() async throws {
        let harness = try await RunHarness()
        harness.start(["echo", "$HOME", "*", "a;b"])
        let outcome = try await harness.outcome()
        #expect(try contents(ofFileAt: outcome.final.outURI) == "$HOME * a;b\n")
    }

    @Test func theEnvironmentIsTheTasksVariablesPlusTheServersPath() async throws {
        let harness = try await RunHarness()
        harness.start(["env"], environment: ["GREETING": "hello world"])
        let outcome = try await harness.outcome()
        let lines = Set(try contents(ofFileAt: outcome.final.outURI).split(separator: "\n").map(String.init))
        #expect(lines == ["GREETING=hello world", "PATH=\(ProcessInfo.processInfo.environment["PATH"] ?? "")"])
    }

    @Test func aTaskThatSetsPathKeepsIt() async throws {
        let harness = try await RunHarness()
        harness.start(["/usr/bin/env"], environment: ["PATH": "/nowhere"])
        let outcome = try await harness.outcome()
        #expect(try contents(ofFileAt: outcome.final.outURI) == "PATH=/nowhere\n")
    }

    @Test func noZombieIsLeftBehind() async throws {
        let harness = try await RunHarness()
        harness.start(["sh", "-c", "exit 0"])
        let pid = try #require(try await harness.outcome().pid)
        #expect(waitpid(pid, nil, WNOHANG) == -1 && errno == ECHILD)
        #expect(kill(pid, 0) == -1 && errno == ESRCH)
    }

    @Test func backgroundProcessesLeftByAFinishedCommandAreKilled() async throws {
        let harness = try await RunHarness()
        harness.start(["sh", "-c", "sleep 30 & exit 0"])
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .complete)
        #expect(try await waitForProcessGroupToDisappear(try #require(outcome.pid)))
    }

    @Test func aSignalWeDidNotSendCompletesWith128PlusTheSignal() async throws {
        let harness = try await RunHarness()
        harness.start(["sh", "-c", "kill -KILL $$"])
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .complete)
        #expect(outcome.final.exitCode == 128 + SIGKILL)
        #expect(outcome.final.error.contains("signal 9"))
    }
}
