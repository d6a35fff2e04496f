import Dispatch
import Foundation

/// Test support, shared by the interop and end-to-end test targets (not a product).
///
/// Runs Apache Thrift's Python library and compiler for interop tests. The Python code is
/// generated from the project's IDL files at test time into a temporary directory, never
/// committed. Blocking waits run on Dispatch threads, not on the cooperative pool that the
/// in-process server needs.
public enum PythonInterop {
    /// The repository root, found from this file's path.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let interopScripts = repositoryRoot.appendingPathComponent("Tests/Interop")

    /// Where `thrift --gen py` wrote the code for `idl/scoot.thrift`, `idl/worker.thrift` and the
    /// all-types fixture IDL.
    public static let generatedPython: Result<URL, InteropError> = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-interop-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            return .failure(InteropError("cannot create \(directory.path): \(error)"))
        }
        for idl in ["idl/scoot.thrift", "idl/worker.thrift", "Tests/ScootAPITests/Fixtures/alltypes.thrift"] {
            let result = runBlocking(["thrift", "--gen", "py", "-out", directory.path, repositoryRoot.appendingPathComponent(idl).path])
            guard result.status == 0 else {
                return .failure(InteropError("thrift --gen py \(idl) failed (\(result.status)); is thrift-compiler installed? (make test-deps)\n\(result.output)"))
            }
        }
        return .success(directory)
    }()

    public struct InteropError: Error, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    public struct ProcessResult: Sendable {
        public var status: Int32
        public var output: String
    }

    /// Runs a Python interop script to completion.
    public static func runScript(_ script: String, _ arguments: [String]) async throws -> ProcessResult {
        let environment = try await pythonEnvironment()
        let command = ["python3", interopScripts.appendingPathComponent(script).path] + arguments
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: runBlocking(command, environment: environment)) }
        }
    }

    /// PYTHONPATH for the generated code. The first call runs `thrift --gen py`: on a thread of
    /// its own, as every waiter on the lazy value would otherwise block a cooperative thread.
    public static func pythonEnvironment() async throws -> [String: String] {
        let generated = try await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: generatedPython) }
        }.get()
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = [generated.path, interopScripts.path].joined(separator: ":")
        environment["PYTHONDONTWRITEBYTECODE"] = "1"
        return environment
    }

    /// The first line a process writes (without its newline), read on a thread of its own.
    public static func firstLine(of handle: FileHandle) async -> String {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var collected = Data()
                while !collected.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    collected.append(chunk)
                }
                continuation.resume(returning: String(decoding: collected, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
    }

    public static func runBlocking(_ command: [String], environment: [String: String]? = nil) -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return ProcessResult(status: -1, output: "cannot start \(command.joined(separator: " ")): \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// A Python server process started for a test; `stop()` ends it.
public final class PythonServerProcess: @unchecked Sendable {
    private let process = Process()
    /// The port it listens on.
    public let port: Int

    /// Starts `python_server.py` and waits for its `PORT n` line.
    public init(framed: Bool) async throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", PythonInterop.interopScripts.appendingPathComponent("python_server.py").path] + (framed ? ["--framed"] : [])
        process.environment = try await PythonInterop.pythonEnvironment()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.standardError
        try process.run()
        let line = await PythonInterop.firstLine(of: pipe.fileHandleForReading)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            throw PythonInterop.InteropError("python_server.py did not report its port; it printed: \(line)")
        }
        self.port = port
    }

    /// Kills the server. SIGKILL, because a test runner may leave SIGTERM ignored, and an
    /// ignored signal stays ignored in the child.
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
