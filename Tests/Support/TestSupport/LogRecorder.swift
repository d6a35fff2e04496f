import Logging
import Synchronization

/// A logger whose messages are kept, for tests that check what was logged. Keeps every message:
/// meant for a test's few lines, not for long runs.
public final class LogRecorder: Sendable {
    private let messages = Mutex<[String]>([])

    /// Creates an empty recorder.
    public init() {}

    /// A logger, at level trace, that records into this recorder.
    public var logger: Logger {
        Logger(label: "test-log-recorder") { _ in Handler(recorder: self) }
    }

    /// Everything logged so far, as `level: message`.
    public var lines: [String] { messages.withLock { $0 } }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            recorder.messages.withLock { $0.append("\(event.level): \(event.message)") }
        }
    }
}
