import ScootAPI
import Thrift
import SchedulerCore

/// Hostile inputs for the CloudScoot server: hand-written cases with an exact expected answer,
/// and a seeded corpus of mutated valid messages.
enum HostileCorpus {
    /// What the server must do with a hand-written case.
    enum Expected: Sendable, Hashable {
        /// Answer with a `TApplicationException` of this kind (addressed to the call), then close.
        case exception(TApplicationException.Kind)
        /// Close without answering (nothing addressable was read).
        case closedSilently
        /// Answer with a REPLY: the bad part is skipped, as Apache Thrift skips a field of the
        /// wrong type, and the call goes on without it.
        case reply
    }

    struct Case: Sendable {
        var name: String
        var bytes: [UInt8]
        var expected: Expected
        /// Whether replies come framed (4-byte length first).
        var framed = false
    }

    // MARK: Valid seeds

    static let job = JobDefinition(
        tasks: [
            TaskDefinition(command: Command(argv: ["sleep", "600"], envVars: ["A": "b"]), taskId: "t1"),
            TaskDefinition(command: Command(argv: ["true"]), taskId: "t2", timeoutMs: 1000),
        ],
        priority: 1, tag: "tag", basis: "basis", requestor: "land-fuzz")

    /// One valid CALL of every CloudScoot and console-extension method.
    static let seeds: [[UInt8]] = [
        call("RunJob", CloudScootMessages.RunJobArguments(job: job)),
        call("GetStatus", CloudScootMessages.GetStatusArguments(jobId: "0f0e0d0c-aaaa-4bbb-8ccc-123456789abc")),
        call("KillJob", CloudScootMessages.KillJobArguments(jobId: "no-such-job")),
        call("OfflineWorker", CloudScootMessages.OfflineWorkerArguments(req: OfflineWorkerReq(id: "no-such-worker", requestor: "fuzz"))),
        call("ReinstateWorker", CloudScootMessages.ReinstateWorkerArguments(req: ReinstateWorkerReq(id: "no-such-worker", requestor: "fuzz"))),
        call("GetSchedulerStatus", CloudScootMessages.GetSchedulerStatusArguments()),
        call("SetSchedulerStatus", CloudScootMessages.SetSchedulerStatusArguments(maxTasks: -1)),
        call("GetClassLoadPercents", CloudScootMessages.GetClassLoadPercentsArguments()),
        call("SetClassLoadPercents", CloudScootMessages.SetClassLoadPercentsArguments(loadPercents: ["land": 60, "diff": 40])),
        call("GetRequestorToClassMap", CloudScootMessages.GetRequestorToClassMapArguments()),
        call("SetRequestorToClassMap", CloudScootMessages.SetRequestorToClassMapArguments(requestorToClassMap: ["land.*": "land"])),
        call("GetRebalanceMinimumDuration", CloudScootMessages.GetRebalanceMinimumDurationArguments()),
        call("SetRebalanceMinimumDuration", CloudScootMessages.SetRebalanceMinimumDurationArguments(durationMin: 4)),
        call("GetRebalanceThreshold", CloudScootMessages.GetRebalanceThresholdArguments()),
        call("SetRebalanceThreshold", CloudScootMessages.SetRebalanceThresholdArguments(threshold: 0)),
        call("ListJobs", ScootConsoleMessages.ListJobsArguments(filter: JobFilter(statuses: [.inProgress], requestor: "land-fuzz", limit: 10))),
        call("ListWorkers", ScootConsoleMessages.ListWorkersArguments()),
        call("GetClusterLoad", ScootConsoleMessages.GetClusterLoadArguments()),
        call("ListTasks", ScootConsoleMessages.ListTasksArguments(jobId: "no-such-job")),
    ]

    static func call<T: ThriftStruct>(_ method: String, sequenceID: Int32 = 7, _ arguments: T) -> [UInt8] {
        ThriftClientCall.encodeCall(method: method, sequenceID: sequenceID, arguments: arguments)
    }

    // MARK: Hand-written cases

    static func i32(_ value: Int32) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian, Array.init)
    }

    /// A strict header with any type byte.
    static func strictHeader(_ name: String, typeByte: UInt8, sequenceID: Int32 = 7, version: UInt32 = ThriftMessageHeader.version1) -> [UInt8] {
        i32(Int32(bitPattern: version | UInt32(typeByte))) + i32(Int32(name.utf8.count)) + Array(name.utf8) + i32(sequenceID)
    }

    /// An old-style (unversioned) header with raw name bytes.
    static func oldStyleHeader(nameBytes: [UInt8], nameLength: Int32? = nil, typeByte: UInt8 = 1) -> [UInt8] {
        i32(nameLength ?? Int32(nameBytes.count)) + nameBytes + [typeByte] + i32(7)
    }

    /// `GetStatus` whose argument struct is `body` (the header is valid and addressable).
    static func getStatus(body: [UInt8]) -> [UInt8] {
        strictHeader("GetStatus", typeByte: 1) + body
    }

    /// `RunJob` whose job struct's task list (field 1 of JobDefinition) has this header.
    static func runJobTaskList(elementType: UInt8, count: Int32) -> [UInt8] {
        strictHeader("RunJob", typeByte: 1) + [12, 0, 1] + [15, 0, 1, elementType] + i32(count) + [0, 0]
    }

    static let stringField: [UInt8] = [11, 0, 1]

    static var handWritten: [Case] {
        let valid = call("GetStatus", CloudScootMessages.GetStatusArguments(jobId: "abc"))
        var cases: [Case] = [
            // Unknown methods and bad names in old-style headers: addressable, so answered.
            Case(name: "old-style header, unknown name", bytes: oldStyleHeader(nameBytes: Array("NoSuchMethod".utf8)) + [0], expected: .exception(.unknownMethod)),
            Case(name: "old-style header, invalid UTF-8 name", bytes: oldStyleHeader(nameBytes: [0xFF, 0xFE, 0xC0]) + [0], expected: .exception(.unknownMethod)),
            Case(name: "old-style header, empty name", bytes: oldStyleHeader(nameBytes: []) + [0], expected: .exception(.unknownMethod)),
            Case(name: "old-style header, control characters in the name", bytes: oldStyleHeader(nameBytes: [0, 1, 7, 27, 10, 13]) + [0], expected: .exception(.unknownMethod)),
            Case(name: "old-style header, 100 KB name", bytes: oldStyleHeader(nameBytes: Array(repeating: 0x41, count: 100_000)) + [0], expected: .exception(.unknownMethod)),
            Case(name: "old-style header, name length -5", bytes: oldStyleHeader(nameBytes: Array("GetStatus".utf8), nameLength: -5), expected: .closedSilently),
            Case(name: "old-style header, name length 2^31-1", bytes: oldStyleHeader(nameBytes: Array("GetStatus".utf8), nameLength: .max), expected: .closedSilently),
            Case(name: "old-style header, unknown message type 9", bytes: oldStyleHeader(nameBytes: Array("GetStatus".utf8), typeByte: 9), expected: .closedSilently),
            // Message types.
            Case(name: "strict header, REPLY sent to the server", bytes: strictHeader("GetStatus", typeByte: 2) + [0], expected: .exception(.invalidMessageType)),
            Case(name: "strict header, EXCEPTION sent to the server", bytes: strictHeader("GetStatus", typeByte: 3) + [0], expected: .exception(.invalidMessageType)),
            Case(name: "strict header, ONEWAY", bytes: strictHeader("GetStatus", typeByte: 4) + [0], expected: .closedSilently),
            Case(name: "strict header, bad version 0x8002", bytes: strictHeader("GetStatus", typeByte: 1, version: 0x8002_0000) + [0], expected: .closedSilently),
            // Wrong field types and invalid type bytes.
            Case(name: "jobId sent as i32 (skipped: GetStatus of no id)", bytes: getStatus(body: [8, 0, 1] + i32(5) + [0]), expected: .reply),
            Case(name: "jobId sent as a list (skipped)", bytes: getStatus(body: [15, 0, 1, 11] + i32(1) + i32(1) + [0x41, 0]), expected: .reply),
            Case(name: "required OfflineWorkerReq.id sent as i64", bytes: strictHeader("OfflineWorker", typeByte: 1) + [12, 0, 1, 10, 0, 1] + i32(0) + i32(1) + [0, 0], expected: .exception(.protocolError)),
            Case(name: "RunJob's job sent as a string", bytes: strictHeader("RunJob", typeByte: 1) + [11, 0, 1] + i32(1) + [0x41, 0], expected: .exception(.protocolError)),
            Case(name: "invalid field type byte 7", bytes: getStatus(body: [7, 0, 1, 0]), expected: .exception(.protocolError)),
            Case(name: "invalid element type byte 0x42", bytes: runJobTaskList(elementType: 0x42, count: 1), expected: .exception(.protocolError)),
            // Negative and huge lengths.
            Case(name: "string length -1", bytes: getStatus(body: stringField + i32(-1)), expected: .exception(.protocolError)),
            Case(name: "string length Int32.min", bytes: getStatus(body: stringField + i32(.min)), expected: .exception(.protocolError)),
            Case(name: "string length 2^31-1", bytes: getStatus(body: stringField + i32(.max)), expected: .exception(.protocolError)),
            Case(name: "string length 16 MiB + 1", bytes: getStatus(body: stringField + i32(16 * 1024 * 1024 + 1)), expected: .exception(.protocolError)),
            Case(name: "list count -1", bytes: runJobTaskList(elementType: 12, count: -1), expected: .exception(.protocolError)),
            Case(name: "list count 2^31-1", bytes: runJobTaskList(elementType: 12, count: .max), expected: .exception(.protocolError)),
            Case(name: "list count 1,000,001", bytes: runJobTaskList(elementType: 3, count: 1_000_001), expected: .exception(.protocolError)),
            Case(
                name: "map count -1", bytes: strictHeader("SetClassLoadPercents", typeByte: 1) + [13, 0, 1, 11, 8] + i32(-1) + [0],
                expected: .exception(.protocolError)),
            Case(
                name: "map count 2^31-1", bytes: strictHeader("SetClassLoadPercents", typeByte: 1) + [13, 0, 1, 11, 8] + i32(.max) + [0],
                expected: .exception(.protocolError)),
            // Deep nesting, in an unknown field the server would otherwise skip.
            Case(name: "structs nested 100 deep", bytes: getStatus(body: Array([[UInt8]](repeating: [12, 0, 99], count: 100).joined()) + Array(repeating: 0, count: 101)), expected: .exception(.protocolError)),
            Case(name: "lists nested 100 deep", bytes: getStatus(body: [15, 0, 99] + Array([[UInt8]](repeating: [15, 0, 0, 0, 1], count: 100).joined())), expected: .exception(.protocolError)),
            Case(name: "maps nested 100 deep", bytes: getStatus(body: [13, 0, 99] + Array([[UInt8]](repeating: [8, 13, 0, 0, 0, 1, 0, 0, 0, 1], count: 100).joined())), expected: .exception(.protocolError)),
            // A valid header, a body that is not a struct.
            Case(name: "garbage after a valid header", bytes: getStatus(body: [0x42, 0x42, 0x42, 0x42]), expected: .exception(.protocolError)),
            // Frames (framing is detected per connection).
            Case(name: "frame length -1", bytes: i32(-1) + valid, expected: .closedSilently, framed: true),
            Case(name: "frame length 2^31-1", bytes: i32(.max) + valid, expected: .closedSilently, framed: true),
            Case(name: "frame length 16 MiB + 1", bytes: i32(16 * 1024 * 1024 + 1) + valid, expected: .closedSilently, framed: true),
            Case(name: "frame shorter than its message", bytes: i32(Int32(valid.count - 3)) + valid, expected: .exception(.protocolError), framed: true),
            Case(name: "frame of a bare header", bytes: i32(Int32(valid.count - 9)) + valid.prefix(valid.count - 9), expected: .exception(.protocolError), framed: true),
        ]
        // Every message type byte the protocol does not define (0, 5…255) is refused unread.
        for typeByte in [0] + Array(5...255) {
            cases.append(Case(name: "strict header, message type \(typeByte)", bytes: strictHeader("GetStatus", typeByte: UInt8(typeByte)) + [0], expected: .closedSilently))
        }
        // Every bad version word's high byte but 0x80.
        for high in stride(from: 0x81, through: 0xFF, by: 1) {
            let version = UInt32(high) << 24 | 0x0001_0000
            cases.append(Case(name: "strict header, version \(String(version, radix: 16))", bytes: strictHeader("GetStatus", typeByte: 1, version: version) + [0], expected: .closedSilently))
        }
        return cases
    }

    // MARK: Mutations

    /// Deterministic mutations of the valid seeds: 1-3 edits each (bit flips, interesting bytes
    /// and 32-bit values, truncation, insertion, deletion, duplication, splicing).
    static func mutated(count: Int, seed: UInt64) -> [[UInt8]] {
        var random = SplitMix64(seed: seed)
        let interesting32: [Int32] = [-1, .min, .max, 0, 1, 0x0100_0001, 0x000F_4241, 0x7FFF_FFFE, -2]
        let interesting8: [UInt8] = [0, 1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14, 15, 16, 0x7F, 0x80, 0xFF]
        var corpus: [[UInt8]] = []
        corpus.reserveCapacity(count)
        for _ in 0..<count {
            var bytes = seeds.randomElement(using: &random)!
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0..<max(1, bytes.count), using: &random)
                switch Int.random(in: 0..<9, using: &random) {
                case 0 where !bytes.isEmpty:
                    bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &random)
                case 1 where !bytes.isEmpty:
                    bytes[position] = interesting8.randomElement(using: &random)!
                case 2 where bytes.count >= 4:
                    let at = min(position, bytes.count - 4)
                    bytes.replaceSubrange(at..<at + 4, with: i32(interesting32.randomElement(using: &random)!))
                case 3:
                    bytes = Array(bytes.prefix(position))
                case 4:
                    let inserted = (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                    bytes.insert(contentsOf: inserted, at: min(position, bytes.count))
                case 5 where !bytes.isEmpty:
                    bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...8, using: &random)))
                case 6 where !bytes.isEmpty:
                    let end = min(bytes.count, position + Int.random(in: 1...32, using: &random))
                    bytes.insert(contentsOf: bytes[position..<end], at: end)
                case 7:
                    let other = seeds.randomElement(using: &random)!
                    bytes = Array(bytes.prefix(position)) + other.suffix(Int.random(in: 0...other.count, using: &random))
                default:
                    bytes += (0..<Int.random(in: 1...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                }
            }
            corpus.append(bytes)
        }
        return corpus
    }

    /// Random garbage of 1…512 bytes.
    static func garbage(count: Int, seed: UInt64) -> [[UInt8]] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            (0..<Int.random(in: 1...512, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
        }
    }
}
