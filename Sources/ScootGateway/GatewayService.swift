import ClusterObservation
import Foundation
import ScootAPI
import Thrift

/// CloudScoot as the gateway serves it: every call forwarded to the upstream scheduler and its
/// answer (or error) passed back unchanged, with jobs, kills and settings changes recorded; and
/// scoot-console's extension calls answered from the gateway's own state.
public struct GatewayService: ScootConsoleHandler {
    /// The scheduler behind the gateway.
    public let upstream: UpstreamScheduler
    /// What the gateway knows.
    public let state: GatewayState

    /// Serves `state`, forwarding to `upstream`.
    public init(upstream: UpstreamScheduler, state: GatewayState) {
        self.upstream = upstream
        self.state = state
    }

    private var caller: String { ThriftCallContext.peerAddress ?? "local" }

    // MARK: Forwarded

    public func runJob(job: JobDefinition) async throws -> JobId {
        let id = try await upstream.call { try await $0.runJob(job: job) }
        await state.forwarded(job, id: id.id, caller: caller, atMs: Self.nowMs())
        return id
    }

    public func getStatus(jobId: String) async throws -> JobStatus {
        let status = try await upstream.call { try await $0.getStatus(jobId: jobId) }
        await state.observed(status, atMs: Self.nowMs())
        return status
    }

    public func killJob(jobId: String) async throws -> JobStatus {
        try await recordingAction("KillJob", target: jobId, arguments: "") {
            do {
                let status = try await upstream.call { try await $0.killJob(jobId: jobId) }
                await state.killForwarded(jobID: jobId, status: status, atMs: Self.nowMs())
                return status
            } catch {
                await state.killForwarded(jobID: jobId, status: nil, atMs: Self.nowMs())
                throw error
            }
        }
    }

    public func offlineWorker(req: OfflineWorkerReq) async throws {
        try await recordingAction("OfflineWorker", target: req.id, arguments: "requestor=\(req.requestor)") {
            try await upstream.call { try await $0.offlineWorker(req: req) }
        }
    }

    public func reinstateWorker(req: ReinstateWorkerReq) async throws {
        try await recordingAction("ReinstateWorker", target: req.id, arguments: "requestor=\(req.requestor)") {
            try await upstream.call { try await $0.reinstateWorker(req: req) }
        }
    }

    public func getSchedulerStatus() async throws -> SchedulerStatus {
        try await upstream.call { try await $0.getSchedulerStatus() }
    }

    public func setSchedulerStatus(maxTasks: Int32) async throws {
        try await recordingAction("SetSchedulerStatus", target: "", arguments: "maxTasks=\(maxTasks)") {
            try await upstream.call { try await $0.setSchedulerStatus(maxTasks: maxTasks) }
        }
    }

    public func getClassLoadPercents() async throws -> ThriftMap<String, Int32> {
        try await upstream.call { try await $0.getClassLoadPercents() }
    }

    public func setClassLoadPercents(loadPercents: ThriftMap<String, Int32>) async throws {
        let text = loadPercents.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        try await recordingSettingsChange("SetClassLoadPercents", arguments: text) {
            try await upstream.call { try await $0.setClassLoadPercents(loadPercents: loadPercents) }
        }
    }

    public func getRequestorToClassMap() async throws -> ThriftMap<String, String> {
        try await upstream.call { try await $0.getRequestorToClassMap() }
    }

    public func setRequestorToClassMap(requestorToClassMap: ThriftMap<String, String>) async throws {
        let text = requestorToClassMap.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        try await recordingSettingsChange("SetRequestorToClassMap", arguments: text) {
            try await upstream.call { try await $0.setRequestorToClassMap(requestorToClassMap: requestorToClassMap) }
        }
    }

    public func getRebalanceMinimumDuration() async throws -> Int32 {
        try await upstream.call { try await $0.getRebalanceMinimumDuration() }
    }

    public func setRebalanceMinimumDuration(durationMin: Int32) async throws {
        try await recordingSettingsChange("SetRebalanceMinimumDuration", arguments: "durationMin=\(durationMin)") {
            try await upstream.call { try await $0.setRebalanceMinimumDuration(durationMin: durationMin) }
        }
    }

    public func getRebalanceThreshold() async throws -> Int32 {
        try await upstream.call { try await $0.getRebalanceThreshold() }
    }

    public func setRebalanceThreshold(threshold: Int32) async throws {
        try await recordingSettingsChange("SetRebalanceThreshold", arguments: "threshold=\(threshold)") {
            try await upstream.call { try await $0.setRebalanceThreshold(threshold: threshold) }
        }
    }

    // MARK: Extension, from the gateway's state

    public func listJobs(filter: JobFilter) async throws -> [JobSummary] {
        try await state.listJobs(filter)
    }

    public func listWorkers() async throws -> [WorkerInfo] {
        await state.listWorkers()
    }

    public func getClusterLoad() async throws -> ClusterLoad {
        // The scheduler status comes live from upstream: when the scheduler is down, the
        // console's poll fails with the gateway's "cannot reach" text and shows its banner.
        let status = try await getSchedulerStatus()
        return await state.clusterLoad(schedulerStatus: status, nowMs: Self.nowMs())
    }

    public func listTasks(jobId: String) async throws -> [TaskSummary] {
        try await state.listTasks(jobID: jobId)
    }

    // MARK: Recording

    private func recordingAction<T: Sendable>(_ method: String, target: String, arguments: String, _ body: () async throws -> T) async throws -> T {
        do {
            let result = try await body()
            await state.recorded(.init(atMs: Self.nowMs(), caller: caller, method: method, target: target, arguments: arguments, outcome: "ok", error: nil))
            return result
        } catch {
            let text = (error as? TApplicationException)?.message ?? String(describing: error)
            await state.recorded(.init(atMs: Self.nowMs(), caller: caller, method: method, target: target, arguments: arguments, outcome: "error", error: text))
            throw error
        }
    }

    /// A settings change: recorded, then the settings are read again so classes follow at once.
    private func recordingSettingsChange(_ method: String, arguments: String, _ body: () async throws -> Void) async throws {
        try await recordingAction(method, target: "", arguments: arguments, body)
        if let settings = try? await Self.readSettings(upstream) { await state.settingsRead(settings) }
    }

    /// The four load-based settings, read upstream.
    static func readSettings(_ upstream: UpstreamScheduler) async throws -> GatewayState.Settings {
        try await upstream.call { client in
            GatewayState.Settings(
                classLoadPercents: Dictionary(try await client.getClassLoadPercents().mapValues(Int.init)),
                requestorToClassMap: Dictionary(try await client.getRequestorToClassMap()),
                rebalanceThreshold: Int(try await client.getRebalanceThreshold()),
                rebalanceMinimumDuration: Int(try await client.getRebalanceMinimumDuration()))
        }
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
