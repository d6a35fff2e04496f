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
