import TestSupport
import Foundation
import ScootAPI
import Testing
import Thrift

/// Byte-exact fixtures: the same values encoded by Apache Thrift's Python TBinaryProtocol and by
/// us must be the same bytes, and each side must decode the other's.
@Suite("Byte-exact fixtures against Apache Thrift's Python TBinaryProtocol")
struct PythonFixtureInteropTests {
    static let runStatusFull = RunStatus(
        status: .running, runId: "run-7", outUri: "file:///tmp/out", errUri: "file:///tmp/err", error: "none", exitCode: -1,
        snapshotId: "snap-1", jobId: "job-1", taskId: "task-1", tag: "tag-1")
    static let command = Command(argv: ["sh", "-c", "echo ü"], envVars: ["A": "1", "B": "2"])
    static let task = TaskDefinition(command: command, snapshotId: "snap", taskId: "t1", timeoutMs: 1000)
    static let job = JobDefinition(
        tasks: [task, TaskDefinition(command: Command(argv: ["true"]), taskId: "t2")], DEPRECATED_jobType: .ironTests,
        defaultTaskTimeoutMs: 5000, priority: 2, tag: "tag", basis: "basis", requestor: "ci", jobType: "land")
    static let jobStatus = JobStatus(
        id: "job-1", status: .inProgress, taskStatus: ["a": .completed, "b": .notStarted], taskData: ["a": runStatusFull])
    static let allTypes = AllTypes(
        flag: true, tiny: -8, small: -300, medium: 70000, large: -(1 << 40), real: 2.5, text: "héllo", blob: [0, 255, 16],
        inner: Inner(name: "in", count: 3), numbers: [1, -2, 3], words: ["a", "b"], wordSet: ["x"], longSet: [-5],
        counts: ["a": 1, "b": 2], names: [1: "one", 2: "two"], groups: ["g": ["p", "q"], "h": []], matrix: [[1, 2], [], [3]],
        color: .green, optionalText: "opt", requiredNumber: 42)

    /// Every fixture: its encoding by us, and a check that decoding Python's bytes gives the value.
    static func fixtures() -> [String: (bytes: [UInt8], decodesTo: ([UInt8]) throws -> Bool)] {
        func entry<T: ThriftStruct & Equatable>(_ value: T) -> (bytes: [UInt8], decodesTo: ([UInt8]) throws -> Bool) {
            (value.thriftBytes(), { try T(thriftBytes: $0) == value })
        }
        func message<T: ThriftStruct & Equatable>(_ name: String, _ type: ThriftMessageType, _ sequenceID: Int32, _ body: T)
            -> (bytes: [UInt8], decodesTo: ([UInt8]) throws -> Bool)
        {
            let header = ThriftMessageHeader(name: name, type: type, sequenceID: sequenceID)
            var writer = ThriftBinaryWriter()
            writer.writeMessageHeader(header)
            body.write(to: &writer)
            return (writer.bytes, { bytes in
                try ThriftBinaryReader.withReader(bytes) { reader in
                    try reader.readMessageHeader() == header && reader.readStruct(T.self) == body
                }
            })
        }
        return [
            "InvalidRequest": entry(InvalidRequest(message: "bad request")),
            "InvalidRequest.empty": entry(InvalidRequest()),
            "CanNotScheduleNow": entry(CanNotScheduleNow(retryAfterMs: 1500)),
            "ScootServerError.empty": entry(ScootServerError()),
            "RunStatus.full": entry(runStatusFull),
            "RunStatus.minimal": entry(RunStatus(status: .pending, runId: "")),
            "Command": entry(command),
            "TaskDefinition": entry(task),
            "JobDefinition": entry(job),
            "JobId": entry(JobId(id: "4b0f8f1e-7f0c-4a53-9d1e-2f9a8c6b5e41")),
            "JobStatus": entry(jobStatus),
            "JobStatus.unknown": entry(JobStatus(id: "nope", status: .notStarted, taskStatus: [:], taskData: [:])),
            "OfflineWorkerReq": entry(OfflineWorkerReq(id: "host:9092", requestor: "alice")),
            "ReinstateWorkerReq": entry(ReinstateWorkerReq(id: "host:9092", requestor: "bob")),
            "SchedulerStatus": entry(SchedulerStatus(currentTasks: 12, maxTasks: -1)),
            "TApplicationException": entry(TApplicationException(.internalError, message: "Internal error processing X: y")),
            "AllTypes": entry(allTypes),
            "AllTypes.minimal": entry(AllTypes(requiredNumber: 0)),
            "message.RunJob.call": message("RunJob", .call, 1, CloudScootMessages.RunJobArguments(job: job)),
            "message.GetStatus.reply": message("GetStatus", .reply, 2, CloudScootMessages.GetStatusResult(success: jobStatus)),
            "message.RunJob.reply.exception": message("RunJob", .reply, 3, CloudScootMessages.RunJobResult(ir: InvalidRequest(message: "no"))),
            "message.SetRebalanceThreshold.call": message("SetRebalanceThreshold", .call, -5, CloudScootMessages.SetRebalanceThresholdArguments(threshold: 20)),
            "message.SetRebalanceThreshold.reply": message("SetRebalanceThreshold", .reply, -5, CloudScootMessages.SetRebalanceThresholdResult()),
            "message.KillJob.exception": message("KillJob", .exception, 9, TApplicationException(.internalError, message: "Internal error processing KillJob: no")),
        ]
    }

    @Test func ourBytesEqualPythonsAndBothSidesDecodeEachOther() async throws {
        let emitted = try await PythonInterop.runScript("fixtures.py", ["emit"])
        try #require(emitted.status == 0, "fixtures.py emit failed:\n\(emitted.output)")
        let python = try #require(try JSONSerialization.jsonObject(with: Data(emitted.output.utf8)) as? [String: String])
        let ours = Self.fixtures()
        #expect(Set(python.keys) == Set(ours.keys))
        for (name, fixture) in ours.sorted(by: { $0.key < $1.key }) {
            let theirs = try #require(python[name].flatMap(hexBytes), "no Python fixture \(name)")
            #expect(hexString(fixture.bytes) == hexString(theirs), "\(name): our bytes differ from Apache Thrift's")
            #expect(try fixture.decodesTo(theirs), "\(name): Apache Thrift's bytes do not decode to the value")
        }

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("swift-fixtures-\(getpid()).json")
        let json = try JSONSerialization.data(withJSONObject: ours.mapValues { hexString($0.bytes) }, options: [.sortedKeys])
        try json.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let checked = try await PythonInterop.runScript("fixtures.py", ["check", file.path])
        #expect(checked.status == 0, "Apache Thrift could not decode our bytes:\n\(checked.output)")
    }
}

func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

func hexBytes(_ text: String) -> [UInt8]? {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) ?? text.endIndex
        guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
        bytes.append(byte)
        index = next
    }
    return bytes
}
