import Foundation
import SchedulerCore
import Testing

@testable import ProcessWorkers

/// Commands that cannot start, and the run directory's naming.
@Suite struct LaunchFailureTests {
    @Test func aMissingCommandFailsWithTheSystemsText() async throws {
        let harness = try await RunHarness()
        harness.start(["nosuch-command-for-tests"])
        let outcome = try await harness.outcome()
        #expect(outcome.progress.isEmpty)
        #expect(outcome.final.state == .failed)
        #expect(outcome.final.error == "cannot run 'nosuch-command-for-tests': No such file or directory")
    }

    @Test func aFileThatIsNotExecutableFailsWithPermissionDenied() async throws {
        let harness = try await RunHarness()
        let script = harness.dataDirectory.appending(path: "not-executable.sh").path
        #expect(FileManager.default.createFile(atPath: script, contents: Data("exit 0\n".utf8), attributes: [.posixPermissions: 0o644]))
        harness.start([script])
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .failed)
        #expect(outcome.final.error == "cannot run '\(script)': Permission denied")
    }

    @Test func idsCannotLeaveTheRunsDirectory() async throws {
        let harness = try await RunHarness()
        harness.start(["true"], jobID: "..", taskID: "../a/b%c")
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .complete)
        let directory = harness.dataDirectory.appending(path: "runs/%2E%2E/..%2Fa%2Fb%25c/1").path
        #expect(FileManager.default.fileExists(atPath: directory + "/stdout"))
    }

    @Test func fileNamesEncodeOnlyWhatIsDangerous() {
        #expect(RunDirectory.fileName(for: "build-42_x.y") == "build-42_x.y")
        #expect(RunDirectory.fileName(for: ".") == "%2E")
        #expect(RunDirectory.fileName(for: "") == "%")
        #expect(RunDirectory.fileName(for: "a\u{0}b\nc") == "a%00b%0Ac")
    }

    @Test func aRepeatedAttemptNumberGetsAFreshDirectory() async throws {
        let harness = try await RunHarness()
        harness.start(["sh", "-c", "echo first"])
        let first = try await harness.outcome()
        harness.start(["sh", "-c", "echo second"])
        let second = try await harness.outcome()
        #expect(second.final.outURI.hasSuffix("/runs/job/task/1.1/stdout"))
        #expect(try contents(ofFileAt: first.final.outURI) == "first\n")
        #expect(try contents(ofFileAt: second.final.outURI) == "second\n")
    }
}
