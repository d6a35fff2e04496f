import Foundation
import ScootAPI
import Testing
import Thrift
@testable import ScootCLI

@Suite("--json and text output")
struct RenderingTests {
    static let status = JobStatus(
        id: "j1", status: .inProgress, taskStatus: ["b": .inProgress, "a": .completed],
        taskData: [
            "a": RunStatus(status: .complete, runId: "7", outUri: "file:///o", errUri: "file:///e", exitCode: 0, snapshotId: "", jobId: "j1", taskId: "a"),
            "b": RunStatus(status: .running, runId: "8"),
        ])

    @Test func jobStatusAsScootclJSON() {
        #expect(JSONRendering.json(Self.status).rendered == #"{"id":"j1","status":"IN_PROGRESS","taskStatus":{"a":"COMPLETED","b":"IN_PROGRESS"},"taskData":{"a":{"status":"COMPLETE","runId":"7","outUri":"file:///o","errUri":"file:///e","exitCode":0,"snapshotId":"","jobId":"j1","taskId":"a"},"b":{"status":"RUNNING","runId":"8"}}}"#)
        #expect(JSONRendering.json(JobStatus(id: "x", status: .notStarted)).rendered == #"{"id":"x","status":"NOT_STARTED"}"#, "unset optionals are left out")
        #expect(JSONRendering.json(JobStatus(id: "x", status: .notStarted, taskStatus: [:], taskData: [:])).rendered == #"{"id":"x","status":"NOT_STARTED","taskStatus":{},"taskData":{}}"#)
    }

    @Test func schedulerStatusAndAlgorithmParameters() {
        #expect(JSONRendering.json(SchedulerStatus(currentTasks: 3, maxTasks: -1)).rendered == #"{"currentTasks":3,"maxTasks":-1}"#)
        let parameters = SchedulingAlgorithmParameters(
            classLoadPercents: ["land": 60, "diff": 40], requestorMap: [".*": "diff", "^land": "land"], rebalanceMinimumDuration: 4, rebalanceThreshold: 0)
        #expect(JSONRendering.json(parameters).rendered == #"{"ClassLoadPercents":{"diff":40,"land":60},"RequestorMap":{".*":"diff","^land":"land"},"RebalanceMinimumDuration":4,"RebalanceThreshold":0}"#)
        #expect(TextRendering.text(parameters) == """
            Class Load Percents:
            diff : 40
            land : 60
            Requestor (reg exp) to class map:
            .* : diff
            ^land : land
            Rebalance Duration: 4  (minutes)
            Rebalance Threshold: 0
            """)
    }

    @Test func extensionListsAndEscaping() {
        let job = JobSummary(
            id: "j", requestor: "r\"q", className: "c", tag: "t\n", basis: "", priority: 1, status: .completed, killed: true, waitingTasks: 0,
            runningTasks: 0, completedTasks: 2, failedTasks: 1, submittedAtMs: 10, endedAtMs: 20)
        #expect(JSONRendering.json([job]).rendered == #"[{"id":"j","requestor":"r\"q","className":"c","tag":"t\n","basis":"","priority":1,"status":"COMPLETED","killed":true,"waitingTasks":0,"runningTasks":0,"completedTasks":2,"failedTasks":1,"submittedAtMs":10,"endedAtMs":20}]"#)
        let worker = WorkerInfo(id: "w", state: .busy, currentJobId: "j", currentTaskId: "t", lastSnapshotId: "", tasksRun: 3)
        #expect(JSONRendering.json([worker]).rendered == #"[{"id":"w","state":"BUSY","currentJobId":"j","currentTaskId":"t","lastSnapshotId":"","tasksRun":3}]"#)
        #expect(JSONValue.string("\u{01}é").rendered == "\"\\u0001é\"")
        #expect(TextRendering.text([worker]) == "ID  STATE  JOB  TASK  RUNS  SNAPSHOT\nw   BUSY   j    t     3     -")
    }

    @Test func jobStatusAsText() {
        #expect(TextRendering.text(Self.status) == """
            Job j1: IN_PROGRESS
              a: COMPLETED  run 7 COMPLETE, exit 0, stdout file:///o, stderr file:///e
              b: IN_PROGRESS  run 8 RUNNING
            """)
        #expect(TextRendering.text(SchedulerStatus(currentTasks: 0, maxTasks: 5)) == "Current tasks: 0\nMax tasks: 5")
    }

    @Test func jobDefinitionInScootclsFormatForTheAuditLog() {
        let job = JobDefinition(tasks: [TaskDefinition(command: Command(argv: ["echo"]), taskId: "task1")], tag: "")
        #expect(JSONRendering.json(job).rendered == #"{"Tasks":[{"Args":["echo"],"EnvVars":{},"SnapshotID":"","TimeoutMs":0,"TaskID":"task1"}],"DefaultTaskTimeoutMs":0,"Priority":0,"Tag":"","Basis":"","JobType":"","Requestor":""}"#)
        let reparsed = try? JobDefinitionFile.parse(JSONRendering.json(job).rendered, path: "audit")
        #expect(reparsed.map { JSONRendering.json($0).rendered } == JSONRendering.json(job).rendered, "the audit log's job reads back as a --job-def file")
    }
}

@Suite("Exit codes")
struct ExitCodeTests {
    private func classify(_ error: any Error) -> CLIFailure { CLIFailure(classifying: error, endpoint: "h:1") }

    @Test func theServerSaidNoIs1WithItsTextVerbatim() {
        #expect(classify(TApplicationException(.internalError, message: "Internal error processing KillJob: cannot kill Job Id x, not found."))
            == CLIFailure(.refusedByServer, "Internal error processing KillJob: cannot kill Job Id x, not found."))
        #expect(classify(InvalidRequest(message: "invalid priority 5, must be between 0-2 inclusive"))
            == CLIFailure(.refusedByServer, "the scheduler refused the request (InvalidRequest): invalid priority 5, must be between 0-2 inclusive"))
        #expect(classify(CanNotScheduleNow(retryAfterMs: 1000)).message == "the scheduler cannot schedule the job now (CanNotScheduleNow); retry after 1000 ms")
        #expect(classify(ScootServerError()).exitCode == .refusedByServer)
        #expect(classify(NotSupportedByServer(method: "ListJobs")).message.contains("does not support ListJobs"))
        #expect(classify(NotSupportedByServer(method: "ListJobs")).exitCode == .refusedByServer)
    }

    @Test func unreachableIs3AndSaysWhatToDo() {
        let refused = classify(ThriftTransportError.connectFailed(endpoint: "h:1", reason: "connection reset (error set): Connection refused (errno: 111)"))
        #expect(refused == CLIFailure(.unreachable, "cannot reach h:1: connection refused; is the scheduler running? pass --addr HOST:PORT or set ~/.cloudscootaddr"))
        #expect(classify(ThriftTransportError.connectTimedOut(endpoint: "h:1", seconds: 5)).message.hasPrefix("cannot reach h:1: no connection within 5 s (--timeout)"))
        #expect(classify(ThriftTransportError.callTimedOut(method: "GetStatus", seconds: 1.5)).message.hasPrefix("h:1 did not answer GetStatus within 1.5 s"))
        #expect(classify(ThriftTransportError.connectionClosed).exitCode == .unreachable)
        #expect(classify(ThriftProtocolError.negativeSize(-1)).exitCode == .unreachable)
    }

    /// Pointing --addr at the metrics port gave "method name length of 1213486160 exceeds the limit".
    @Test func anHTTPAnswerSaysWhichPortToUse() {
        let http = classify(ThriftTransportError.badReply("method name length of 1213486160 exceeds the limit of 16777216"))
        #expect(http.exitCode == .unreachable)
        #expect(http.message.hasPrefix("h:1: it answered in HTTP, not Thrift: is that the scheduler's HTTP port (9091) rather than its Thrift port (9090)?"))
    }

    @Test func codesAreDistinctAndDocumented() {
        #expect(CLIExitCode.allCases.map(\.rawValue) == [0, 1, 2, 3, 4, 5])
        #expect(CLIExitCode.summary.contains("4 the job finished with failed"))
    }

    @Test func watchOutcomeFromTheTasks() {
        func status(_ job: Status, _ runs: ThriftMap<String, RunStatus>) -> JobStatus {
            JobStatus(id: "j", status: job, taskStatus: runs.mapValues { _ in .completed }, taskData: runs)
        }
        let ok = RunStatus(status: .complete, runId: "1", exitCode: 0)
        #expect(CLISession.outcome(of: status(.completed, ["a": ok, "b": ok])) == .ok)
        #expect(CLISession.outcome(of: status(.completed, ["a": ok, "b": RunStatus(status: .complete, runId: "2", exitCode: 1)])) == .jobFailed)
        #expect(CLISession.outcome(of: status(.completed, ["a": RunStatus(status: .timedout, runId: "2")])) == .jobFailed)
        #expect(CLISession.outcome(of: status(.completed, ["a": RunStatus(status: .aborted, runId: "2"), "b": RunStatus(status: .failed, runId: "3")])) == .jobFailed)
        #expect(CLISession.outcome(of: status(.completed, ["a": ok, "b": RunStatus(status: .aborted, runId: "2")])) == .jobAborted)
        #expect(CLISession.outcome(of: status(.rolledBack, ["a": ok])) == .jobAborted)
    }

    @Test func addressFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("scootcli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["HOME": directory.path, "SCOOT_ID": "prod"]
        #expect(try CloudScootAddress.resolve(environment: environment) == HostAndPort(host: "127.0.0.1", port: 9090))
        try "sched.example:9999\napi.example:9094\n".write(to: directory.appendingPathComponent(".cloudscootaddrprod"), atomically: true, encoding: .utf8)
        #expect(try CloudScootAddress.resolve(environment: environment) == HostAndPort(host: "sched.example", port: 9999))
        #expect(try CloudScootAddress.resolve(flag: "[::1]:1", environment: environment) == HostAndPort(host: "::1", port: 1))
        try "not an address\n".write(to: directory.appendingPathComponent(".cloudscootaddrprod"), atomically: true, encoding: .utf8)
        #expect(throws: CLIFailure.self) { try CloudScootAddress.resolve(environment: environment) }
        #expect(throws: CLIFailure.self) { try CloudScootAddress.resolve(flag: "nope", environment: environment) }
    }
}
