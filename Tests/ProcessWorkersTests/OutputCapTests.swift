import Foundation
import Glibc
import SchedulerCore
import Testing

@testable import ProcessWorkers

/// Each output stream keeps at most the cap, then a marker line; the command runs on.
@Suite struct OutputCapTests {
    @Test func aGigabyteOfStdoutIsCutAtTheCapAndTheCommandCompletes() async throws {
        let harness = try await RunHarness(maxOutputBytes: 1 << 20)
        harness.start(["head", "-c", "1000000000", "/dev/zero"])
        let outcome = try await harness.outcome()
        // head wrote all of it (a closed pipe would have killed it with SIGPIPE).
        #expect(outcome.final.state == .complete && outcome.final.exitCode == 0)
        let output = try Data(contentsOf: URL(string: outcome.final.outURI)!)
        let marker = "\n--- output truncated at 1 MiB by scoot-console serve ---\n"
        #expect(output.count == (1 << 20) + marker.utf8.count)
        #expect(output.prefix(1 << 20).allSatisfy { $0 == 0 })
        #expect(String(decoding: output.suffix(marker.utf8.count), as: UTF8.self) == marker)
        #expect(harness.log.lines.contains { $0.hasPrefix("notice: run 1 (job \"job\", task \"task\"): stdout kept 1048576 of 1000000000 bytes") })
    }

    @Test func outputOfExactlyTheCapIsKeptWhole() async throws {
        let harness = try await RunHarness(maxOutputBytes: 1024)
        harness.start(["head", "-c", "1024", "/dev/zero"])
        let outcome = try await harness.outcome()
        #expect(try Data(contentsOf: URL(string: outcome.final.outURI)!) == Data(count: 1024))
        #expect(harness.log.lines.count == 1)
    }

    @Test func stderrHasItsOwnCapAndTheCommandRunsOnAfterTheCut() async throws {
        let harness = try await RunHarness(maxOutputBytes: 1024)
        harness.start(["sh", "-c", "yes line | head -c 5000 >&2; echo done; echo after > after.txt"])
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .complete && outcome.final.exitCode == 0)
        #expect(try contents(ofFileAt: outcome.final.outURI) == "done\n")
        let errors = try contents(ofFileAt: outcome.final.errURI)
        // 1024 bytes of "line\n" end inside a line, so the marker starts a line of its own.
        #expect(errors == String(repeating: "line\n", count: 205).prefix(1024) + "\n--- output truncated at 1 KiB by scoot-console serve ---\n")
        #expect(try String(contentsOfFile: harness.runDirectory(attempt: "1") + "/after.txt", encoding: .utf8) == "after\n")
    }

    @Test func theMarkerNamesTheCapInTheLargestWholeUnit() {
        #expect(OutputCopy.marker(for: .capReached, cap: 64 << 20) == "--- output truncated at 64 MiB by scoot-console serve ---\n")
        #expect(OutputCopy.byteCountText(3 << 30) == "3 GiB")
        #expect(OutputCopy.byteCountText(1536) == "1536 bytes")
        #expect(OutputCopy.marker(for: .writeFailed(ENOSPC), cap: 1) == "--- output truncated: No space left on device (scoot-console serve) ---\n")
    }
}
