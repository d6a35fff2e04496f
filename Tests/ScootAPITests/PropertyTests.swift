import ScootAPI
import Testing
import Thrift

/// A small deterministic generator (SplitMix64) so that failures reproduce from the seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random values of every generated type, with edge cases (empty, unicode, extremes, unknown enum values).
struct RandomValues {
    var generator: SeededGenerator

    mutating func bool() -> Bool { Bool.random(using: &generator) }
    mutating func maybe<T>(_ make: (inout RandomValues) -> T) -> T? { bool() ? make(&self) : nil }
    mutating func int32() -> Int32 {
        [Int32.min, -1, 0, 1, Int32.max, Int32.random(in: .min ... .max, using: &generator)].randomElement(using: &generator)!
    }
    mutating func int64() -> Int64 {
        [Int64.min, -1, 0, Int64.max, Int64.random(in: .min ... .max, using: &generator)].randomElement(using: &generator)!
    }
    mutating func string() -> String {
        let pieces = ["", "a", "task-1", "ü", "日本", "🚀", " ", "\0", "file:///tmp/x", "land.*"]
        return (0..<Int.random(in: 0...3, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }
    mutating func array<T>(_ make: (inout RandomValues) -> T) -> [T] {
        (0..<Int.random(in: 0...4, using: &generator)).map { _ in make(&self) }
    }
    /// Keys added one at a time, in random order.
    mutating func map<V>(_ make: (inout RandomValues) -> V) -> ThriftMap<String, V> {
        var result: ThriftMap<String, V> = [:]
        for _ in 0..<Int.random(in: 0...4, using: &generator) { result[string()] = make(&self) }
        return result
    }
    mutating func status() -> Status {
        bool() ? Status.knownCases.randomElement(using: &generator)! : Status(rawValue: int32())
    }
    mutating func runStatusState() -> RunStatusState {
        bool() ? RunStatusState.knownCases.randomElement(using: &generator)! : RunStatusState(rawValue: int32())
    }
    mutating func runStatus() -> RunStatus {
        RunStatus(
            status: runStatusState(), runId: string(), outUri: maybe { $0.string() }, errUri: maybe { $0.string() },
            error: maybe { $0.string() }, exitCode: maybe { $0.int32() }, snapshotId: maybe { $0.string() },
            jobId: maybe { $0.string() }, taskId: maybe { $0.string() }, tag: maybe { $0.string() })
    }
    mutating func command() -> Command {
        Command(argv: array { $0.string() }, envVars: maybe { $0.map { $0.string() } })
    }
    mutating func taskDefinition() -> TaskDefinition {
        TaskDefinition(command: command(), snapshotId: maybe { $0.string() }, taskId: maybe { $0.string() }, timeoutMs: maybe { $0.int32() })
    }
    mutating func jobDefinition() -> JobDefinition {
        JobDefinition(
            tasks: array { $0.taskDefinition() }, DEPRECATED_jobType: maybe { _ in JobType.ironTests },
            defaultTaskTimeoutMs: maybe { $0.int32() }, priority: maybe { $0.int32() }, tag: maybe { $0.string() },
            basis: maybe { $0.string() }, requestor: maybe { $0.string() }, jobType: maybe { $0.string() })
    }
    mutating func jobStatus() -> JobStatus {
        JobStatus(id: string(), status: status(), taskStatus: maybe { $0.map { $0.status() } }, taskData: maybe { $0.map { $0.runStatus() } })
    }
}

@Suite("Random values of every generated type round-trip")
struct PropertyTests {
    static let seeds: [UInt64] = Array(1...200)

    /// Decodes to an equal value, from exactly as many bytes as `thriftEncodedSize` said.
    private func roundTrips<T: ThriftStruct & Equatable>(_ value: T) throws -> Bool {
        let bytes = value.thriftBytes()
        return try bytes.count == value.thriftEncodedSize && T(thriftBytes: bytes) == value
    }

    @Test(arguments: seeds)
    func everyTypeRoundTrips(seed: UInt64) throws {
        var random = RandomValues(generator: SeededGenerator(state: seed))
        #expect(try roundTrips(random.runStatus()), "seed \(seed)")
        #expect(try roundTrips(random.command()), "seed \(seed)")
        #expect(try roundTrips(random.taskDefinition()), "seed \(seed)")
        #expect(try roundTrips(random.jobDefinition()), "seed \(seed)")
        #expect(try roundTrips(random.jobStatus()), "seed \(seed)")
        #expect(try roundTrips(JobId(id: random.string())), "seed \(seed)")
        #expect(try roundTrips(OfflineWorkerReq(id: random.string(), requestor: random.string())), "seed \(seed)")
        #expect(try roundTrips(ReinstateWorkerReq(id: random.string(), requestor: random.string())), "seed \(seed)")
        #expect(try roundTrips(SchedulerStatus(currentTasks: random.int32(), maxTasks: random.int32())), "seed \(seed)")
        #expect(try roundTrips(InvalidRequest(message: random.maybe { $0.string() })), "seed \(seed)")
        #expect(try roundTrips(CanNotScheduleNow(retryAfterMs: random.maybe { $0.int64() })), "seed \(seed)")
        #expect(try roundTrips(ScootServerError(retryAfterMs: random.maybe { $0.int64() })), "seed \(seed)")
    }

    @Test(arguments: seeds)
    func theSameEntriesInAnyOrderEncodeToTheSameBytesAndDecodeInAnyOrder(seed: UInt64) throws {
        var random = RandomValues(generator: SeededGenerator(state: seed))
        let value = random.jobStatus()
        // The same entries added backwards, and through a dictionary: the same value, the same bytes.
        func reversed<V>(_ map: ThriftMap<String, V>) -> ThriftMap<String, V> {
            var result: ThriftMap<String, V> = [:]
            for (key, entry) in map.reversed() { result[key] = entry }
            return result
        }
        let backwards = JobStatus(id: value.id, status: value.status, taskStatus: value.taskStatus.map(reversed), taskData: value.taskData.map(reversed))
        let viaDictionary = JobStatus(
            id: value.id, status: value.status, taskStatus: value.taskStatus.map { ThriftMap(Dictionary($0)) },
            taskData: value.taskData.map { ThriftMap(Dictionary($0)) })
        #expect(backwards == value)
        #expect(backwards.thriftBytes() == value.thriftBytes())
        #expect(viaDictionary.thriftBytes() == value.thriftBytes())

        // A peer that writes its maps in another order (descending here) is decoded to the same value.
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.string, id: 1)
        writer.writeString(value.id)
        writer.writeFieldHeader(.i32, id: 2)
        writer.writeI32(value.status.rawValue)
        if let taskStatus = value.taskStatus {
            writer.writeFieldHeader(.map, id: 3)
            writer.writeMapHeader(keyType: .string, valueType: .i32, count: taskStatus.count)
            for (key, status) in taskStatus.reversed() {
                writer.writeString(key)
                writer.writeI32(status.rawValue)
            }
        }
        if let taskData = value.taskData {
            writer.writeFieldHeader(.map, id: 4)
            writer.writeMapHeader(keyType: .string, valueType: .struct, count: taskData.count)
            for (key, run) in taskData.reversed() {
                writer.writeString(key)
                writer.writeStruct(run)
            }
        }
        writer.writeFieldStop()
        let decoded = try JobStatus(thriftBytes: writer.bytes)
        #expect(decoded == value)
        #expect(decoded.thriftBytes() == value.thriftBytes())
    }

    @Test(arguments: seeds)
    func truncatedEncodingsFailCleanly(seed: UInt64) {
        var random = RandomValues(generator: SeededGenerator(state: seed))
        let bytes = random.jobDefinition().thriftBytes()
        let cut = Int.random(in: 0..<bytes.count, using: &random.generator)
        #expect(throws: ThriftProtocolError.self) { try JobDefinition(thriftBytes: Array(bytes[0..<cut])) }
    }
}
