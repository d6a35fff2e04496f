import TestSupport
import ScootAPI
import Testing
import Thrift

/// Our CloudScoot client against a server built with Apache Thrift's Python `TSimpleServer`
/// (Tests/Interop/python_server.py, whose handler answers deterministically).
@Suite("Our client against Apache Thrift's Python server")
struct PythonServerInteropTests {
    @Test(arguments: [ThriftFraming.unframed, .framed])
    func everyRPCAgainstPython(framing: ThriftFraming) async throws {
        let server = try await PythonServerProcess(framed: framing == .framed)
        defer { server.stop() }
        let client = CloudScootClient(host: "127.0.0.1", port: server.port, framing: framing, connectTimeout: .seconds(10), callTimeout: .seconds(10))

        // 1 RunJob: value and declared exception.
        let job = JobDefinition(
            tasks: [TaskDefinition(command: Command(argv: ["echo", "hi"], envVars: ["A": "1"]), snapshotId: "s", taskId: "t1", timeoutMs: 5)],
            priority: 2, requestor: "ci")
        #expect(try await client.runJob(job: job) == JobId(id: "job-1:echo:ci:2"))
        await #expect(throws: InvalidRequest(message: "no tasks")) { try await client.runJob(job: JobDefinition(tasks: [])) }

        // 2 GetStatus: full value, both declared exceptions, and an undeclared Python error.
        let status = try await client.getStatus(jobId: "j")
        #expect(status.id == "j")
        #expect(status.status == .inProgress)
        #expect(status.taskStatus == ["t1": .completed, "t2": .inProgress])
        #expect(status.taskData == ["t1": RunStatus(
            status: .complete, runId: "run-1", outUri: "file:///out", errUri: "file:///err", exitCode: 3,
            snapshotId: "snap", jobId: "j", taskId: "t1", tag: "tag")])
        await #expect(throws: ScootServerError(retryAfterMs: 1500)) { try await client.getStatus(jobId: "unavailable") }
        await #expect(throws: InvalidRequest(message: "empty id")) { try await client.getStatus(jobId: "") }
        await #expect(throws: TApplicationException(.internalError, message: "Internal error")) { try await client.getStatus(jobId: "crash") }

        // 3 KillJob.
        #expect(try await client.killJob(jobId: "k").status == .completed)

        // 4, 5 Offline and reinstate.
        try await client.offlineWorker(req: OfflineWorkerReq(id: "w1", requestor: "admin"))
        await #expect(throws: InvalidRequest(message: "requestor bob unauthorized to offline worker")) {
            try await client.offlineWorker(req: OfflineWorkerReq(id: "w1", requestor: "bob"))
        }
        try await client.reinstateWorker(req: ReinstateWorkerReq(id: "w1", requestor: "admin"))
        await #expect(throws: ScootServerError(retryAfterMs: 7)) {
            try await client.reinstateWorker(req: ReinstateWorkerReq(id: "w1", requestor: "admin"))
        }

        // 6, 7 Scheduler status.
        try await client.setSchedulerStatus(maxTasks: 25)
        #expect(try await client.getSchedulerStatus() == SchedulerStatus(currentTasks: 1, maxTasks: 25))
        await #expect(throws: InvalidRequest(message: "bad limit")) { try await client.setSchedulerStatus(maxTasks: -3) }

        // 8, 9 Class load percents.
        #expect(try await client.getClassLoadPercents() == ["land": 40, "diff": 60])
        try await client.setClassLoadPercents(loadPercents: ["land": 70, "diff": 30])
        #expect(try await client.getClassLoadPercents() == ["land": 70, "diff": 30])

        // 10, 11 Requestor map.
        #expect(try await client.getRequestorToClassMap() == ["land.*": "land"])
        try await client.setRequestorToClassMap(requestorToClassMap: ["ci.*": "diff", "land.*": "land"])
        #expect(try await client.getRequestorToClassMap() == ["ci.*": "diff", "land.*": "land"])

        // 12-15 Rebalance settings, and a void method's declared exception.
        #expect(try await client.getRebalanceMinimumDuration() == 4)
        try await client.setRebalanceMinimumDuration(durationMin: 9)
        #expect(try await client.getRebalanceMinimumDuration() == 9)
        #expect(try await client.getRebalanceThreshold() == 0)
        try await client.setRebalanceThreshold(threshold: 30)
        #expect(try await client.getRebalanceThreshold() == 30)
        await #expect(throws: ScootServerError(retryAfterMs: nil)) { try await client.setRebalanceThreshold(threshold: 999) }
        #expect(try await client.getRebalanceThreshold() == 30)
    }
}
