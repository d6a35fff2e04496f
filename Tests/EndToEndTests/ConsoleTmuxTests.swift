import Dispatch
import Glibc
import Foundation
import ScootAPI
import Testing

/// The real console binary in tmux against a real `serve`: kill a job with keys, confirm through
/// the Thrift API that it was killed and in the audit log that it was recorded.
@Suite("Console in tmux against serve", .serialized)
struct ConsoleTmuxTests {
    /// Runs tmux with posix_spawn and waitpid on its own pid, on a Dispatch thread. (Foundation's
    /// Process sometimes never noticed the exit of `tmux new-session -d` inside the test runner.)
    /// Output goes to a file: the tmux server it starts inherits whatever the client had open.
    private func tmux(_ arguments: [String]) async -> String {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString).txt").path
                defer { unlink(output) }
                var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                defer { posix_spawn_file_actions_destroy(&actions) }
                posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
                let argv = (["tmux"] + arguments).map { strdup($0) } + [nil]
                defer { argv.forEach { free($0) } }
                var pid: pid_t = 0
                guard posix_spawnp(&pid, "tmux", &actions, nil, argv, environ) == 0 else {
                    continuation.resume(returning: "")
                    return
                }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
            }
        }
    }

    @Test func killAJobWithKeys() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try await ServeProcess(dataDirectory: data, workers: 2)
        let client = CloudScootClient(host: "127.0.0.1", port: server.port, connectTimeout: .seconds(5), callTimeout: .seconds(10))
        let job = try await client.runJob(job: JobDefinition(
            tasks: (0..<3).map { TaskDefinition(command: Command(argv: ["sleep", "30"]), taskId: "t\($0)") }, requestor: "land-tmux")).id

        let session = "scoot-e2e-\(getpid())"
        let auditLog = data.appendingPathComponent("audit.jsonl").path
        let command = "env TERM=tmux-256color LANG=C.UTF-8 XDG_STATE_HOME=\(data.path) SCOOT_CONSOLE_AUDIT_LOG=\(auditLog) \(ServeProcess.binary.path) --connect 127.0.0.1:\(server.port); sleep 30"
        _ = await tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command])

        var screen = ""
        for _ in 0..<100 where !screen.contains(String(job.prefix(8))) {
            try await Task.sleep(for: .milliseconds(100))
            screen = await tmux(["capture-pane", "-p", "-t", session])
        }
        #expect(screen.contains(String(job.prefix(8))), "the job never appeared:\n\(screen)")
        _ = await tmux(["send-keys", "-t", session, "x"])
        for _ in 0..<50 where !screen.contains("[ Kill ]") {
            try await Task.sleep(for: .milliseconds(100))
            screen = await tmux(["capture-pane", "-p", "-t", session])
        }
        #expect(screen.contains("Confirm") && screen.contains(job), "the confirmation must name the job:\n\(screen)")
        _ = await tmux(["send-keys", "-t", session, "Tab", "Enter"])
        var status = try await client.getStatus(jobId: job)
        for _ in 0..<100 where status.status != .completed {
            try await Task.sleep(for: .milliseconds(100))
            status = try await client.getStatus(jobId: job)
        }
        #expect(status.status == .completed)
        #expect(status.taskData?.values.allSatisfy { $0.status == .aborted && ($0.error ?? "").hasPrefix("UserRequested") } == true)
        var audit = ""
        for _ in 0..<50 where !audit.contains("\"outcome\":\"ok\"") {
            try await Task.sleep(for: .milliseconds(100))
            audit = (try? String(contentsOfFile: auditLog, encoding: .utf8)) ?? ""
        }
        #expect(audit.contains("\"action\":\"kill-job\"") && audit.contains(job) && audit.contains("\"outcome\":\"ok\"") && audit.contains("\"source\":\"console\""),
                "the kill must be in the audit log:\n\(audit)")
        _ = await tmux(["send-keys", "-t", session, "q"])
        _ = await tmux(["kill-session", "-t", session])
        await server.stop()
    }

    /// The on-call drill of the console-model issue, at 120×40 with 200 jobs: the cursor walks
    /// down the screen and only then scrolls, PgDn pages by the visible height, help finds the
    /// kill key and shows the last `:` command, the command line edits in place, and a kill
    /// confirmed just before quitting leaves a complete audit line.
    @Test func twoHundredJobsTheCursorHelpTheCommandLineAndAKillBeforeQuitting() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try await ServeProcess(dataDirectory: data, workers: 1)
        let client = CloudScootClient(host: "127.0.0.1", port: server.port, connectTimeout: .seconds(5), callTimeout: .seconds(10))
        for index in 0..<200 {
            _ = try await client.runJob(job: JobDefinition(
                tasks: [TaskDefinition(command: Command(argv: ["sleep", "30"]), taskId: "t")], tag: "drill-\(index)", requestor: "land-\(index % 10)"))
        }
        let session = "scoot-drill-\(getpid())"
        let auditLog = data.appendingPathComponent("audit.jsonl").path
        let command = "env TERM=tmux-256color LANG=C.UTF-8 XDG_STATE_HOME=\(data.path) SCOOT_CONSOLE_AUDIT_LOG=\(auditLog) \(ServeProcess.binary.path) --connect 127.0.0.1:\(server.port); sleep 30"
        _ = await tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command])
        defer { Task { _ = await tmux(["kill-session", "-t", session]) } }
        func lines(_ screen: String) -> [String] { screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        /// The ID cell of screen line `line` (rows start on line 5 under the table header).
        func idCell(_ screen: String, _ line: Int) -> String { String(lines(screen)[line].prefix(16)) }

        let first = try await screen(session, showing: ["Jobs (200)", "row 1/200"])
        #expect(first.contains("Jobs (200)"), "\(first)")
        let visible = 32  // 40 rows: header 2, tabs 1, frame 2, table header 1, flash 1, hints 1
        _ = await tmux(["send-keys", "-t", session, String(repeating: "j", count: visible - 1)])
        let atBottom = try await screen(session, showing: ["row \(visible)/200"])
        #expect(atBottom.contains("row \(visible)/200"), "\(atBottom)")
        #expect(idCell(atBottom, 5) == idCell(first, 5), "the view did not move while the cursor walked down the screen")
        _ = await tmux(["send-keys", "-t", session, "j"])
        let scrolled = try await screen(session, showing: ["row \(visible + 1)/200"])
        #expect(idCell(scrolled, 5) == idCell(first, 6), "on the last visible row the next j scrolls by one")
        _ = await tmux(["send-keys", "-t", session, String(repeating: "j", count: 60 - visible)])
        let sixty = try await screen(session, showing: ["row 61/200"])
        #expect(sixty.contains("row 61/200") && idCell(sixty, 5) == idCell(first, 5 + 60 - visible + 1), "\(sixty)")
        _ = await tmux(["send-keys", "-t", session, "PageDown"])
        let paged = try await screen(session, showing: ["row \(61 + visible)/200"])
        #expect(paged.contains("row \(61 + visible)/200"), "PgDn moves by the visible height:\n\(paged)")

        _ = await tmux(["send-keys", "-t", session, "?"])
        _ = try await screen(session, showing: ["Help — Jobs"])
        _ = await tmux(["send-keys", "-t", session, "/kill", "Enter"])
        let found = try await screen(session, showing: ["kill job (or marked jobs)"])
        #expect(found.contains("kill job (or marked jobs)"), "/kill in help finds the kill key:\n\(found)")
        _ = await tmux(["send-keys", "-t", session, "G"])
        let end = try await screen(session, showing: [":quit"])
        #expect(end.contains(":quit"), "G shows the last : command:\n\(end)")
        _ = await tmux(["send-keys", "-t", session, "Escape"])

        _ = await tmux(["send-keys", "-t", session, ":thresh", "Left", "Left", "o"])
        let edited = try await screen(session, showing: [":threosh"])
        #expect(lines(edited).contains { $0.hasPrefix(":threosh") }, "the command line edits in place:\n\(edited)")
        _ = await tmux(["send-keys", "-t", session, "Escape"])

        _ = await tmux(["send-keys", "-t", session, "x"])
        _ = try await screen(session, showing: ["[ Kill ]"])
        _ = await tmux(["send-keys", "-t", session, "Tab", "Enter", "q"])
        var audit = ""
        // Up to 15 s, as for a screen: the suite runs beside other load tests on two cores.
        for _ in 0..<150 where !(audit.contains("\"outcome\":\"sent\"") && (audit.contains("\"outcome\":\"ok\"") || audit.contains("\"outcome\":\"unknown\""))) {
            try await Task.sleep(for: .milliseconds(100))
            audit = (try? String(contentsOfFile: auditLog, encoding: .utf8)) ?? ""
        }
        let entries = audit.split(separator: "\n").filter { $0.contains("\"action\":\"kill-job\"") }
        #expect(entries.count == 2 && entries[0].contains("\"outcome\":\"sent\""), "sent on confirm:\n\(audit)")
        #expect(entries.count == 2 && (entries[1].contains("\"outcome\":\"ok\"") || entries[1].contains("\"outcome\":\"unknown\"")),
                "completed at quit:\n\(audit)")
        await server.stop()
    }

    /// Issue 15's "done when", end to end: the console records a session in which a job is killed
    /// and the rebalance threshold changed; after it quits, `replay --dump` shows the cluster as it
    /// was with both actions in the audit entries, and `replay` in tmux shows the time bar with
    /// their marks and plays.
    @Test func aSessionIsRecordedAndReplayedWithItsKillAndItsChange() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-tmux-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try await ServeProcess(dataDirectory: data.appendingPathComponent("serve"), workers: 2)
        let client = CloudScootClient(host: "127.0.0.1", port: server.port, connectTimeout: .seconds(5), callTimeout: .seconds(10))
        let job = try await client.runJob(job: JobDefinition(
            tasks: (0..<3).map { TaskDefinition(command: Command(argv: ["sleep", "30"]), taskId: "t\($0)") }, requestor: "land-replay")).id
        let session = "scoot-record-\(getpid())"
        let state = data.appendingPathComponent("state").path
        let environment = "env TERM=tmux-256color LANG=C.UTF-8 XDG_STATE_HOME=\(state) SCOOT_CONSOLE_AUDIT_LOG=\(state)/audit.jsonl"
        _ = await tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                        "\(environment) \(ServeProcess.binary.path) --connect 127.0.0.1:\(server.port); sleep 30"])
        defer { Task { _ = await tmux(["kill-session", "-t", session]) } }
        _ = try await screen(session, showing: [String(job.prefix(8))])
        _ = await tmux(["send-keys", "-t", session, "x"])
        _ = try await screen(session, showing: ["[ Kill ]"])
        _ = await tmux(["send-keys", "-t", session, "Tab", "Enter"])
        _ = try await screen(session, showing: ["killed"])
        _ = await tmux(["send-keys", "-t", session, "t"])
        _ = try await screen(session, showing: ["Rebalance threshold"])
        _ = await tmux(["send-keys", "-t", session, "C-u", "30", "Enter"])
        _ = try await screen(session, showing: ["Confirm"])
        _ = await tmux(["send-keys", "-t", session, "Tab", "Enter"])
        let changed = try await screen(session, showing: ["rebalance 30pp"])
        #expect(changed.contains("rebalance 30pp"), "the threshold change reached the scheduler:\n\(changed)")
        try await Task.sleep(for: .seconds(3))  // a few more polls on record
        _ = await tmux(["send-keys", "-t", session, "q"])
        _ = await tmux(["kill-session", "-t", session])
        await server.stop()

        // Without a terminal: the last moment, its Audit pane, and the Jobs pane with the kill.
        let recordings = state + "/scoot-console/recordings"
        let audit = await runBinary(["replay", recordings, "--dump=-0s", "--pane", "audit", "--utc"])
        #expect(audit.status == 0, "\(audit.output)")
        #expect(audit.output.contains("kill-job") && audit.output.contains(job), "the kill is in the recorded audit entries:\n\(audit.output)")
        #expect(audit.output.contains("set-rebalance-threshold") && audit.output.contains("30"), "\(audit.output)")
        // A time from the end is the option's value, though it starts with a dash.
        let jobs = await runBinary(["replay", recordings, "--dump", "-0s", "--utc"])
        #expect(jobs.output.contains(String(job.prefix(8))) && jobs.output.contains("killed"), "\(jobs.output)")
        #expect(jobs.output.contains("rebalance 30pp"), "the change is in the recorded settings:\n\(jobs.output)")
        // The killed job's tasks, though the recording console never opened the job: the console
        // followed it after the kill. Two seconds after the kill's answer (the audit's UTC time).
        let killAnswered = audit.output.split(separator: "\n").first { $0.contains("\t") && $0.contains("kill-job") && $0.contains("ok") }
            .flatMap { $0.split(separator: "\t").first }.map { String($0.suffix(8)) }
        let afterKill = try #require(killAnswered.flatMap { Self.time($0, plusSeconds: 2) }, "no kill in:\n\(audit.output)")
        let tasks = await runBinary(["replay", recordings, "--dump=\(afterKill)", "--pane", "tasks", "--job", job, "--utc"])
        let taskRows = tasks.output.split(separator: "\n").filter { $0.hasPrefix("t0\t") || $0.hasPrefix("t1\t") || $0.hasPrefix("t2\t") }
        #expect(taskRows.count == 3 && taskRows.allSatisfy { $0.contains("killed") }, "the three tasks, killed, at \(afterKill):\n\(tasks.output)")

        // In tmux: the time bar with both marks, and playing from the start.
        let replay = "scoot-replay-\(getpid())"
        _ = await tmux(["-f", "/dev/null", "new-session", "-d", "-s", replay, "-x", "120", "-y", "40",
                        "\(environment) \(ServeProcess.binary.path) replay \(recordings) --utc; sleep 30"])
        defer { Task { _ = await tmux(["kill-session", "-t", replay]) } }
        let opened = try await screen(replay, showing: ["REPLAY", "├"])
        let bar = opened.split(separator: "\n").first.map(String.init) ?? ""
        // Two actions a second or two apart may share a column of the bar: at least one mark.
        #expect(bar.hasPrefix("REPLAY paused") && bar.contains("▲"), "the time bar marks the kill and the change:\n\(opened)")
        _ = await tmux(["send-keys", "-t", replay, "F", "6"])
        let atEnd = try await screen(replay, showing: ["kill-job", "set-rebalance-threshold"])
        #expect(atEnd.contains("kill-job") && atEnd.contains("set-rebalance-threshold"), "F jumps to the end, whose Audit pane has both:\n\(atEnd)")
        _ = await tmux(["send-keys", "-t", replay, "1"])
        _ = await tmux(["send-keys", "-t", replay, "P", "+", "+", "+"])
        let playing = try await screen(replay, showing: ["REPLAY ▶ 8×"])
        #expect(playing.contains("REPLAY ▶ 8×"), "\(playing)")
        _ = await tmux(["send-keys", "-t", replay, "x"])
        let refused = try await screen(replay, showing: ["this is a replay"])
        #expect(refused.contains("this is a replay"), "no kill in the past:\n\(refused)")
        // The timeline of the killed job just after the kill: its tasks and when they were killed.
        _ = await tmux(["send-keys", "-t", replay, "P", ":", "goto \(afterKill)", "Enter", "1", "Enter", "T"])
        let timeline = try await screen(replay, showing: ["· timeline", "t0 · 1 attempt"])
        let detail = timeline.split(separator: "\n").first { $0.contains("t0 · 1 attempt") } ?? ""
        #expect(detail.contains("killed"), "the timeline says when t0 was killed:\n\(timeline)")
        _ = await tmux(["send-keys", "-t", replay, "q"])
    }

    /// `HH:MM:SS` plus `seconds`, within the day.
    static func time(_ text: String, plusSeconds seconds: Int) -> String? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        let total = (parts[0] * 3600 + parts[1] * 60 + parts[2] + seconds) % 86_400
        return String(format: "%02d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
    }

    /// `serve --record DIR`: the server records itself — a poll a second and every client's
    /// change with the client's address — and `replay --dump` shows both after it stopped.
    @Test func serveRecordsEveryClientsChanges() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let recordings = data.appendingPathComponent("recordings").path
        let server = try await ServeProcess(dataDirectory: data.appendingPathComponent("serve"), workers: 1, extraArguments: ["--record", recordings])
        let client = CloudScootClient(host: "127.0.0.1", port: server.port, connectTimeout: .seconds(5), callTimeout: .seconds(10))
        let job = try await client.runJob(job: JobDefinition(
            tasks: (0..<2).map { TaskDefinition(command: Command(argv: ["sleep", "30"]), taskId: "t\($0)") }, requestor: "land-recorded")).id
        try await Task.sleep(for: .milliseconds(1500))
        _ = try await client.killJob(jobId: job)
        try await client.setRebalanceThreshold(threshold: 25)
        await #expect(throws: (any Error).self) { _ = try await client.killJob(jobId: "no-such-job") }
        try await Task.sleep(for: .milliseconds(2500))
        #expect(await server.stop() == 0)

        let audit = await runBinary(["replay", recordings, "--dump=-0s", "--pane", "audit", "--utc"])
        #expect(audit.status == 0, "\(audit.output)")
        #expect(audit.output.contains("kill-job") && audit.output.contains(job) && audit.output.contains("127.0.0.1"), "\(audit.output)")
        #expect(audit.output.contains("set-rebalance-threshold") && audit.output.contains("{1: 25}"), "\(audit.output)")
        #expect(audit.output.contains("no-such-job") && audit.output.contains("✗ error"), "a refused kill is on record as an error:\n\(audit.output)")
        let jobs = await runBinary(["replay", recordings, "--dump=-0s", "--utc"])
        #expect(jobs.output.contains(String(job.prefix(8))) && jobs.output.contains("killed") && jobs.output.contains("rebalance 25pp"), "\(jobs.output)")
        let refused = await runBinary(["serve", "--record", "/proc/no-such-place", "--addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0"])
        #expect(refused.status != 0 && refused.output.contains("--record /proc/no-such-place"), "\(refused.output)")
    }

    /// Runs the scoot-console binary to its end; its status and everything it printed.
    private func runBinary(_ arguments: [String]) async -> (status: Int32, output: String) { await runToEnd(ServeProcess.binary, arguments) }

    /// The screen of `session` once it contains every one of `texts` (or after 15 s).
    private func screen(_ session: String, showing texts: [String]) async throws -> String {
        var screen = ""
        for _ in 0..<150 {
            screen = await tmux(["capture-pane", "-p", "-t", session])
            if texts.allSatisfy(screen.contains) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return screen
    }

    /// The production path end to end: the console binary → `scoot-console gateway` → a plain
    /// Scoot scheduler (the Python fake) → 4 Scoot workers (fakes), with every pane filled.
    @Test func throughTheGatewayEveryPaneOfAPlainScootClusterIsFilled() async throws {
        try await GatewayProcess.inFrontOfAFakeCluster { cluster, gateway in try await everyPaneIsFilled(cluster, gateway) }
    }

    private func everyPaneIsFilled(_ cluster: FakeScootClusterProcess, _ gateway: GatewayProcess) async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-tmux-gateway-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: data) }
        let client = CloudScootClient(host: "127.0.0.1", port: gateway.port, connectTimeout: .seconds(5), callTimeout: .seconds(10))
        func job(_ requestor: String, _ tasks: Int) -> JobDefinition {
            JobDefinition(tasks: (1...tasks).map { TaskDefinition(command: Command(argv: ["sleep", "60"]), taskId: "task\($0)") }, requestor: requestor)
        }
        let land = try await client.runJob(job: job("land-alice", 2)).id
        let diff = try await client.runJob(job: job("diff-bob", 1)).id
        let ci = try await client.runJob(job: job("CI-carol", 1)).id

        let session = "scoot-e2e-gateway-\(getpid())"
        let auditLog = data.appendingPathComponent("audit.jsonl").path
        let command = "env TERM=tmux-256color LANG=C.UTF-8 XDG_STATE_HOME=\(data.path) SCOOT_CONSOLE_AUDIT_LOG=\(auditLog) \(ServeProcess.binary.path) --connect 127.0.0.1:\(gateway.port); sleep 30"
        _ = await tmux(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "140", "-y", "40", command])
        defer { Task { _ = await tmux(["kill-session", "-t", session]) } }

        let jobs = try await screen(session, showing: [String(land.prefix(8)), String(diff.prefix(8)), String(ci.prefix(8)), "land-alice", "regression"])
        #expect(jobs.contains(String(land.prefix(8))) && jobs.contains("land-alice") && jobs.contains("diff-bob") && jobs.contains("CI-carol"),
                "the Jobs pane lists the three jobs with their requestors:\n\(jobs)")
        #expect(jobs.contains("regression") && !jobs.contains("cannot list"), "classes known, no limitation:\n\(jobs)")

        _ = await tmux(["send-keys", "-t", session, "3"])
        let workers = try await screen(session, showing: cluster.workers.map(\.description) + ["▶ busy"])
        #expect(cluster.workers.allSatisfy { workers.contains($0.description) }, "the 4 workers:\n\(workers)")
        #expect(workers.components(separatedBy: "▶ busy").count - 1 == 4, "each runs a task:\n\(workers)")

        _ = await tmux(["send-keys", "-t", session, "4"])
        let classes = try await screen(session, showing: ["land", "diff", "regression"])
        #expect(classes.contains("land") && classes.contains("regression") && !classes.contains("not available"), "class loads:\n\(classes)")

        _ = await tmux(["send-keys", "-t", session, "1", "/", "land-alice", "Enter", "Enter"])
        let tasks = try await screen(session, showing: ["task1", "task2", "127.0.0.1:"])
        #expect(tasks.contains("task1") && tasks.contains("task2") && tasks.contains("127.0.0.1:"), "the tasks with their workers:\n\(tasks)")
        _ = await tmux(["send-keys", "-t", session, "q"])
    }
}
