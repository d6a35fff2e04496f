import Foundation
import SchedulerCore
import Testing

@testable import ProcessWorkers

/// Commands that cannot start, and repeated attempt numbers.
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

    @Test func aRepeatedAttemptNumberGetsAFreshDirectory() async throws {
        let harness = try await RunHarness()
        harness.start(["sh", "-c", "echo first"])
        let first = try await harness.outcome()
        harness.start(["sh", "-c", "echo second"])
        let second = try await harness.outcome()
        #expect(second.final.outURI == URL(fileURLWithPath: harness.runDirectory(attempt: "1.1") + "/stdout").absoluteString)
        #expect(try contents(ofFileAt: first.final.outURI) == "first\n")
        #expect(try contents(ofFileAt: second.final.outURI) == "second\n")
    }
}
