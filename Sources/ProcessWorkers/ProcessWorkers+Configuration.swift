import Foundation

extension ProcessWorkers {
    /// The settings of a set of local process workers.
    public struct Configuration: Sendable, Hashable {
        /// What each of a run's output streams keeps unless told otherwise: 64 MiB.
        public static let defaultMaxOutputBytes: Int64 = 64 << 20

        /// Workers to run, named `local-0` … `local-<workerCount - 1>`; each runs one command at a time.
        public var workerCount: Int
        /// The data directory; runs work in `<dataDirectory>/runs/<job>/<task>/<attemptID>/`.
        public var dataDirectory: URL
        /// How long a command stopped by a timeout or an abort has between SIGTERM and SIGKILL.
        public var killGracePeriod: Duration
        /// The most bytes each of a run's streams (stdout, stderr) writes to its file; past it the
        /// file ends with a marker line and the rest of the stream is discarded.
        public var maxOutputBytes: Int64

        /// Creates a configuration.
        public init(
            workerCount: Int, dataDirectory: URL, killGracePeriod: Duration = .seconds(5), maxOutputBytes: Int64 = defaultMaxOutputBytes
        ) {
            self.workerCount = workerCount
            self.dataDirectory = dataDirectory
            self.killGracePeriod = killGracePeriod
            self.maxOutputBytes = maxOutputBytes
        }
    }
}
