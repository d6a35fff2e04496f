import Foundation

extension ProcessWorkers {
    /// The settings of a set of local process workers.
    public struct Configuration: Sendable, Hashable {
        /// Workers to run, named `local-0` … `local-<workerCount - 1>`; each runs one command at a time.
        public var workerCount: Int
        /// The data directory; runs work in `<dataDirectory>/runs/<jobID>/<taskID>/<attemptID>/`.
        public var dataDirectory: URL
        /// How long a command stopped by a timeout or an abort has between SIGTERM and SIGKILL.
        public var killGracePeriod: Duration

        /// Creates a configuration.
        public init(workerCount: Int, dataDirectory: URL, killGracePeriod: Duration = .seconds(5)) {
            self.workerCount = workerCount
            self.dataDirectory = dataDirectory
            self.killGracePeriod = killGracePeriod
        }
    }
}
