import ArgumentParser
import AuditLog
import ConsoleApp
import FlightRecorder
import Foundation
import NIOPosix
import ScootServer
import Synchronization
import Thrift

/// `serve --record DIR` and `gateway --record DIR`: the server keeps a flight recording of
/// itself — what a console connected to it sees, one poll a second through its own Thrift port,
/// and every change any client made (`ChangeObservingProcessor`), as audit entries whose operator
/// is the client's certificate name or address.
final class ServerRecording: Sendable {
    let recorder: FlightRecorder
    /// Which server records (`serve`, `gateway`): the audit entries' source.
    private let source: String
    private let polling = Mutex<Task<Void, Never>?>(nil)

    /// The seconds between two recorded polls.
    static let pollInterval: Duration = .seconds(1)

    /// Records into `directory`; fails at once, with why, when it cannot be written.
    init(directory: String, source: String) throws {
        if let problem = FlightRecorder.problem(writing: directory) { throw ValidationError("--record \(directory): \(problem)") }
        recorder = FlightRecorder(directory: directory)
        self.source = source
    }

    /// What the processor calls for each change: an audit entry in the recording.
    var observer: @Sendable (ObservedChange) -> Void {
        { [recorder, source] change in
            recorder.record(AuditEntry(
                operatorName: change.identity.map { "CN=\($0)" } ?? change.peer ?? "?", endpoint: source, source: source,
                action: Self.actionNames[change.method] ?? change.method, arguments: ["call": change.arguments],
                outcome: change.error == nil ? .ok : .error, error: change.error))
        }
    }

    /// Starts polling the server's own CloudScoot listener on `host` (a wildcard address is
    /// reached over loopback) and `port`.
    func startPolling(host: String, port: Int) {
        let reachable = host == "0.0.0.0" || host == "::" || host.isEmpty ? "127.0.0.1" : host
        let client = ThriftClient(configuration: .init(host: reachable, port: port, connectTimeout: .seconds(5), callTimeout: .seconds(10)))
        let dataSource = ThriftDataSource(caller: client)
        let recorder = self.recorder
        polling.withLock { task in
            task = Task.detached {
                while !Task.isCancelled {
                    if let snapshot = try? await dataSource.fetch(selectedJob: nil, workers: true) { recorder.record(snapshot) }
                    try? await Task.sleep(for: Self.pollInterval)
                }
            }
        }
    }

    /// Stops polling and closes the recording (on a thread of its own: closing writes and syncs).
    func stop() async {
        polling.withLock { $0?.cancel() }
        let recorder = self.recorder
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                recorder.close()
                continuation.resume()
            }
        }
    }

    /// The CLI's words for the calls (docs/cli.md, "Audit log").
    static let actionNames = [
        "KillJob": "kill-job", "OfflineWorker": "offline-worker", "ReinstateWorker": "reinstate-worker", "SetSchedulerStatus": "set-scheduler-status",
        "SetClassLoadPercents": "set-class-load-percents", "SetRequestorToClassMap": "set-requestor-map",
        "SetRebalanceThreshold": "set-rebalance-threshold", "SetRebalanceMinimumDuration": "set-rebalance-minimum-duration",
    ]
}
