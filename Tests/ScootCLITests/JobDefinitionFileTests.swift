import ScootAPI
import Testing
@testable import ScootCLI

@Suite("run-job input: scootcl's --job_def format and the command line")
struct JobDefinitionFileTests {
    private func parse(_ text: String) throws(CLIFailure) -> JobDefinition {
        try JobDefinitionInput(argv: [], file: .init(path: "job.json", contents: text)).jobDefinition()
    }

    private func failure(_ text: String) -> CLIFailure? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func scootclsExampleWithCaseInsensitiveKeys() throws {
        let job = try parse("""
            {"tasks": [{"ARGS": ["sh", "-c", "echo hi"], "envvars": {"A": "1"}, "SnapshotId": "snap-1", "timeoutms": 5000, "taskid": "t1"},
                       {"Args": ["true"], "TaskID": "t2", "TimeoutMs": 0}],
             "defaultTaskTimeoutMS": 0, "priority": 2, "TAG": "tg", "basis": "b", "jobtype": "ci", "Requestor": "land-x"}
            """)
        #expect(job.tasks.count == 2)
        #expect(job.tasks[0] == TaskDefinition(command: Command(argv: ["sh", "-c", "echo hi"], envVars: ["A": "1"]), snapshotId: "snap-1", taskId: "t1", timeoutMs: 5000))
        #expect(job.tasks[1].timeoutMs == nil, "a zero timeout is not sent")
        #expect(job.tasks[1].command.envVars == [:], "missing EnvVars become an empty map, as scootcl")
        #expect(job.tasks[1].snapshotId == "")
        #expect(job.defaultTaskTimeoutMs == nil, "a zero default timeout is not sent")
        #expect(job.priority == 2)
        #expect(job.tag == "tg")
        #expect(job.basis == "b")
        #expect(job.jobType == "ci")
        #expect(job.requestor == "land-x")
    }

    @Test func nullLeavesTheZeroValueAsGo() throws {
        let job = try parse(#"{"Tasks": [{"Args": null, "TaskID": "t", "TimeoutMs": null}], "Tag": null, "Priority": null}"#)
        #expect(job.tasks[0].command.argv.isEmpty)
        #expect(job.tag == "")
        #expect(job.priority == 0)
    }

    @Test func badJSONNamesLineAndColumn() {
        let message = failure("{\n  \"Tasks\": [\n    {\"Args\": [\"a\",]}\n  ]\n}")?.message
        #expect(message == "job.json: not valid JSON: line 3, column 19: unexpected character ']', expected a value; fix the file (format: docs/cli.md#run-job)")
        #expect(failure("{\"Tasks\": []")?.message.contains("line 1, column 13: expected ',' or '}' in an object") == true)
        #expect(failure("")?.message.contains("line 1, column 1: unexpected end of input") == true)
        #expect(failure("{\"Tag\": \"a\", \"tag\": \"b\"}")?.message.contains("gives Tag twice") == true)
    }

    @Test func unknownKeysAreNamed() {
        #expect(failure(#"{"Tasks": [], "Priorty": 1}"#)?.message
            == "job.json: unknown key \"Priorty\" in the top level; known keys: Tasks, DefaultTaskTimeoutMs, Priority, Tag, Basis, JobType, Requestor; fix the file (format: docs/cli.md#run-job)")
        #expect(failure(#"{"Tasks": [{"Args": ["x"], "Timeout": 5}]}"#)?.message.contains("unknown key \"Timeout\" in Tasks[0]; known keys: Args, EnvVars, SnapshotID, TimeoutMs, TaskID") == true)
    }

    @Test func wrongTypesNameTheKeyAndTheExpectedType() {
        #expect(failure(#"{"Tasks": [{"Args": ["x"], "TimeoutMs": "5s"}]}"#)?.message.contains("Tasks[0].TimeoutMs: expected a whole number (int32), got a string") == true)
        #expect(failure(#"{"Tasks": [{"Args": ["x"], "TimeoutMs": 1.5}]}"#)?.message.contains("Tasks[0].TimeoutMs: expected a whole number from -2147483648 to 2147483647, got 1.5") == true)
        #expect(failure(#"{"Priority": 3000000000}"#)?.message.contains("Priority: expected a whole number from") == true)
        #expect(failure(#"{"Tasks": [{"Args": "echo hi"}]}"#)?.message.contains("Tasks[0].Args: expected an array of strings, got a string") == true)
        #expect(failure(#"{"Tasks": [{"Args": ["echo", 1]}]}"#)?.message.contains("Tasks[0].Args[1]: expected a string, got a number") == true)
        #expect(failure(#"{"Tasks": [{"EnvVars": {"A": 1}}]}"#)?.message.contains("Tasks[0].EnvVars.A: expected a string, got a number") == true)
        #expect(failure(#"{"Tasks": {"Args": []}}"#)?.message.contains("Tasks: expected an array of task objects, got an object") == true)
        #expect(failure(#"{"Tag": ["a"]}"#)?.message.contains("Tag: expected a string, got an array") == true)
        #expect(failure(#"[1]"#)?.message.contains("the top level: expected an object, got an array") == true)
        #expect(failure(#"{"Tasks": [{"Args": []}]}"#)?.exitCode == nil, "an empty Args is the server's to refuse, as in scootcl")
    }

    @Test func argvAndAFileTogetherIsScootclsError() {
        let input = JobDefinitionInput(argv: ["echo"], file: .init(path: "job.json", contents: "{}"))
        #expect(throws: CLIFailure.usage("You must provide either args or a job definition: give a command line or --job-def FILE, not both")) {
            try input.jobDefinition()
        }
        #expect(throws: CLIFailure.self) { try JobDefinitionInput(argv: []).jobDefinition() }
    }

    @Test func argvIsOneTaskNamedTask1() throws {
        let job = try JobDefinitionInput(argv: ["echo", "hi"], snapshotID: "s-1", tag: "t", requestor: "me", priority: 1).jobDefinition()
        #expect(job == JobDefinition(
            tasks: [TaskDefinition(command: Command(argv: ["echo", "hi"]), snapshotId: "s-1", taskId: "task1")], priority: 1, tag: "t", requestor: "me"))
        let bare = try JobDefinitionInput(argv: ["true"]).jobDefinition()
        #expect(bare.requestor == nil && bare.priority == nil && bare.tag == "", "unset flags are not sent, the tag is sent empty as scootcl")
    }

    @Test func flagsFillWhatTheFileLeavesEmpty() throws {
        let input = JobDefinitionInput(
            argv: [], file: .init(path: "j", contents: #"{"Tasks": [{"Args": ["a"], "TaskID": "1"}, {"Args": ["b"], "TaskID": "2", "SnapshotID": "own"}], "Tag": "file"}"#),
            snapshotID: "flag", tag: "flag", requestor: "flag", priority: 2)
        let job = try input.jobDefinition()
        #expect(job.tag == "file")
        #expect(job.requestor == "flag")
        #expect(job.priority == 2)
        #expect(job.tasks.map(\.snapshotId) == ["flag", "own"])
    }

    @Test func settingsFiles() throws {
        #expect(try SchedulingSettingsFiles.classLoadPercents(#"{"land": 60, "diff": 40}"#, path: "p") == ["land": 60, "diff": 40])
        #expect(try SchedulingSettingsFiles.requestorToClassMap(#"{"^land": "land"}"#, path: "m") == ["^land": "land"])
        #expect(throws: CLIFailure.usage(#"p: class "land": expected a whole number (percent), got 60.5; fix the file"#)) {
            try SchedulingSettingsFiles.classLoadPercents(#"{"land": 60.5}"#, path: "p")
        }
        #expect(throws: CLIFailure.usage(#"m: expected a JSON object such as {"^land-.*": "land", ".*": "diff"}, got an array; fix the file"#)) {
            try SchedulingSettingsFiles.requestorToClassMap(#"["land"]"#, path: "m")
        }
    }
}
