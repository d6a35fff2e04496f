import NIOCore
import Testing
@testable import Thrift

@Suite("Thrift client and server over TCP")
struct TransportTests {
    private func withServer(
        framing: ThriftServerFraming = .automatic, idleTimeout: TimeAmount? = .minutes(5),
        limits: ThriftLimits = .default,
        _ body: (ThriftServer) async throws -> Void
    ) async throws {
        let server = try await ThriftServer.start(
            configuration: .init(port: 0, framing: framing, limits: limits, idleTimeout: idleTimeout), processor: EchoProcessor())
        do {
            try await body(server)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    private func client(_ server: ThriftServer, framing: ThriftFraming = .unframed, callTimeout: TimeAmount = .seconds(10)) -> ThriftClient {
        ThriftClient(configuration: .init(port: server.port, framing: framing, connectTimeout: .seconds(5), callTimeout: callTimeout))
    }

    @Test func serverBindsLoopbackByDefault() async throws {
        try await withServer { (server: ThriftServer) async throws in
            #expect(server.address.hasPrefix("127.0.0.1:"))
            #expect(ThriftServer.Configuration().host == "127.0.0.1")
            #expect(ThriftServer.Configuration().port == 9090)
        }
    }

    @Test(arguments: [ThriftServerFraming.automatic, .unframed])
    func unframedCallRoundTrips(framing: ThriftServerFraming) async throws {
        try await withServer(framing: framing) { (server: ThriftServer) async throws in
            let sample = Sample(id: 4, name: "über", values: [1, -2, 3])
            let reply = try await client(server).call(method: "Echo", arguments: sample, resultType: SampleResult.self)
            #expect(reply.success == sample)
        }
    }

    @Test(arguments: [ThriftServerFraming.automatic, .framed])
    func framedCallRoundTrips(framing: ThriftServerFraming) async throws {
        try await withServer(framing: framing) { (server: ThriftServer) async throws in
            let sample = Sample(id: 5, name: "framed")
            let reply = try await client(server, framing: .framed).call(method: "Echo", arguments: sample, resultType: SampleResult.self)
            #expect(reply.success == sample)
        }
    }

    @Test func manyTasksShareOneClient() async throws {
        try await withServer { (server: ThriftServer) async throws in
            let client = client(server)
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<200 {
                    group.addTask {
                        let sample = Sample(id: Int32(index), name: "task \(index)", values: [Int64(index)])
                        return try await client.call(method: "Echo", arguments: sample, resultType: SampleResult.self).success == sample
                    }
                }
                for try await matched in group { #expect(matched) }
            }
        }
    }

    @Test func unknownMethodIsAnApplicationExceptionAndTheClientReconnects() async throws {
        try await withServer { (server: ThriftServer) async throws in
            let client = client(server)
            await #expect(throws: TApplicationException(.unknownMethod, message: "Unknown function Nope")) {
                try await client.call(method: "Nope", arguments: Sample(name: ""), resultType: SampleResult.self)
            }
            #expect(await client.isConnected == false)
            let reply = try await client.call(method: "Echo", arguments: Sample(name: "again"), resultType: SampleResult.self)
            #expect(reply.success?.name == "again")
        }
    }

    @Test func handlerErrorIsInternalErrorWithScootsText() async throws {
        try await withServer { (server: ThriftServer) async throws in
            let client = client(server)
            await #expect(throws: TApplicationException(.internalError, message: "Internal error processing Fail: the handler failed on purpose")) {
                try await client.call(method: "Fail", arguments: Sample(name: ""), resultType: SampleResult.self)
            }
            #expect(try await client.call(method: "Echo", arguments: Sample(name: "ok"), resultType: SampleResult.self).success?.name == "ok")
        }
    }

    @Test func serverClosesTheConnectionAfterAnApplicationException() async throws {
        try await withServer { (server: ThriftServer) async throws in
            let socket = try RawSocket(port: server.port)
            socket.send(callMessage("Fail", sequenceID: 77, Sample(name: "")))
            let (reply, closed) = await socket.readUntilClosed()
            #expect(closed)
            let (header, exception) = try decodeReplyHeader(reply)
            #expect(header == ThriftMessageHeader(name: "Fail", type: .exception, sequenceID: 77))
            #expect(exception?.kind == .internalError)
        }
    }

    @Test func malformedArgumentsGetProtocolErrorThenClose() async throws {
        try await withServer { (server: ThriftServer) async throws in
            let socket = try RawSocket(port: server.port)
            // A well-formed message whose argument struct lacks the required field 2.
            var writer = ThriftBinaryWriter()
            writer.writeMessageHeader(ThriftMessageHeader(name: "Echo", type: .call, sequenceID: 3))
            writer.writeFieldHeader(.i32, id: 1)
            writer.writeI32(1)
            writer.writeFieldStop()
            socket.send(writer.bytes)
            let (reply, closed) = await socket.readUntilClosed()
            #expect(closed)
            let (header, exception) = try decodeReplyHeader(reply)
            #expect(header.sequenceID == 3)
            #expect(exception?.kind == .protocolError)
            #expect(exception?.message == "required field 'name' of Sample is missing")
        }
    }

    @Test func garbageInTheBodyGetsProtocolErrorThenClose() async throws {
        try await withServer { (server: ThriftServer) async throws in
            let socket = try RawSocket(port: server.port)
            socket.send(Array(callMessage("Echo", sequenceID: 8, Sample(name: "")).prefix(16)) + [0x42, 0, 1])
            let (reply, closed) = await socket.readUntilClosed()
            #expect(closed)
            let (header, exception) = try decodeReplyHeader(reply)
            #expect(header == ThriftMessageHeader(name: "Echo", type: .exception, sequenceID: 8))
            #expect(exception?.kind == .protocolError)
        }
    }

    @Test func hugeFrameLengthClosesWithoutAllocating() async throws {
        try await withServer(framing: .framed) { (server: ThriftServer) async throws in
            let socket = try RawSocket(port: server.port)
            socket.send(bytes(hex: "7fffffff 80010001"))
            let (reply, closed) = await socket.readUntilClosed()
            #expect(closed)
            #expect(reply.isEmpty)
            // The server keeps serving other clients.
            #expect(try await client(server, framing: .framed).call(method: "Echo", arguments: Sample(name: "still"), resultType: SampleResult.self).success?.name == "still")
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withServer { (server: ThriftServer) async throws in
            let socket = try RawSocket(port: server.port)
            // The first is slow; the second must still come back second.
            let slow = callMessage("Slow", sequenceID: 1, Sample(id: 200, name: "slow"))
            let fast = callMessage("Echo", sequenceID: 2, Sample(name: "fast"))
            socket.send(slow + fast)
            let expectedFirst = ThriftClientCall.encodeCall(method: "Slow", sequenceID: 1, arguments: SampleResult(success: Sample(id: 200, name: "slow")))
            let first = await socket.read(count: expectedFirst.count)
            let (header1, _) = try decodeReplyHeader(first)
            #expect(header1 == ThriftMessageHeader(name: "Slow", type: .reply, sequenceID: 1))
            let second = await socket.read(count: 4)
            #expect(second.count == 4)
        }
    }

    @Test func callTimeoutFiresAndTheClientRecovers() async throws {
        try await withServer { (server: ThriftServer) async throws in
            // A 1 s timeout against a 2.5 s call: long enough for the recovery call to answer in
            // time on a loaded machine (it failed once with 0.1 s in a full run).
            let client = client(server, callTimeout: .seconds(1))
            await #expect(throws: ThriftTransportError.callTimedOut(method: "Slow", seconds: 1)) {
                try await client.call(method: "Slow", arguments: Sample(id: 2500, name: ""), resultType: SampleResult.self)
            }
            #expect(try await client.call(method: "Echo", arguments: Sample(name: "after"), resultType: SampleResult.self).success?.name == "after")
        }
    }

    @Test func refusedConnectionIsAConnectError() async throws {
        // Bind and stop a server to get a port nobody listens on.
        let server = try await ThriftServer.start(configuration: .init(port: 0), processor: EchoProcessor())
        let port = server.port
        await server.shutdown()
        let client = ThriftClient(configuration: .init(port: port, connectTimeout: .seconds(2)))
        await #expect(throws: ThriftTransportError.self) {
            try await client.call(method: "Echo", arguments: Sample(name: ""), resultType: SampleResult.self)
        }
    }

    /// Past the cap a connection is accepted and closed at once (it never sits in the backlog,
    /// so accept cannot spin); once one closes, a new one is served.
    @Test func connectionsPastTheCapAreClosedAtOnce() async throws {
        let server = try await ThriftServer.start(configuration: .init(port: 0, maximumConnections: 2), processor: EchoProcessor())
        var held = [try RawSocket(port: server.port), try RawSocket(port: server.port)]
        #expect(await Self.eventually { server.connectionCount == 2 })
        let extra = try RawSocket(port: server.port)
        let refused = await extra.readUntilClosed()
        #expect(refused.closed && refused.bytes.isEmpty, "the third connection is closed without an answer")
        #expect(server.connectionCount == 2)
        held.removeFirst()
        #expect(await Self.eventually { server.connectionCount == 1 })
        let answered = try await client(server).call(method: "Echo", arguments: Sample(id: 1, name: "x"), resultType: SampleResult.self)
        #expect(answered.success == Sample(id: 1, name: "x"))
        withExtendedLifetime(held) {}
        await server.shutdown()
    }

    static func eventually(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<200 {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func idleConnectionsAreClosed() async throws {
        try await withServer(idleTimeout: .milliseconds(200)) { (server: ThriftServer) async throws in
            let socket = try RawSocket(port: server.port)
            socket.send([0x80, 0x01]) // a partial message that never completes
            let (_, closed) = await socket.readUntilClosed()
            #expect(closed)
        }
    }

    @Test func shutdownLetsTheRequestInProgressFinish() async throws {
        let processor = EchoProcessor()
        let server = try await ThriftServer.start(configuration: .init(port: 0), processor: processor)
        let client = client(server)
        let inFlight = Task { try await client.call(method: "Slow", arguments: Sample(id: 300, name: "late"), resultType: SampleResult.self) }
        while processor.probe.slowCallsStarted.load(ordering: .sequentiallyConsistent) == 0 {
            try await Task.sleep(for: .milliseconds(5))
        }
        await server.shutdown()
        #expect(try await inFlight.value.success?.name == "late")
        #expect(server.connectionCount == 0)
    }
}
