import Foundation
import Testing
@testable import ScootCLI

@Suite("Files named by flags")
struct InputFileTests {
    /// `--job-def <(jq …)` passes a pipe: FileManager.contents(atPath:) returned nil for it and
    /// the CLI said the file could not be read.
    @Test func aPipeIsReadLikeAFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)").path
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        Thread.detachNewThread {
            guard let writer = FileHandle(forWritingAtPath: path) else { return }
            writer.write(Data("{\"Tasks\":[]}".utf8))
            try? writer.close()
        }
        #expect(try InputFile.read(path, flag: "--job-def") == "{\"Tasks\":[]}")
    }

    @Test func missingFilesAndDirectoriesAreUsageErrorsThatSaySo() {
        #expect(throws: CLIFailure.usage("--job-def /no/such/file: no such file; check the path")) {
            try InputFile.read("/no/such/file", flag: "--job-def")
        }
        #expect(throws: CLIFailure.usage("--job-def /tmp: is a directory; give the file inside it")) {
            try InputFile.read("/tmp", flag: "--job-def")
        }
    }
}
