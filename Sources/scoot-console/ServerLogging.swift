import ArgumentParser
import Logging

/// The `--log-level` option of the server commands (serve, gateway, demo-server): checked once,
/// then installed as the process's stderr logging.
enum ServerLogging {
    /// Refuses a level swift-log does not know.
    static func validate(_ level: String) throws {
        guard Logger.Level(rawValue: level) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; got '\(level)'")
        }
    }

    /// Logs to standard error at `level` (info when it is not a level).
    static func bootstrap(_ level: String) {
        let threshold = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = threshold
            return handler
        }
    }
}
