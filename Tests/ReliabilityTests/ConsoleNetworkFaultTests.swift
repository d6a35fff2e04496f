import TestSupport
import ConsoleApp
import NIOCore
import ScootAPI
import Testing
import Thrift

/// The console's data path (ThriftDataSource through ThriftClient, driven by the real runtime)
/// against a plain CloudScoot server that stops, restarts, black-holes, slows down and is cut.
@Suite("Console data path under network faults", .serialized)
struct ConsoleNetworkFaultTests {
    private static func trackedServer() async throws -> (InMemoryCloudScoot, [String]) {
        let handler = InMemoryCloudScoot()
        var ids: [String] = []
        for index in 0..<3 {
            let job = JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["true"]), taskId: "t\(index)")], requestor: "land-\(index)")
            ids.append(try await handler.runJob(job: job).id)
        }
        return (handler, ids)
    }

    private static func console(port: Int, callTimeout: TimeAmount, track ids: [String]) async -> (ConsoleHarness, ThriftDataSource, ConcurrencyProbe) {
        let probe = ConcurrencyProbe(ThriftClient(configuration: .init(port: port, connectTimeout: .seconds(2), callTimeout: callTimeout)))
        let source = ThriftDataSource(caller: probe)
        await source.track(jobs: ids)
        var state = ConsoleState(endpoint: "127.0.0.1:\(port)")
        state.refreshInterval = .milliseconds(250)
        return (ConsoleHarness(source: source, state: state), source, probe)
    }

    private static func showsJobs(_ ids: [String]) -> (ConsoleState) -> Bool {
        { state in state.connection == .connected && Set(state.snapshot?.jobs.map(\.id) ?? []) == Set(ids) }
    }

    private static func isDisconnected(_ state: ConsoleState) -> Bool {
        if case .disconnected = state.connection { return true }
        return false
    }

    @Test func theConsoleReconnectsWhenTheServerRestartsOnTheSamePort() async throws {
        let (handler, ids) = try await Self.trackedServer()
        let first = try await ThriftServer.start(configuration: .init(port: 0), processor: CloudScootProcessor(handler: handler))
        let port = first.port
        let (console, source, _) = await Self.console(port: port, callTimeout: .seconds(2), track: ids)
        #expect(await console.waitFor(20, Self.showsJobs(ids)), "connected, with the tracked jobs")

        await first.shutdown()
        #expect(await console.waitFor(20, Self.isDisconnected), "the console notices the server is gone")
        #expect(await Reliability.eventually(within: 5) { console.showsDisconnectedBanner }, "banner: \(console.screen.first ?? "")")
        #expect(Set(console.state.snapshot?.jobs.map(\.id) ?? []) == Set(ids), "stale data stays on screen")

        let second = try await ThriftServer.start(configuration: .init(port: port), processor: CloudScootProcessor(handler: handler))
        #expect(await console.waitFor(40, Self.showsJobs(ids)), "reconnected by itself, every tracked job back")
        #expect(await source.trackedJobs == ids, "no tracked job lost")
        #expect(await Reliability.eventually(within: 5) { !console.showsDisconnectedBanner }, "the banner goes once connected")
        Reliability.figure("console: server stopped and restarted on the same port, \(ids.count) tracked jobs")
        await console.stop()
        await second.shutdown()
    }

    @Test func blackHoleSlowAnswersAndCutConnectionsAreSurvived() async throws {
        let (handler, ids) = try await Self.trackedServer()
        let server = try await ThriftServer.start(configuration: .init(port: 0), processor: CloudScootProcessor(handler: handler))
        let proxy = try FaultProxy(targetPort: server.port)
        let (console, source, probe) = await Self.console(port: proxy.port, callTimeout: .milliseconds(1500), track: ids)
        var faultsInjected = 0
        #expect(await console.waitFor(20, Self.showsJobs(ids)))

        // Accepts, never answers: the call timeout fires and the banner shows.
        proxy.set(.blackHole)
        #expect(await console.waitFor(20, Self.isDisconnected), "the call timeout must fire")
        if case .disconnected(let error, _) = console.state.connection {
            #expect(error.contains("no answer to") && error.contains(" within "), "the call timeout, not another error: \(error)")
        }
        #expect(await Reliability.eventually(within: 5) { console.showsDisconnectedBanner })
        #expect(Set(console.state.snapshot?.jobs.map(\.id) ?? []) == Set(ids), "stale data stays on screen")
        proxy.set(.passThrough)
        #expect(await console.waitFor(40, Self.showsJobs(ids)), "recovers once the server answers again")
        faultsInjected += 1

        // Slow answers, well within the timeout: data keeps arriving, polls never overlap.
        proxy.set(.delay(milliseconds: 150))
        let pollsBefore = console.state.pollRequestID
        #expect(await console.waitFor(40) { $0.pollRequestID >= pollsBefore + 3 && $0.connection == .connected })
        #expect(console.state.connection == .connected, "slow answers within the timeout are not failures")
        proxy.set(.passThrough)
        faultsInjected += 1

        // Every connection cut at once: the next poll reconnects.
        let failuresBefore = console.state.pollRequestID
        proxy.cutAll()
        #expect(await console.waitFor(40) { $0.pollRequestID > failuresBefore + 1 && Self.showsJobs(ids)($0) })
        faultsInjected += 1

        #expect(probe.maximumInFlight == 1, "polls overlapped: \(probe.maximumInFlight) calls in flight at once")
        #expect(await source.trackedJobs == ids, "no tracked job lost")
        Reliability.figure("console: \(faultsInjected) proxy faults injected (black hole, slow answers, cut), \(probe.calls) calls, at most \(probe.maximumInFlight) in flight")
        await console.stop()
        proxy.stop()
        await server.shutdown()
    }
}
