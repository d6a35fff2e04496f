import TestSupport
import Foundation
import ScootAPI
import TUIKit
import Testing
import Thrift
@testable import ConsoleApp

@Suite("Console runtime")
struct ConsoleRuntimeTests {
    @Test func aTerminalThatHasGoneAwayStopsTheLoopInsteadOfSpinning() async {
        let (wentAway, firstLine) = await offCooperativePool {
            // TestBackend answers every wait at once with no event, as a hung-up terminal does.
            let backend = TestBackend(width: 120, height: 40)
            let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: InMemoryCloudScoot())))
            let runtime = ConsoleRuntime(backend: backend, dataSource: source, state: ConsoleState(endpoint: "test"), characters: .unicode)
            runtime.run(tickMs: 200)
            return (runtime.terminalWentAway, backend.lines.first)
        }
        #expect(wentAway)
        #expect(firstLine?.hasPrefix("scoot-console test") == true, "the first frame was drawn")
    }

    @Test func keysDriveTheRuntimeUntilQuit() async {
        let (state, wentAway) = await offCooperativePool {
            let backend = TestBackend(width: 120, height: 40, events: [.key(.character("?")), .key(.escape), .key(.character("q"))])
            let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: InMemoryCloudScoot())))
            let runtime = ConsoleRuntime(backend: backend, dataSource: source, state: ConsoleState(endpoint: "test"), characters: .unicode)
            runtime.run(tickMs: 200)
            return (runtime.state, runtime.terminalWentAway)
        }
        #expect(state.wantsQuit)
        #expect(!wentAway)
    }
}

/// Runs `work`, which blocks (the console's run loop waits for keys), on a thread of its own:
/// on the cooperative pool (or a Dispatch queue, which shares its threads on Linux) it would
/// starve every other test's tasks, as it did when a plain-Scoot test's calls timed out
/// during the full run.
func offCooperativePool<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}
