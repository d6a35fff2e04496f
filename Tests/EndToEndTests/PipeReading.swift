import Dispatch
import Foundation

extension Pipe {
    /// Reads from the pipe, off the cooperative pool, until the text read contains `marker` or
    /// the writer closes; returns everything read.
    func read(until marker: String) async -> String {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var collected = Data()
                while !String(decoding: collected, as: UTF8.self).contains(marker) {
                    let chunk = self.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    collected.append(chunk)
                }
                continuation.resume(returning: String(decoding: collected, as: UTF8.self))
            }
        }
    }
}

/// Runs `binary` with `arguments` to its end, off the cooperative pool; its exit status and
/// everything it printed (standard output and error together).
func runToEnd(_ binary: URL, _ arguments: [String]) async -> (status: Int32, output: String) {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            do { try process.run() } catch {
                continuation.resume(returning: (-1, "cannot start \(binary.path): \(error)"))
                return
            }
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
        }
    }
}
