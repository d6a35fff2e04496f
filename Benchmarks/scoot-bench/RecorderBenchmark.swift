// The recorder entry of `make bench`: the flight recorder's bytes on disk and writer-thread CPU
// per poll for a quiet and a busy 1,000-job cluster and a typical one, and seek times in a
// 24-hour recording at 1 poll/s (86,400 polls), all with the default configuration.
import ConsoleApp
import FlightRecorder
import Foundation
import ScootAPI

/// A 1,000-job, 100-worker cluster polled once a second, in one of three moods.
private struct RecorderWorkload {
    enum Mood {
        /// Nothing changes but the poll's time and the load's computedAtMs.
        case quiet
        /// Every job's task counts change at every poll; 2% of the jobs finish and are replaced,
        /// a tenth of the workers change, the class loads move.
        case busy
        /// 2% of the jobs change a poll, a new job every 10 s replaces the oldest, a worker
        /// changes every few polls.
        case typical
    }

    private(set) var snapshot: ClusterSnapshot
    private var timeMs: Int64
    private var nextJob = 0
    private var poll = 0
    private var random: UInt64 = 0x5EED

    init(startMs: Int64) {
        timeMs = startMs
        snapshot = ClusterSnapshot(
            jobs: [], workers: [], load: nil, schedulerStatus: SchedulerStatus(currentTasks: 400, maxTasks: 1000),
            settings: .init(classLoadPercents: ["land": 50, "diff": 30, "ktf": 20], requestorToClassMap: ["ci": "land"], rebalanceThreshold: 20, rebalanceMinimumDuration: 5))
        snapshot.jobs = (0..<1000).map { _ in newJob() }
        snapshot.workers = (0..<100).map { index in
            WorkerInfo(id: "worker-\(index)", state: .busy, currentJobId: "job-\(index)", currentTaskId: "task-1", lastSnapshotId: "snapshot-1", tasksRun: 0)
        }
        snapshot.load = load()
        snapshot.observedAt = Date(timeIntervalSince1970: Double(timeMs) / 1000)
    }

    private mutating func next(_ bound: Int) -> Int {
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((random >> 33) % UInt64(bound))
    }

    private mutating func newJob() -> JobSummary {
        nextJob += 1
        return JobSummary(
            id: "job-\(nextJob)", requestor: "user-\(nextJob % 40)", className: ["land", "diff", "ktf"][nextJob % 3], tag: "tag-\(nextJob)",
            basis: "basis-\(nextJob % 200)", priority: Int32(nextJob % 3), status: .inProgress, killed: false, waitingTasks: 50,
            runningTasks: 10, completedTasks: 0, failedTasks: 0, submittedAtMs: timeMs, startedAtMs: timeMs, jobType: "build")
    }

    private mutating func load() -> ClusterLoad {
        let classes = ["land", "diff", "ktf"].map { name in
            ClassLoad(name: name, percent: Int32(30 + next(20)), target: 33, running: Int32(next(400)), waiting: Int32(next(900)), loaned: 0, starting: 0, stopping: 0)
        }
        return ClusterLoad(classes: classes, spread: Int32(next(30)), rebalanceThreshold: 20, rebalanceMinimumDurationMin: 5, computedAtMs: timeMs)
    }

    mutating func step(_ mood: Mood) -> ClusterSnapshot {
        poll += 1
        timeMs += 1000
        snapshot.observedAt = Date(timeIntervalSince1970: Double(timeMs) / 1000)
        switch mood {
        case .quiet:
            snapshot.load?.computedAtMs = timeMs
        case .busy:
            for index in snapshot.jobs.indices {
                snapshot.jobs[index].completedTasks += Int32(1 + next(3))
                snapshot.jobs[index].runningTasks = Int32(next(20))
                snapshot.jobs[index].waitingTasks = max(0, snapshot.jobs[index].waitingTasks - 1)
            }
            for _ in 0..<20 {
                snapshot.jobs.remove(at: next(snapshot.jobs.count))
                snapshot.jobs.insert(newJob(), at: 0)
            }
            for _ in 0..<10 { snapshot.workers[next(100)].currentJobId = "job-\(nextJob - next(1000))" }
            snapshot.load = load()
        case .typical:
            for _ in 0..<20 {
                let index = next(snapshot.jobs.count)
                snapshot.jobs[index].completedTasks += 1
                snapshot.jobs[index].runningTasks = Int32(next(20))
            }
            if poll % 10 == 0 {
                snapshot.jobs.removeLast()
                snapshot.jobs.insert(newJob(), at: 0)
            }
            if poll % 4 == 0 { snapshot.workers[next(100)].currentJobId = "job-\(nextJob - next(1000))" }
            snapshot.load?.computedAtMs = timeMs
            if poll % 5 == 0 { snapshot.load = load() }
        }
        return snapshot
    }
}

/// A recording made in a temporary directory, and what it cost.
private struct RecorderRun {
    let directory: String
    let polls: Int
    let status: FlightRecorderStatus

    init(_ mood: RecorderWorkload.Mood, polls: Int, startMs: Int64) {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("scoot-bench-recorder-\(UUID().uuidString)").path
        self.polls = polls
        var workload = RecorderWorkload(startMs: startMs)
        let recorder = FlightRecorder(directory: directory)
        for _ in 0..<polls {
            recorder.record(workload.step(mood))
            // Keep the queue from filling (a real console polls once a second, far slower).
            while recorder.status.recordsWaiting >= 64 { usleep(100) }
        }
        recorder.close()
        status = recorder.status
    }

    var bytesPerPoll: Double { Double(status.bytesWritten) / Double(polls) }
    var cpuMicrosecondsPerPoll: Double { status.writerCPUTime / .microseconds(1) / Double(polls) }
}

/// Seek and step times in a recording, in milliseconds.
private struct SeekFigures {
    var open: Double
    var medianSeek: Double
    var maximumSeek: Double
    var medianStep: Double

    init(_ directory: String, seeks: Int) throws {
        let clock = ContinuousClock()
        var reader: RecordingReader?
        open = clock.measure { reader = try? RecordingReader(path: directory) } / .milliseconds(1)
        guard let reader, let span = reader.span else { throw BenchError(description: "the recording in \(directory) did not open") }
        var random: UInt64 = 42
        func randomTime() -> Date {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let fraction = Double(random >> 11) / Double(1 << 53)
            return span.lowerBound.addingTimeInterval(fraction * span.upperBound.timeIntervalSince(span.lowerBound))
        }
        var seekTimes: [Double] = []
        var stepTimes: [Double] = []
        for _ in 0..<seeks {
            let time = randomTime()
            var frame: RecordedFrame?
            seekTimes.append(try clock.measure { frame = try reader.frame(at: time) } / .milliseconds(1))
            guard let next = frame?.nextPollAt else { continue }
            stepTimes.append(try clock.measure { _ = try reader.frame(at: next) } / .milliseconds(1))
        }
        seekTimes.sort()
        stepTimes.sort()
        medianSeek = seekTimes[seekTimes.count / 2]
        maximumSeek = seekTimes.last ?? 0
        medianStep = stepTimes.isEmpty ? 0 : stepTimes[stepTimes.count / 2]
    }
}

/// Runs the recorder benchmark and prints its table.
func runRecorderBenchmark() throws {
    let startMs: Int64 = 1_796_083_200_000  // 2026-12-01T00:00Z
    print("")
    print("scoot-bench: flight recorder, 1,000 jobs and 100 workers polled at 1/s (default configuration: keyframe every ≤ 300 polls, 16-record chunks, zlib 6)")
    print("  cluster                                polls   bytes/poll on disk   writer CPU µs/poll")
    let quiet = RecorderRun(.quiet, polls: 3600, startMs: startMs)
    let busy = RecorderRun(.busy, polls: 1800, startMs: startMs)
    let day = RecorderRun(.typical, polls: 86_400, startMs: startMs)
    defer { for run in [quiet, busy, day] { try? FileManager.default.removeItem(atPath: run.directory) } }
    for (label, run) in [("quiet (only the times move)", quiet), ("busy (every job changes every poll)", busy), ("typical (20 jobs a poll), 24 hours", day)] {
        print("  " + label.padding(toLength: 36, withPad: " ", startingAt: 0) + String(format: " %7d %20.1f %20.1f", run.polls, run.bytesPerPoll, run.cpuMicrosecondsPerPoll))
    }
    print("  recording                              open ms   seek median / max ms   next poll median ms")
    for (label, run) in [("typical, 24 hours (86,400 polls)", day), ("busy, 30 minutes (1,800 polls)", busy)] {
        let figures = try SeekFigures(run.directory, seeks: 200)
        print(
            "  " + label.padding(toLength: 36, withPad: " ", startingAt: 0)
                + String(format: " %8.1f %12.1f / %6.1f %21.2f", figures.open, figures.medianSeek, figures.maximumSeek, figures.medianStep))
    }
    let files = (try? FileManager.default.contentsOfDirectory(atPath: day.directory))?.count ?? 0
    print(String(format: "  24-hour recording on disk: %.1f MB in %d hour files (target: seek ≤ 200 ms)", Double(day.status.bytesWritten) / 1e6, files))
}
