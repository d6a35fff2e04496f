import ScootAPI
import TUIKit
import Testing
import Thrift
@testable import ConsoleApp

@Suite("Console runtime")
struct ConsoleRuntimeTests {
    @Test func aTerminalThatHasGoneAwayStopsTheLoopInsteadOfSpinning() {
        // TestBackend answers every wait at once with no event, as a hung-up terminal does.
        let backend = TestBackend(width: 120, height: 40)
        let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: InMemoryCloudScoot())))
        let runtime = ConsoleRuntime(backend: backend, dataSource: source, state: ConsoleState(endpoint: "test"), characters: .unicode)
        runtime.run(tickMs: 200)
        #expect(runtime.terminalWentAway)
        #expect(backend.lines.first?.hasPrefix("scoot-console test") == true, "the first frame was drawn")
    }

    @Test func keysDriveTheRuntimeUntilQuit() {
        let backend = TestBackend(width: 120, height: 40, events: [.key(.character("?")), .key(.escape), .key(.character("q"))])
        let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: InMemoryCloudScoot())))
        let runtime = ConsoleRuntime(backend: backend, dataSource: source, state: ConsoleState(endpoint: "test"), characters: .unicode)
        runtime.run(tickMs: 200)
        #expect(runtime.state.wantsQuit)
        #expect(!runtime.terminalWentAway)
    }
}
