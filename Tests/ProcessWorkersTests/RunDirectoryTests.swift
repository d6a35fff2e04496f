import Foundation
import SchedulerCore
import Testing

@testable import ProcessWorkers

/// Run directories are named by the hashes of the job and task ids, which they hold in `id` files.
@Suite struct RunDirectoryTests {
    @Test func idsOf300BytesRunAndComplete() async throws {
        let harness = try await RunHarness()
        let jobID = String(repeating: "j", count: 300)
        let taskID = String(repeating: "t", count: 300)
        harness.start(["pwd"], jobID: jobID, taskID: taskID)
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .complete && outcome.final.exitCode == 0)
        let directory = harness.runDirectory(jobID: jobID, taskID: taskID, attempt: "1")
        #expect(try contents(ofFileAt: outcome.final.outURI) == directory + "\n")
        let taskDirectory = URL(fileURLWithPath: directory).deletingLastPathComponent()
        #expect(try String(contentsOf: taskDirectory.appending(path: "id"), encoding: .utf8) == taskID)
        #expect(try String(contentsOf: taskDirectory.deletingLastPathComponent().appending(path: "id"), encoding: .utf8) == jobID)
    }

    @Test func idsCannotLeaveTheRunsDirectory() async throws {
        let harness = try await RunHarness()
        harness.start(["true"], jobID: "..", taskID: "../a/b\u{0}c")
        let outcome = try await harness.outcome()
        #expect(outcome.final.state == .complete)
        let directory = harness.runDirectory(jobID: "..", taskID: "../a/b\u{0}c", attempt: "1")
        #expect(directory.hasPrefix(harness.dataDirectory.path + "/runs/"))
        #expect(FileManager.default.fileExists(atPath: directory + "/stdout"))
    }

    @Test func namesAreTheFNV1aHashInSixteenHexDigits() {
        #expect(IDDirectory.name(for: "") == "cbf29ce484222325")
        #expect(IDDirectory.name(for: "a") == "af63dc4c8601ec8c")
        #expect(IDDirectory.name(for: "foobar") == "85944171f73967e8")
    }

    @Test func anIDWhoseHashIsTakenGetsTheNextSuffix() throws {
        let parent = FileManager.default.temporaryDirectory.appending(path: "id-directory-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let taken = parent + "/" + IDDirectory.name(for: "mine")
        try FileManager.default.createDirectory(atPath: taken, withIntermediateDirectories: true)
        try Data("another id with the same hash".utf8).write(to: URL(fileURLWithPath: taken + "/id"))
        let mine = try IDDirectory.open(for: "mine", in: parent)
        #expect(mine == taken + "-1")
        #expect(try IDDirectory.open(for: "mine", in: parent) == mine)
        #expect(try String(contentsOfFile: mine + "/id", encoding: .utf8) == "mine")
        #expect(try String(contentsOfFile: taken + "/id", encoding: .utf8) == "another id with the same hash")
    }

    @Test func concurrentRunsOfOneJobShareItsDirectory() async throws {
        let parent = FileManager.default.temporaryDirectory.appending(path: "id-directory-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let jobIDs = (0..<10).map { "job-\($0)" }
        // Eight runs of each job at once, each on a thread of its own, as runs create their directories.
        let opened = await withTaskGroup(of: (String, String?).self) { group in
            for jobID in jobIDs {
                for _ in 0..<8 {
                    group.addTask {
                        await withCheckedContinuation { continuation in
                            Thread.detachNewThread { continuation.resume(returning: (jobID, try? IDDirectory.open(for: jobID, in: parent))) }
                        }
                    }
                }
            }
            return await group.reduce(into: [String: Set<String?>]()) { $0[$1.0, default: []].insert($1.1) }
        }
        for jobID in jobIDs {
            #expect(opened[jobID] == [parent + "/" + IDDirectory.name(for: jobID)])
        }
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: parent)) == Set(jobIDs.map(IDDirectory.name(for:))))
    }
}
