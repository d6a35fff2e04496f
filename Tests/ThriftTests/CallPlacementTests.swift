import NIOCore
import NIOPosix
import Synchronization
import Testing
@testable import Thrift

/// Where a server runs its calls: on the connection's event loop, one task per connection, large
/// messages and replies on the global executor.
@Suite("Thrift server: calls on the connection's event loop")
struct CallPlacementTests {
    /// Answers `Echo` like `EchoProcessor`, noting for each call whether it ran on `loop` and who
    /// called (`ThriftCallContext`).
    struct PlacementProbe: ThriftProcessor {
        final class Seen: Sendable {
            let calls = Mutex<[(onLoop: Bool, peer: String?)]>([])
        }

        let loop: any EventLoop
        let seen = Seen()

        func process(_ message: [UInt8]) async -> ThriftProcessorResult {
            seen.calls.withLock { $0.append((loop.inEventLoop, ThriftCallContext.peerAddress)) }
            guard case .success(let incoming) = ThriftServerCall.parse(message, limits: .default) else {
                return ThriftProcessorResult(reply: nil, closeConnection: true)
            }
            return await ThriftServerCall.handle(incoming, arguments: Sample.self) { SampleResult(success: $0) }
        }
    }

    private func withServer(_ body: (ThriftServer, PlacementProbe) async throws -> Void) async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let probe = PlacementProbe(loop: loop)
        let server = try await ThriftServer.start(configuration: .init(port: 0), processor: probe, group: loop)
        do {
            try await body(server, probe)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    private func client(_ server: ThriftServer) -> ThriftClient {
        ThriftClient(configuration: .init(port: server.port, connectTimeout: .seconds(5), callTimeout: .seconds(10)))
    }

    @Test func smallCallsRunOnTheConnectionsLoopAndLargeOnesOffIt() async throws {
        try await withServer { (server: ThriftServer, probe: PlacementProbe) async throws in
            let client = client(server)
            let small = Sample(id: 1, name: "small")
            // Larger than a large message and than a large reply: decoded and encoded off the loop.
            let large = Sample(id: 2, name: "large", values: Array(0..<Int64(ThriftServerCall.largeReplySize / 8 + 1)))
            #expect(try await client.call(method: "Echo", arguments: small, resultType: SampleResult.self).success == small)
            #expect(try await client.call(method: "Echo", arguments: large, resultType: SampleResult.self).success == large)
            #expect(try await client.call(method: "Echo", arguments: small, resultType: SampleResult.self).success == small)
            let calls = probe.seen.calls.withLock { $0 }
            #expect(calls.map(\.onLoop) == [true, false, true])
            // The caller's address is set for every call of the connection, on the loop or off it.
            #expect(calls.allSatisfy { $0.peer?.hasPrefix("127.0.0.1:") == true })
            #expect(Set(calls.map(\.peer)).count == 1)
        }
    }

    @Test func manyCallsOnOneConnectionAreAnsweredInOrder() async throws {
        try await withServer { (server: ThriftServer, probe: PlacementProbe) async throws in
            let client = client(server)
            for id in 0..<200 {
                let sample = Sample(id: Int32(id), name: "call \(id)")
                #expect(try await client.call(method: "Echo", arguments: sample, resultType: SampleResult.self).success == sample)
            }
            #expect(probe.seen.calls.withLock { $0.count } == 200)
        }
    }
}
