import Foundation
import Testing
@testable import ConsoleApp

@Suite("docs/keys.md")
struct KeysDocumentationTests {
    @Test func docsMatchTheKeyTable() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("docs/keys.md")
        let committed = try String(contentsOf: path, encoding: .utf8)
        #expect(committed == KeyTable.markdown(), "docs/keys.md is stale; regenerate it with `scoot-console keys > docs/keys.md`")
    }

    @Test func everyKeyIsBoundOncePerPane() {
        for pane in Pane.allCases {
            let keys = KeyTable.bindings(in: pane, readOnly: false).flatMap(\.keys)
            #expect(keys.count == Set(keys).count, "a key is bound twice in \(pane)")
            let replayKeys = KeyTable.bindings(in: pane, readOnly: true, replay: true).flatMap(\.keys)
            #expect(replayKeys.count == Set(replayKeys).count, "a key is bound twice in \(pane) in a replay")
        }
    }
}
