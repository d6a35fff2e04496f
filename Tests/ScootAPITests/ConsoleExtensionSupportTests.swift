import TestSupport
import ScootAPI
import Testing
import Thrift

@Suite("Console extension against a plain CloudScoot server")
struct ConsoleExtensionSupportTests {
    @Test func unknownMethodBecomesNotSupportedAndCloudScootStillWorks() async throws {
        // The in-memory handler serves CloudScoot only, like a real Scoot scheduler.
        let server = try await CloudScootServer.start(handler: InMemoryCloudScoot(), configuration: .init(port: 0))
        let client = ScootConsoleClient(caller: ThriftClient(configuration: .init(port: server.port, connectTimeout: .seconds(5), callTimeout: .seconds(5))))
        await #expect(throws: NotSupportedByServer(method: "ListJobs")) { try await client.consoleJobs() }
        await #expect(throws: NotSupportedByServer(method: "ListWorkers")) { try await client.consoleWorkers() }
        await #expect(throws: NotSupportedByServer(method: "GetClusterLoad")) { try await client.consoleClusterLoad() }
        await #expect(throws: NotSupportedByServer(method: "ListTasks")) { try await client.consoleTasks(ofJob: "some-job") }
        // The same client keeps working for plain CloudScoot calls (it reconnects after the error).
        #expect(try await client.getRebalanceMinimumDuration() == 4)
        await server.shutdown()
    }
}
