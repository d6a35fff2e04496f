import ScootAPI
import Testing
import Thrift

/// The generated code (Sources/ScootAPI/Generated/Scoot.swift and the AllTypes fixture) encodes,
/// decodes, tolerates unknown input, and serves and calls services as Thrift peers expect.
@Suite struct GeneratedCodeTests {
    static let allTypes = AllTypes(
        flag: true, tiny: -8, small: -300, medium: 70_000, large: -(1 << 40), real: 2.5, text: "héllo", blob: [0, 255, 16],
        inner: Inner(name: "in", count: 3), numbers: [1, -2, 3], words: ["a", "b"], wordSet: ["x", "y"], longSet: [-5, 7],
        counts: ["b": 2, "a": 1], names: [2: "two", 1: "one"], groups: ["g": ["p", "q"], "h": []], matrix: [[1, 2], [], [3]],
        color: .green, optionalText: "opt", requiredNumber: 42, answer: 7, ratio: -0.25, wholeRatio: 3, greeting: "hey",
        enabled: false, shade: .red, offset: nil, tinyDefault: 5, requiredColor: .unrecognized(77),
        colorSet: [.red, .blue, .default, Color.none], innerByColor: [.green: Inner(name: "g", count: 1)],
        inners: [Inner(name: "", count: 0)], boolKeys: [true: "t", false: "f"], blobSet: [[1], [], [2, 3]],
        innerNames: [Inner(name: "k", count: 1): "v"], deeplyNested: [1: ["a": [1, 2]], -1: [:]])

    static let job = JobDefinition(
        tasks: [
            TaskDefinition(command: Command(argv: ["sh", "-c", "true"], envVars: ["B": "2", "A": "1"]), snapshotId: "snap", taskId: "t1", timeoutMs: 1000),
            TaskDefinition(command: Command(argv: ["true"])),
        ],
        DEPRECATED_jobType: .ironTests, defaultTaskTimeoutMs: 5000, priority: 2, tag: "tag", requestor: "ci", jobType: "land")

    static let jobStatus = JobStatus(
        id: "job-1", status: .inProgress, taskStatus: ["a": .completed, "b": .rollingBack],
        taskData: ["a": RunStatus(status: .complete, runId: "r1", exitCode: 0, taskId: "a")])

    // MARK: Round trips

    @Test func allTypesRoundTrips() throws {
        let bytes = Self.allTypes.thriftBytes()
        let decoded = try AllTypes(thriftBytes: bytes)
        #expect(decoded == Self.allTypes)
        #expect(decoded.thriftBytes() == bytes)
        #expect(Self.allTypes.thriftEncodedSize == bytes.count)
        #expect(AllTypes(requiredNumber: 0).thriftEncodedSize == AllTypes(requiredNumber: 0).thriftBytes().count)
    }

    @Test func aMessageTakesTheBytesItsHeaderAndArgumentsSay() throws {
        let arguments = CloudScootMessages.GetStatusResult(success: Self.jobStatus)
        let message = ThriftClientCall.encodeCall(method: "GetStatus", sequenceID: 9, arguments: arguments)
        #expect(message.count == 12 + "GetStatus".utf8.count + arguments.thriftEncodedSize)
        // A hand-written struct without a size (the default, 0) is written all the same.
        #expect(try TApplicationException(thriftBytes: TApplicationException(.unknown, message: "x").thriftBytes()).message == "x")
    }

    @Test func defaultsApplyWhenOnlyTheRequiredFieldIsGiven() throws {
        let minimal = AllTypes(requiredNumber: 0)
        #expect(minimal.flag == nil && minimal.inner == nil && minimal.color == nil && minimal.numbers == nil)
        #expect(minimal.answer == 42 && minimal.ratio == 1.5 && minimal.wholeRatio == 2 && minimal.greeting == "hello")
        #expect(minimal.enabled && minimal.shade == .blue && minimal.offset == -1 && minimal.tinyDefault == -3)
        #expect(minimal.requiredColor == .green)
        #expect(try AllTypes(thriftBytes: minimal.thriftBytes()) == minimal)
    }

    @Test func absentDefaultedFieldsDecodeToTheirDefaults() throws {
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.i32, id: 20)
        writer.writeI32(5)
        writer.writeFieldHeader(.i32, id: 29)
        writer.writeI32(1)
        writer.writeFieldStop()
        let decoded = try AllTypes(thriftBytes: writer.bytes)
        #expect(decoded == AllTypes(requiredNumber: 5, offset: nil, requiredColor: .red))
    }

    @Test func scootValuesRoundTrip() throws {
        #expect(try JobDefinition(thriftBytes: Self.job.thriftBytes()) == Self.job)
        #expect(try JobStatus(thriftBytes: Self.jobStatus.thriftBytes()) == Self.jobStatus)
        #expect(try SchedulerStatus(thriftBytes: SchedulerStatus(currentTasks: 3, maxTasks: -1).thriftBytes()) == SchedulerStatus(currentTasks: 3, maxTasks: -1))
        #expect(try CanNotScheduleNow(thriftBytes: CanNotScheduleNow(retryAfterMs: 1500).thriftBytes()) == CanNotScheduleNow(retryAfterMs: 1500))
        let arguments = CloudScootMessages.RunJobArguments(job: Self.job)
        #expect(try CloudScootMessages.RunJobArguments(thriftBytes: arguments.thriftBytes()) == arguments)
        let result = CloudScootMessages.RunJobResult(cnsn: CanNotScheduleNow(retryAfterMs: 10))
        #expect(try CloudScootMessages.RunJobResult(thriftBytes: result.thriftBytes()) == result)
    }

    @Test func keywordAndCollidingFieldNamesRoundTrip() throws {
        let value = TrickyNames(
            repeat: 1, guard: "g", reader: "r", writer: "w", field: 5, header: [6], key: ["k": [7, 8]], element: [9],
            where: 10, init: .default)
        #expect(try TrickyNames(thriftBytes: value.thriftBytes()) == value)
    }

    // MARK: Tolerance

    @Test func unknownEnumValuesSurviveAsUnrecognized() throws {
        let status = RunStatus(status: RunStatusState(rawValue: 42), runId: "r")
        #expect(status.status == .unrecognized(42))
        let decoded = try RunStatus(thriftBytes: status.thriftBytes())
        #expect(decoded.status == .unrecognized(42))
        #expect(decoded.status.rawValue == 42)
        #expect(decoded.status.name == "42")

        let jobStatus = JobStatus(id: "j", status: Status(rawValue: 99), taskStatus: ["t": Status(rawValue: -3)])
        let decodedJob = try JobStatus(thriftBytes: jobStatus.thriftBytes())
        #expect(decodedJob.status == .unrecognized(99))
        #expect(decodedJob.taskStatus == ["t": .unrecognized(-3)])
        #expect(decodedJob.thriftBytes() == jobStatus.thriftBytes())
    }

    @Test func enumsKnowTheirIDLNamesAndValues() {
        #expect(Status.knownCases == [.notStarted, .inProgress, .completed, .rollingBack, .rolledBack])
        #expect(Status.inProgress.name == "IN_PROGRESS")
        #expect(Status.inProgress.rawValue == 2)
        #expect(Status(name: "ROLLED_BACK") == .rolledBack)
        #expect(Status(name: "rolledBack") == nil)
        #expect("\(RunStatusState.timedout)" == "TIMEDOUT")
        #expect(JobType(rawValue: 2) == .ironTests)
        #expect(Color(rawValue: 2) == .green)
        #expect(Color.none.name == "NONE")
    }

    @Test func unknownFieldsOfEveryKindAreSkipped() throws {
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.struct, id: 7)
        writer.writeStruct(Self.jobStatus)
        writer.writeFieldHeader(.list, id: 8)
        writer.writeListHeader(.string, count: 2)
        writer.writeString("a")
        writer.writeString("b")
        writer.writeFieldHeader(.map, id: 9)
        writer.writeMapHeader(keyType: .i32, valueType: .double, count: 1)
        writer.writeI32(1)
        writer.writeDouble(1.5)
        writer.writeFieldHeader(.i64, id: 2)
        writer.writeI64(-1)
        writer.writeFieldHeader(.string, id: 1)
        writer.writeString("the-id")
        writer.writeFieldHeader(.bool, id: 3)
        writer.writeBool(true)
        writer.writeFieldStop()
        #expect(try JobId(thriftBytes: writer.bytes) == JobId(id: "the-id"))
    }

    @Test func fieldsInAnyOrderAndRepeatedDecodeAsTheLastOneSays() throws {
        // In IDL order, then field 2 again: the in-order reads and the loop agree on the last value.
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.i32, id: 1)
        writer.writeI32(3)
        writer.writeFieldHeader(.string, id: 2)
        writer.writeString("first")
        writer.writeFieldHeader(.string, id: 3)
        writer.writeString("file:///var/scoot/out")
        writer.writeFieldHeader(.string, id: 2)
        writer.writeString("second")
        writer.writeFieldStop()
        #expect(try RunStatus(thriftBytes: writer.bytes) == RunStatus(status: .complete, runId: "second", outUri: "file:///var/scoot/out"))

        // Backwards, with a gap and a repeat of the first field.
        writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.string, id: 9)
        writer.writeString("t")
        writer.writeFieldHeader(.i32, id: 6)
        writer.writeI32(-1)
        writer.writeFieldHeader(.string, id: 2)
        writer.writeString("r")
        writer.writeFieldHeader(.i32, id: 1)
        writer.writeI32(4)
        writer.writeFieldHeader(.string, id: 9)
        writer.writeString("task")
        writer.writeFieldStop()
        #expect(try RunStatus(thriftBytes: writer.bytes) == RunStatus(status: .failed, runId: "r", exitCode: -1, taskId: "task"))
    }

    @Test func aKnownFieldWithTheWrongTypeIsSkipped() throws {
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.string, id: 1)
        writer.writeString("not an i32")
        writer.writeFieldHeader(.string, id: 2)
        writer.writeString("r")
        writer.writeFieldStop()
        #expect(throws: ThriftProtocolError.missingRequiredField(structName: "RunStatus", fieldName: "status")) {
            try RunStatus(thriftBytes: writer.bytes)
        }
    }

    @Test func aContainerWithTheWrongElementTypeIsSkipped() throws {
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.list, id: 10)
        writer.writeListHeader(.string, count: 1)
        writer.writeString("not an i32")
        writer.writeFieldHeader(.map, id: 16)
        writer.writeMapHeader(keyType: .string, valueType: .list, count: 2)
        writer.writeString("kept")
        writer.writeListHeader(.string, count: 1)
        writer.writeString("x")
        writer.writeString("dropped")
        writer.writeListHeader(.i64, count: 1)
        writer.writeI64(1)
        writer.writeFieldHeader(.i32, id: 20)
        writer.writeI32(1)
        writer.writeFieldHeader(.i32, id: 29)
        writer.writeI32(1)
        writer.writeFieldStop()
        let decoded = try AllTypes(thriftBytes: writer.bytes)
        #expect(decoded.numbers == nil)
        #expect(decoded.groups == ["kept": ["x"]])
        #expect(decoded.requiredNumber == 1)
    }

    @Test func aMissingRequiredFieldIsAnError() {
        #expect(throws: ThriftProtocolError.missingRequiredField(structName: "JobId", fieldName: "id")) {
            try JobId(thriftBytes: [ThriftType.stop.rawValue])
        }
        #expect(throws: ThriftProtocolError.missingRequiredField(structName: "RunJobArguments", fieldName: "job")) {
            try CloudScootMessages.RunJobArguments(thriftBytes: [ThriftType.stop.rawValue])
        }
    }

    // MARK: Deterministic encoding

    @Test func mapsAndSetsAreWrittenInAscendingKeyOrder() throws {
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.list, id: 1)
        writer.writeListHeader(.string, count: 0)
        writer.writeFieldHeader(.map, id: 2)
        writer.writeMapHeader(keyType: .string, valueType: .string, count: 3)
        for (key, value) in [("a", "1"), ("b", "2"), ("c", "3")] {
            writer.writeString(key)
            writer.writeString(value)
        }
        writer.writeFieldStop()
        #expect(Command(envVars: ["c": "3", "a": "1", "b": "2"]).thriftBytes() == writer.bytes)

        let sets = AllTypes(longSet: [9, -4, 0], requiredNumber: 0, colorSet: [.blue, .red, .green])
        #expect(try AllTypes(thriftBytes: sets.thriftBytes()).thriftBytes() == sets.thriftBytes())
        var expected = ThriftBinaryWriter()
        expected.writeSetHeader(.i64, count: 3)
        for number: Int64 in [-4, 0, 9] { expected.writeI64(number) }
        #expect(sets.thriftBytes().contains(subsequence: expected.bytes))
    }

    @Test func aMapReadOutOfOrderIsSortedOnceAndItsLastDuplicateWins() throws {
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.map, id: 2)
        writer.writeMapHeader(keyType: .string, valueType: .string, count: 4)
        for (key, value) in [("b", "1"), ("a", "2"), ("b", "3"), ("c", "4")] {
            writer.writeString(key)
            writer.writeString(value)
        }
        writer.writeFieldStop()
        let command = try Command(thriftBytes: writer.bytes)
        #expect(command.envVars?.keys == ["a", "b", "c"])
        #expect(command.envVars == ["a": "2", "b": "3", "c": "4"])
        #expect(command.thriftBytes() == Command(envVars: ["c": "4", "b": "3", "a": "2"]).thriftBytes())

        var sets = ThriftBinaryWriter()
        sets.writeFieldHeader(.i32, id: 20)
        sets.writeI32(0)
        sets.writeFieldHeader(.i32, id: 29)
        sets.writeI32(Color.green.rawValue)
        sets.writeFieldHeader(.set, id: 13)
        sets.writeSetHeader(.i64, count: 4)
        for number: Int64 in [5, -1, 5, 2] { sets.writeI64(number) }
        sets.writeFieldStop()
        #expect(try AllTypes(thriftBytes: sets.bytes).longSet.map(Array.init) == [-1, 2, 5])
    }

    @Test func structsPrintTheirFieldsOnly() {
        let run = RunStatus(status: .complete, runId: "r1", exitCode: 0)
        #expect(String(describing: run) == #"RunStatus(status: COMPLETE, runId: "r1", outUri: nil, errUri: nil, error: nil, exitCode: Optional(0), snapshotId: nil, jobId: nil, taskId: nil, tag: nil)"#)
        #expect(String(describing: JobStatus(id: "j", status: .completed, taskStatus: ["t": .completed])) == #"JobStatus(id: "j", status: COMPLETED, taskStatus: Optional(["t": COMPLETED]), taskData: nil)"#)
        #expect(String(describing: CloudScootMessages.GetSchedulerStatusArguments()) == "GetSchedulerStatusArguments()")
    }

    @Test func exceptionsDescribeTheirSetFields() {
        #expect(InvalidRequest(message: "bad \"job\"").description == #"InvalidRequest(message: "bad \"job\"")"#)
        #expect(InvalidRequest().description == "InvalidRequest()")
        #expect(Problem(code: 3, color: .red).description == "Problem(code: 3, color: RED)")
    }

    // MARK: Services

    private static func scootClient() -> CloudScootClient {
        CloudScootClient(caller: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: ScriptedScheduler())))
    }

    @Test func theProcessorAnswersCallsThroughTheClient() async throws {
        let client = Self.scootClient()
        #expect(try await client.runJob(job: Self.job) == JobId(id: "job-2"))
        #expect(try await client.getStatus(jobId: "job-1") == Self.jobStatus)
        try await client.offlineWorker(req: OfflineWorkerReq(id: "w1", requestor: "me"))
        #expect(try await client.getSchedulerStatus() == SchedulerStatus(currentTasks: 1, maxTasks: 10))
        #expect(try await client.getClassLoadPercents() == ["land": 60, "diff": 40])
        #expect(try await client.getRebalanceThreshold() == 25)
    }

    @Test func aDeclaredExceptionReachesTheCallerAsItself() async throws {
        let client = Self.scootClient()
        await #expect(throws: InvalidRequest(message: "a job needs at least one task")) {
            try await client.runJob(job: JobDefinition(tasks: []))
        }
        await #expect(throws: ScootServerError(retryAfterMs: 500)) {
            try await client.setSchedulerStatus(maxTasks: -2)
        }
    }

    @Test func anUndeclaredErrorBecomesAnInternalError() async throws {
        await #expect(throws: TApplicationException(.internalError, message: "Internal error processing KillJob: job job-1 has already finished")) {
            try await Self.scootClient().killJob(jobId: "job-1")
        }
    }

    @Test func unknownMethodsAndBadArgumentsAreApplicationErrors() async throws {
        let caller = ThriftLoopbackCaller(processor: CloudScootProcessor(handler: ScriptedScheduler()))
        await #expect(throws: TApplicationException(.unknownMethod, message: "Unknown function Nope")) {
            try await caller.call(
                method: "Nope", arguments: CloudScootMessages.GetSchedulerStatusArguments(),
                resultType: CloudScootMessages.GetSchedulerStatusResult.self)
        }
        await #expect(throws: TApplicationException(.protocolError, message: "required field 'job' of RunJobArguments is missing")) {
            try await caller.call(
                method: "RunJob", arguments: CloudScootMessages.GetSchedulerStatusArguments(),
                resultType: CloudScootMessages.RunJobResult.self)
        }
    }

    @Test func aReplyWithNeitherValueNorExceptionIsAMissingResult() async throws {
        let client = CloudScootClient(caller: EmptyResultCaller())
        await #expect(throws: TApplicationException(.missingResult, message: "RunJob failed: unknown result")) {
            try await client.runJob(job: Self.job)
        }
        try await client.offlineWorker(req: OfflineWorkerReq(id: "w", requestor: "r"))
    }

    @Test func aChildServiceServesItsParentsMethodsToo() async throws {
        let client = DerivedClient(caller: ThriftLoopbackCaller(processor: DerivedProcessor(handler: Calculator())))
        try await client.ping()
        #expect(try await client.add(a: 2, b: 3) == 5)
        #expect(try await client.echo(caller: 4, result: 5) == 9)
        #expect(try await client.locate(name: "x", color: .blue, hint: nil) == Inner(name: "x", count: 10))
        await #expect(throws: Problem(message: "no hint", code: 1)) {
            try await client.locate(name: "x", color: .red, hint: Inner(name: "h", count: 0))
        }
        try await client.default(repeat: 1)
    }
}

/// A failure the handler does not declare, so the processor reports it as INTERNAL_ERROR.
private struct SchedulerFailure: Error, CustomStringConvertible {
    var description: String
}

/// A scheduler with canned answers for each CloudScoot method.
private struct ScriptedScheduler: CloudScootHandler {
    func runJob(job: JobDefinition) async throws -> JobId {
        guard !job.tasks.isEmpty else { throw InvalidRequest(message: "a job needs at least one task") }
        return JobId(id: "job-2")
    }

    func getStatus(jobId: String) async throws -> JobStatus { GeneratedCodeTests.jobStatus }

    func killJob(jobId: String) async throws -> JobStatus {
        throw SchedulerFailure(description: "job \(jobId) has already finished")
    }

    func offlineWorker(req: OfflineWorkerReq) async throws {}

    func reinstateWorker(req: ReinstateWorkerReq) async throws {}

    func getSchedulerStatus() async throws -> SchedulerStatus { SchedulerStatus(currentTasks: 1, maxTasks: 10) }

    func setSchedulerStatus(maxTasks: Int32) async throws {
        guard maxTasks >= -1 else { throw ScootServerError(retryAfterMs: 500) }
    }

    func getClassLoadPercents() async throws -> ThriftMap<String, Int32> { ["land": 60, "diff": 40] }

    func setClassLoadPercents(loadPercents: ThriftMap<String, Int32>) async throws {}

    func getRequestorToClassMap() async throws -> ThriftMap<String, String> { [:] }

    func setRequestorToClassMap(requestorToClassMap: ThriftMap<String, String>) async throws {}

    func getRebalanceMinimumDuration() async throws -> Int32 { 4 }

    func setRebalanceMinimumDuration(durationMin: Int32) async throws {}

    func getRebalanceThreshold() async throws -> Int32 { 25 }

    func setRebalanceThreshold(threshold: Int32) async throws {}
}

/// A caller whose every reply is a result struct with nothing set.
private struct EmptyResultCaller: ThriftCaller {
    func call<Arguments: ThriftStruct, Result: ThriftStruct>(
        method: String, arguments: Arguments, resultType: Result.Type
    ) async throws -> Result {
        try Result(thriftBytes: [ThriftType.stop.rawValue])
    }
}

/// Implements the fixture's `Derived` service and the `Base` service it extends.
private struct Calculator: DerivedHandler {
    func ping() async throws {}

    func add(a: Int32, b: Int32) async throws -> Int32 { a + b }

    func locate(name: String, color: Color, hint: Inner?) async throws -> Inner {
        if hint != nil { throw Problem(message: "no hint", code: 1) }
        return Inner(name: name, count: color.rawValue)
    }

    func echo(caller: Int32, result: Int32) async throws -> Int32 { caller + result }

    func `default`(repeat: Int32) async throws {}
}

extension Array where Element == UInt8 {
    /// Whether `subsequence` occurs contiguously in the array.
    fileprivate func contains(subsequence: [UInt8]) -> Bool {
        guard subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { self[$0..<$0 + subsequence.count].elementsEqual(subsequence) }
    }
}
