import Testing
@testable import SchedulerCore

/// A random cluster: 2–8 classes (one sometimes at 0 %), up to 30 jobs, running tasks that fit
/// the workers.
func randomInput(seed: UInt64, rebalance: Bool) throws -> SchedulingInput {
    var random = SplitMix64(seed: seed)
    let classCount = Int.random(in: 2...8, using: &random)
    var percents: [String: Int] = [:]
    for index in 0..<classCount { percents["c\(index)"] = Int.random(in: 0...40, using: &random) }
    if percents.values.allSatisfy({ $0 == 0 }) { percents["c0"] = 10 }
    percents = ClassLoadPercents.normalized(percents)
    let workers = Int.random(in: 1...500, using: &random)
    var runningBudget = Int.random(in: 0...workers, using: &random)
    var jobs: [JobLoad] = []
    for index in 0..<Int.random(in: 1...30, using: &random) {
        let running = Int.random(in: 0...min(runningBudget, 60), using: &random)
        runningBudget -= running
        jobs.append(job(
            "j\(index)", "requestor-c\(Int.random(in: 0..<classCount, using: &random))", running: running,
            waiting: Int.random(in: 0...80, using: &random), priority: Int.random(in: 0...2, using: &random),
            startedAt: .seconds(Int.random(in: 0...1000, using: &random))))
    }
    let mapping = Dictionary(uniqueKeysWithValues: percents.keys.map { ("requestor-\($0)$", $0) })
    return SchedulingInput(
        healthyWorkers: workers, runningTasks: jobs.reduce(0) { $0 + $1.running.count }, classLoadPercents: percents,
        requestorToClass: try RequestorClassifier(mapping), rebalanceThreshold: rebalance ? 1 : 0,
        rebalanceMinimumDuration: .seconds(60), thresholdExceededSince: rebalance ? .zero : nil, now: .seconds(10_000), jobs: jobs)
}

@Suite("Load-based algorithm properties")
struct LoadBasedSchedulerPropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test(arguments: seeds)
    func withoutRebalanceEveryFreeWorkerOrWaitingTaskIsUsed(seed: UInt64) throws {
        let input = try randomInput(seed: seed, rebalance: false)
        let decision = LoadBasedScheduler.step(input)
        let free = max(0, input.healthyWorkers - input.runningTasks)
        let waiting = decision.classes.values.filter { $0.percent > 0 }.reduce(0) { $0 + $1.waiting }
        #expect(decision.tasksToStart.count == min(free, waiting), "seed \(seed)")
        #expect(Set(decision.tasksToStart.map(input.waitingTask(at:))).count == decision.tasksToStart.count, "no task started twice; seed \(seed)")
        #expect(decision.tasksToStop.isEmpty)
    }

    @Test(arguments: seeds)
    func afterARebalanceNoClassIsAboveItsShare(seed: UInt64) throws {
        let input = try randomInput(seed: seed, rebalance: true)
        let decision = LoadBasedScheduler.step(input)
        guard decision.rebalanced else { return }
        // Every class is first brought to its target (or to all it has, if less); the workers
        // that leaves spare are lent by percent. So no class ends above target + spare.
        let planned = decision.classes.values.reduce(0) { total, load in
            total + (load.running > load.target ? load.target : min(load.target, load.running + load.waiting))
        }
        let spare = max(0, input.healthyWorkers - planned)
        var after = 0
        for (name, load) in decision.classes {
            let running = load.running + load.start - load.stop
            after += running
            if load.stop > 0 {
                #expect(running <= load.target + spare, "class \(name) kept \(running) of target \(load.target), spare \(spare); seed \(seed)")
            }
        }
        #expect(after <= input.healthyWorkers, "seed \(seed)")
    }

    @Test(arguments: seeds)
    func theStepIsAPureFunction(seed: UInt64) throws {
        let input = try randomInput(seed: seed, rebalance: seed % 2 == 0)
        #expect(LoadBasedScheduler.step(input) == LoadBasedScheduler.step(input))
    }
}
