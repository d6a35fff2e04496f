import Foundation
import NIOPosix
import NIOSSL
import SchedulerCore
import ScootAPI
import Testing
import Thrift
import ThriftCodegen
import ThriftTLS
import TestSupport
@testable import ScootServer

/// `serve` with its three Thrift listeners, on free loopback ports, simulated workers and a
/// temporary data directory; the log goes to a recorder.
private struct ListenersHarness {
    let runtime: ServeRuntime
    let log: LogRecorder
    let certificates: TestCertificates
    let dataDirectory: URL

    static func start(admins: Set<String> = []) async throws -> ListenersHarness {
        let certificates = try await TestCertificates.shared()
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-listeners-\(UUID().uuidString)")
        var scheduler = SchedulerConfiguration()
        scheduler.admins = admins
        var configuration = ServeRuntime.Configuration(
            thriftAddress: HostAndPort(host: "127.0.0.1", port: 0), httpAddress: HostAndPort(host: "127.0.0.1", port: 0), processWorkers: 0,
            simulatedWorkers: 2, dataDirectory: data, scheduler: scheduler)
        configuration.readOnlyThriftAddress = HostAndPort(host: "127.0.0.1", port: 0)
        configuration.tlsListener = .init(
            address: HostAndPort(host: "127.0.0.1", port: 0),
            files: ThriftTLSFiles(certificate: certificates.serverCertificate, privateKey: certificates.serverKey, certificateAuthority: certificates.authority))
        let log = LogRecorder()
        let runtime = try await ServeRuntime.start(configuration, logger: log.logger)
        return ListenersHarness(runtime: runtime, log: log, certificates: certificates, dataDirectory: data)
    }

    func stop() async {
        await runtime.shutdown()
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    func client(port: Int, layer: ThriftConnectionLayer? = nil) -> ScootConsoleClient {
        ScootConsoleClient(caller: ThriftClient(configuration: .init(
            // Long: the TLS handshake and the call may wait behind the full parallel run on two cores.
            host: "127.0.0.1", port: port, connectTimeout: .seconds(30), callTimeout: .seconds(30), connectionLayer: layer)))
    }

    var main: ScootConsoleClient { client(port: runtime.thriftServer.port) }
    var readOnly: ScootConsoleClient { client(port: runtime.readOnlyThriftServer!.port) }

    /// A client of the TLS listener presenting alice's certificate.
    func alice() async throws -> ScootConsoleClient {
        let files = ThriftTLSFiles(
            certificate: certificates.aliceCertificate, privateKey: certificates.aliceKey, certificateAuthority: certificates.authority)
        return client(port: runtime.tlsThriftServer!.port, layer: try await ThriftTLS.clientLayer(files, serverHost: "127.0.0.1"))
    }

    /// A client of the TLS listener that trusts the server but presents `certificate` (or none).
    func tlsClient(certificate: (chain: String, key: String)?) throws -> ScootConsoleClient {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(certificates.authority)
        configuration.certificateVerification = .noHostnameVerification
        if let certificate {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate.chain).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: certificate.key, format: .pem))
        }
        let context = try NIOSSLContext(configuration: configuration)
        let layer = ThriftConnectionLayer(addHandlers: { channel in
            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: nil))
        })
        return client(port: runtime.tlsThriftServer!.port, layer: layer)
    }

    /// Submits a one-task job of `sleep 600` and returns once its task runs (its status then
    /// stays the same until it is killed).
    func runLongJob() async throws -> String {
        let id = try await main.runJob(job: ScootAPI.JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["sleep", "600"]), taskId: "t0")], requestor: "r")).id
        for _ in 0..<1_000 where try await main.getStatus(jobId: id).taskData?["t0"]?.status != .running {
            try await Task.sleep(for: .milliseconds(10))
        }
        return id
    }
}

@Suite("serve: the read-only listener and the TLS listener with client certificates")
struct ServeListenersTests {
    @Test func everyCallInTheIDLIsEitherReadingOrStateChanging() throws {
        let idl = PythonInterop.repositoryRoot.appendingPathComponent("idl/scoot.thrift")
        let document = try Parser.parse(try String(contentsOf: idl, encoding: .utf8), fileName: "scoot.thrift")
        let methods = document.definitions.flatMap { definition -> [String] in
            guard case .service(let service) = definition else { return [] }
            return service.methods.map(\.name)
        }
        #expect(!methods.isEmpty)
        #expect(Set(methods) == CloudScootMethods.reading.union(CloudScootMethods.stateChanging))
        #expect(CloudScootMethods.reading.isDisjoint(with: CloudScootMethods.stateChanging))
    }

    /// Whether the caller runs on one of NIO's event loops: called isolated to the scheduler.
    private func onAnEventLoop(_ scheduler: isolated Scheduler) -> Bool {
        MultiThreadedEventLoopGroup.currentEventLoop != nil
    }

    @Test func theSchedulerRunsOnTheEventLoopOfTheThriftConnections() async throws {
        let harness = try await ListenersHarness.start()
        #expect(await onAnEventLoop(harness.runtime.scheduler))
        // Every listener answers on that loop, the TLS one too.
        let id = try await harness.main.runJob(job: JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["sleep", "0"]), taskId: "t")])).id
        #expect(try await harness.readOnly.getStatus(jobId: id).id == id)
        #expect(try await harness.alice().getStatus(jobId: id).id == id)
        await harness.stop()
    }

    @Test func theReadOnlyListenerAnswersReadsAndRefusesChangesWithoutChangingAnything() async throws {
        let harness = try await ListenersHarness.start()
        let jobID = try await harness.runLongJob()
        let before = try await harness.main.getStatus(jobId: jobID)

        #expect(try await harness.readOnly.getStatus(jobId: jobID) == before)
        let settings = try await harness.readOnly.getSchedulerStatus()
        #expect(settings == (try await harness.main.getSchedulerStatus()))
        #expect(try await harness.readOnly.listWorkers().count == 2)

        await #expect(throws: TApplicationException(.unknown, message: "read-only listener: KillJob changes the cluster; use the main address")) {
            try await harness.readOnly.killJob(jobId: jobID)
        }
        await #expect(throws: TApplicationException(.unknown, message: "read-only listener: SetSchedulerStatus changes the cluster; use the main address")) {
            try await harness.readOnly.setSchedulerStatus(maxTasks: 7)
        }
        await #expect(throws: TApplicationException(.unknown, message: "read-only listener: OfflineWorker changes the cluster; use the main address")) {
            try await harness.readOnly.offlineWorker(req: OfflineWorkerReq(id: "sim-worker-0", requestor: "r"))
        }
        #expect(try await harness.main.getStatus(jobId: jobID).status == before.status)
        #expect(try await harness.main.getSchedulerStatus().maxTasks == settings.maxTasks)
        #expect(try await harness.main.listWorkers().allSatisfy { $0.state != .offline })
        await harness.stop()
    }

    @Test func overTLSWithAClientCertificateKillJobWorksAndTheCommonNameIsLogged() async throws {
        let harness = try await ListenersHarness.start()
        let jobID = try await harness.runLongJob()
        let alice = try await harness.alice()
        #expect(try await alice.getSchedulerStatus() == (try await harness.main.getSchedulerStatus()))
        let killed = try await alice.killJob(jobId: jobID)
        #expect(killed.status == .completed)
        #expect(try await harness.main.getStatus(jobId: jobID).status == .completed)
        #expect(harness.log.lines.contains("info: KillJob by CN=alice"))
        #expect(!harness.log.lines.contains { $0.contains("GetSchedulerStatus by") })
        await harness.stop()
    }

    @Test func withAdminsOfflineWorkerOverTLSIsCheckedAgainstTheCertificateNotTheClaimedRequestor() async throws {
        let harness = try await ListenersHarness.start(admins: ["alice"])
        let alice = try await harness.alice()
        // The request claims mallory, the certificate says alice: alice is an admin.
        try await alice.offlineWorker(req: OfflineWorkerReq(id: "sim-worker-0", requestor: "mallory"))
        try await alice.reinstateWorker(req: ReinstateWorkerReq(id: "sim-worker-0", requestor: "mallory"))
        // On the plain listener the claimed requestor is all there is.
        await #expect(throws: TApplicationException(.internalError, message: "Internal error processing OfflineWorker: requestor mallory unauthorized to offline worker")) {
            try await harness.main.offlineWorker(req: OfflineWorkerReq(id: "sim-worker-0", requestor: "mallory"))
        }
        #expect(harness.log.lines.contains("info: OfflineWorker by CN=alice"))
        #expect(harness.log.lines.contains("info: ReinstateWorker by CN=alice"))
        await harness.stop()
    }

    @Test func aClientWithoutACertificateOrWithOneFromAnotherAuthorityIsRefusedAtTheHandshake() async throws {
        let harness = try await ListenersHarness.start()
        let maxTasks = try await harness.main.getSchedulerStatus().maxTasks
        let anonymous = try harness.tlsClient(certificate: nil)
        await #expect(throws: ThriftTransportError.self) { try await anonymous.setSchedulerStatus(maxTasks: 3) }
        let mallory = try harness.tlsClient(certificate: (harness.certificates.malloryCertificate, harness.certificates.malloryKey))
        await #expect(throws: ThriftTransportError.self) { try await mallory.setSchedulerStatus(maxTasks: 3) }
        // Plain Thrift on the TLS port is not a handshake at all.
        let plain = harness.client(port: harness.runtime.tlsThriftServer!.port)
        await #expect(throws: ThriftTransportError.self) { try await plain.setSchedulerStatus(maxTasks: 3) }
        #expect(try await harness.main.getSchedulerStatus().maxTasks == maxTasks)
        #expect(!harness.log.lines.contains { $0.contains("SetSchedulerStatus by") })
        await harness.stop()
    }

    @Test func incompleteTLSOptionsNameWhatIsMissing() throws {
        #expect(try ThriftTLSFiles.fromOptions(certificate: nil, privateKey: nil, certificateAuthority: nil) == nil)
        #expect(throws: ThriftTLSError(description: "--tls-cert, --tls-key and --tls-ca go together; missing --tls-key and --tls-ca")) {
            try ThriftTLSFiles.fromOptions(certificate: "c.pem", privateKey: nil, certificateAuthority: nil)
        }
    }

    @Test func anUnreadableCertificateFileStopsTheTLSListenerFromStarting() async throws {
        let files = ThriftTLSFiles(certificate: "/nonexistent/server.pem", privateKey: "/nonexistent/server.key", certificateAuthority: "/nonexistent/ca.pem")
        await #expect {
            _ = try await ThriftTLS.serverLayer(files)
        } throws: { error in
            (error as? ThriftTLSError)?.description.hasPrefix("cannot read the certificate file /nonexistent/server.pem (PEM): ") == true
        }
    }
}
