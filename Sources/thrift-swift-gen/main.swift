import ArgumentParser
import Foundation
import ThriftCodegen

/// `thrift-swift-gen <input.thrift> --output <file.swift>`: generates the Swift types, client and
/// processor for a Thrift IDL file; with `--check`, verifies that the output is up to date.
struct ThriftSwiftGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thrift-swift-gen",
        abstract: "Generate Swift code from a Thrift IDL file.")

    @Argument(help: "The Thrift IDL file, as a path relative to the repository root (it is quoted in the output).")
    var input: String

    @Option(help: "The Swift file to write.")
    var output: String

    @Option(help: "A module for the generated file to import; repeat the option for several.")
    var moduleImports: [String] = ["Thrift"]

    @Flag(help: "Do not write; exit with status 1 if the output file differs from what would be generated.")
    var check = false

    func run() throws {
        let source: String
        do {
            source = try String(contentsOfFile: input, encoding: .utf8)
        } catch {
            throw fail("cannot read \(input): \(error.localizedDescription)")
        }
        let generated: String
        do {
            generated = try ThriftSwiftGenerator.generate(source: source, fileName: input, moduleImports: moduleImports)
        } catch {
            throw fail(error.description)
        }
        let existing = try? String(contentsOfFile: output, encoding: .utf8)
        if check {
            guard existing == generated else {
                throw fail("\(output) is out of date with \(input); run `make generate`.")
            }
            return
        }
        guard existing != generated else { return }
        let directory = URL(fileURLWithPath: output).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try generated.write(toFile: output, atomically: true, encoding: .utf8)
    }

    /// Prints `message` to standard error and returns the exit code 1 to throw.
    private func fail(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        return ExitCode.failure
    }
}

ThriftSwiftGen.main()
