import Foundation
import Testing
import ThriftCodegen

/// The committed generated Swift must be exactly what the generator makes of the committed IDL.
@Suite struct RegenerationTests {
    /// An IDL file and the Swift file generated from it, as paths from the repository root.
    struct GeneratedPair: Sendable, CustomTestStringConvertible {
        var idl: String
        var swift: String
        var testDescription: String { swift }
    }

    static let pairs = [
        GeneratedPair(idl: "idl/scoot.thrift", swift: "Sources/ScootAPI/Generated/Scoot.swift"),
        GeneratedPair(idl: "idl/worker.thrift", swift: "Sources/ScootWorkerAPI/Generated/Worker.swift"),
        GeneratedPair(idl: "Tests/ScootAPITests/Fixtures/alltypes.thrift", swift: "Tests/ScootAPITests/Generated/AllTypes.swift"),
    ]

    /// The repository root: this file is `Tests/ThriftCodegenTests/RegenerationTests.swift`.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: pairs)
    func committedSwiftMatchesTheIDL(pair: GeneratedPair) throws {
        let idl = try String(contentsOf: Self.repositoryRoot.appendingPathComponent(pair.idl), encoding: .utf8)
        let committed = try String(contentsOf: Self.repositoryRoot.appendingPathComponent(pair.swift), encoding: .utf8)
        let regenerated = try ThriftSwiftGenerator.generate(source: idl, fileName: pair.idl, moduleImports: ["Thrift"])
        #expect(regenerated == committed, "\(pair.swift) is out of date with \(pair.idl); run `make generate`")
    }
}
