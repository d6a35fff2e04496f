// The wire entry of `make bench`: encode and decode of a JobStatus, side by side with Apache
// Thrift's Python TBinaryProtocolAccelerated (its C extension) on the same value, in the same run.
import Foundation
import ScootAPI
import ScootServer
import Thrift

/// The benchmark value, built exactly as Benchmarks/python/bench_jobstatus.py builds it.
func jobStatus(tasks: Int) -> JobStatus {
    var taskStatus: ThriftMap<String, Status> = [:]
    var taskData: ThriftMap<String, RunStatus> = [:]
    for index in 0..<tasks {
        let digits = String(index)
        let taskID = "task-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
        taskStatus[taskID] = .completed
        taskData[taskID] = RunStatus(
            status: .complete, runId: "run-\(index)", outUri: "file:///var/scoot/\(taskID)/stdout",
            errUri: "file:///var/scoot/\(taskID)/stderr", exitCode: Int32(index % 3), snapshotId: "snapshot-abcdef")
    }
    return JobStatus(id: "4b0f8f1e-7f0c-4a53-9d1e-2f9a8c6b5e41", status: .completed, taskStatus: taskStatus, taskData: taskData)
}

/// Median wall time of `body` in microseconds over `iterations` runs, after a warm-up.
func medianMicroseconds(iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<20 { try body() }
    let clock = ContinuousClock()
    var samples: [Double] = []
    samples.reserveCapacity(iterations)
    for _ in 0..<iterations {
        let elapsed = try clock.measure(body)
        samples.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
    }
    samples.sort()
    return samples[samples.count / 2]
}

/// Runs the Python side and returns its medians, or why it could not run.
func pythonMedians(tasks: Int, iterations: Int) -> Result<[String: Double], BenchError> {
    let root = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let generated = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-bench-\(getpid())")
    defer { try? FileManager.default.removeItem(at: generated) }
    do {
        try FileManager.default.createDirectory(at: generated, withIntermediateDirectories: true)
        _ = try run(["thrift", "--gen", "py", "-out", generated.path, root.appendingPathComponent("idl/scoot.thrift").path], environment: nil)
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = generated.path
        let output = try run(
            ["python3", root.appendingPathComponent("Benchmarks/python/bench_jobstatus.py").path, String(tasks), String(iterations)],
            environment: environment)
        guard let json = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Double] else {
            return .failure(BenchError(description: "unexpected output from bench_jobstatus.py: \(output)"))
        }
        return .success(json)
    } catch let error as BenchError {
        return .failure(error)
    } catch {
        return .failure(BenchError(description: "\(error)"))
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
}

func run(_ command: [String], environment: [String: String]?) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = command
    if let environment { process.environment = environment }
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchError(description: "\(command.joined(separator: " ")) exited with \(process.terminationStatus) (run `make test-deps`)")
    }
    return String(decoding: data, as: UTF8.self)
}

func format(_ value: Double) -> String { String(format: "%10.1f", value) }

/// Runs the wire benchmark and prints its table.
func runWireBenchmark() throws {
    let tasks = 1000
    let iterations = 300
    let value = jobStatus(tasks: tasks)
    let encoded = value.thriftBytes()
    let decodedOnce = try JobStatus(thriftBytes: encoded)
    precondition(decodedOnce == value, "round trip failed")

    /// One round: every measurement once, Swift then Python, so that both sides see the same machine state.
    struct Round {
        var encode, decode, scan: Double
        var python: Result<[String: Double], BenchError>
    }

    func measureRound() throws -> Round {
        let encode = medianMicroseconds(iterations: iterations) { _ = value.thriftBytes() }
        let decode = try medianMicroseconds(iterations: iterations) { _ = try JobStatus(thriftBytes: encoded) }
        let message = ThriftClientCall.encodeCall(method: "GetStatus", sequenceID: 1, arguments: CloudScootMessages.GetStatusResult(success: value))
        let scan = try medianMicroseconds(iterations: iterations) {
            var scanner = ThriftMessageScanner()
            _ = try message.withUnsafeBytes { try scanner.scan($0) }
        }
        return Round(encode: encode, decode: decode, scan: scan, python: pythonMedians(tasks: tasks, iterations: iterations))
    }

    func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    let rounds = try (0..<3).map { _ in try measureRound() }
    let swiftEncode = median(rounds.map(\.encode))
    let swiftDecode = median(rounds.map(\.decode))
    let swiftScan = median(rounds.map(\.scan))

    print("scoot-bench: JobStatus with \(tasks) tasks (\(encoded.count) bytes); median of 3 alternating rounds of \(iterations) runs each, µs")
    print("                      scoot-console   Python accelerated   Python/Swift")
    let pythonRounds = rounds.compactMap { try? $0.python.get() }
    if pythonRounds.count == rounds.count {
        let pythonEncode = median(pythonRounds.map { $0["encode_us"] ?? .nan })
        let pythonDecode = median(pythonRounds.map { $0["decode_us"] ?? .nan })
        print("encode JobStatus     \(format(swiftEncode))      \(format(pythonEncode))         \(String(format: "%6.2f", pythonEncode / swiftEncode))x   (deterministic bytes: maps kept sorted)")
        print("decode JobStatus     \(format(swiftDecode))      \(format(pythonDecode))         \(String(format: "%6.2f", pythonDecode / swiftDecode))x")
        if let pythonBytes = pythonRounds.first?["bytes"], Int(pythonBytes) != encoded.count {
            print("warning: Python encoded \(Int(pythonBytes)) bytes, we encoded \(encoded.count)")
        }
    } else {
        let reason = rounds.compactMap { if case .failure(let error) = $0.python { return "\(error)" } else { return nil } }.first ?? "?"
        print("encode JobStatus     \(format(swiftEncode))      (Python side unavailable: \(reason))")
        print("decode JobStatus     \(format(swiftDecode))")
    }
    print("scan GetStatus reply \(format(swiftScan))      (unframed message boundary detection, ours only)")

    // The rounds above run with glibc's default heap; serve runs with its own settings.
    HeapTrimmer.configureHeap()
    let serveHeap = try (0..<3).map { _ in
        (
            encode: medianMicroseconds(iterations: iterations) { _ = value.thriftBytes() },
            decode: try medianMicroseconds(iterations: iterations) { _ = try JobStatus(thriftBytes: encoded) }
        )
    }
    let pythonDecode = pythonRounds.count == rounds.count ? median(pythonRounds.map { $0["decode_us"] ?? .nan }) : .nan
    let pythonEncode = pythonRounds.count == rounds.count ? median(pythonRounds.map { $0["encode_us"] ?? .nan }) : .nan
    let heapEncode = median(serveHeap.map(\.encode))
    let heapDecode = median(serveHeap.map(\.decode))
    print("with serve's heap settings (HeapTrimmer.configureHeap: freed memory kept for reuse up to 4 MiB), after the rounds above:")
    print("encode JobStatus     \(format(heapEncode))      \(format(pythonEncode))         \(String(format: "%6.2f", pythonEncode / heapEncode))x")
    print("decode JobStatus     \(format(heapDecode))      \(format(pythonDecode))         \(String(format: "%6.2f", pythonDecode / heapDecode))x")
}
