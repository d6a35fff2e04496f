import ScootAPI
import Thrift

/// The load-based scheduling settings as `get-scheduling-alg-params` shows them: scootcl's
/// `lbsSchedAlgParams`.
public struct SchedulingAlgorithmParameters: Sendable, Hashable {
    /// Class name → share of workers, in percent.
    public var classLoadPercents: [String: Int32]
    /// Requestor regular expression → class name.
    public var requestorMap: [String: String]
    /// Minutes over the threshold before rebalancing.
    public var rebalanceMinimumDuration: Int32
    /// Spread, in percentage points, above which the scheduler rebalances; 0 is off.
    public var rebalanceThreshold: Int32

    /// Parameters from their four values.
    public init(classLoadPercents: [String: Int32], requestorMap: [String: String], rebalanceMinimumDuration: Int32, rebalanceThreshold: Int32) {
        self.classLoadPercents = classLoadPercents
        self.requestorMap = requestorMap
        self.rebalanceMinimumDuration = rebalanceMinimumDuration
        self.rebalanceThreshold = rebalanceThreshold
    }

    /// Reads all four, in scootcl's order.
    public static func read(from client: ScootConsoleClient) async throws -> SchedulingAlgorithmParameters {
        SchedulingAlgorithmParameters(
            classLoadPercents: Dictionary(try await client.getClassLoadPercents()),
            requestorMap: Dictionary(try await client.getRequestorToClassMap()),
            rebalanceMinimumDuration: try await client.getRebalanceMinimumDuration(),
            rebalanceThreshold: try await client.getRebalanceThreshold())
    }
}
