// The soak entry of `make bench`: 24 hours of simulated time (a manual clock, simulated
// workers) with a million jobs through one scheduler, as `serve` holds it (the heap trimmer on);
// RSS is read every 2 simulated hours and must stay flat once the finished-job caps are reached.
import Foundation
import SchedulerCore
import ScootServer

/// Runs the soak and prints its table.
func runSoakBenchmark() async throws {
    HeapTrimmer.configureHeap()
    let trimmer = HeapTrimmer()
    defer { trimmer.stop() }
    let clock = ManualClock()
    let workers = SimulatedWorkers(clock: clock, configuration: .init(workerCount: 64, durationModel: .fixed(.seconds(1))))
    let scheduler = Scheduler(configuration: SchedulerConfiguration(), clock: clock, backend: workers)
    // SCOOT_SOAK_HOURS=48 for a longer look; a million jobs a day either way.
    let hours = Int(ProcessInfo.processInfo.environment["SCOOT_SOAK_HOURS"] ?? "") ?? 24
    let totalJobs = hours * 1_000_000 / 24
    let simulatedSeconds = hours * 3600
    print("")
    print("scoot-bench: soak, \(totalJobs) one-task jobs over \(hours) simulated hours (64 simulated workers; every job its own task id, tag and basis)")
    print("  simulated h      jobs in   jobs kept   VmRSS MB   RssAnon MB   wall s")
    let started = ContinuousClock.now
    var submitted = 0
    var readings: [Double] = []
    for second in 0..<simulatedSeconds {
        let due = (second + 1) * totalJobs / simulatedSeconds
        while submitted < due {
            let task = TaskDefinition(taskID: "task-\(submitted)", argv: ["sleep", "1"])
            _ = try await scheduler.runJob(JobDefinition(
                tasks: [task], tag: "tag-\(submitted)", basis: "basis-\(submitted)", requestor: "soak-\(submitted % 8)"))
            submitted += 1
        }
        for _ in 0..<4 {
            clock.advance(by: .milliseconds(250))
            await scheduler.step()
        }
        if (second + 1) % (2 * 3600) == 0 {
            let (rss, anonymous) = residentMegabytes()
            readings.append(rss)
            let wall = ContinuousClock.now - started
            print(String(
                format: "  %11d %12d %11d %10.1f %12.1f %8.0f", (second + 1) / 3600, submitted, await scheduler.jobs().count, rss, anonymous,
                Double(wall.components.seconds)))
        }
    }
    // Flat: the last reading against the one at 4 h, once the caps hold.
    if readings.count >= 2 {
        print(String(format: "  RSS growth from 4 h to %d h: %+.1f MB; lowest %.1f, highest %.1f after 4 h", hours, readings.last! - readings[1], readings.dropFirst().min()!, readings.dropFirst().max()!))
    }
}

/// VmRSS and RssAnon of this process, in MB (10^6 bytes).
func residentMegabytes() -> (rss: Double, anonymous: Double) {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (.nan, .nan) }
    func field(_ name: String) -> Double {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first { !$0.isEmpty }.map(String.init) ?? "")
        else { return .nan }
        return kilobytes * 1024 / 1e6
    }
    return (field("VmRSS"), field("RssAnon"))
}
