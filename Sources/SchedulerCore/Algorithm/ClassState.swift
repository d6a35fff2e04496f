/// The per-class working state of one algorithm step, in the class walk order D (descending
/// percent, ties by name). Arrays are indexed by a class's position in D.
struct ClassState {
    let names: [String]
    let percent: [Int]
    let target: [Int]
    /// Running tasks of the class's jobs (R).
    var running: [Int]
    /// Waiting tasks of the class's jobs before the step (Wt).
    var waiting: [Int]
    /// The jobs of all classes as indices into the input's jobs, class after class, each class's
    /// in arrival order (one list rather than one per class: it is allocated once).
    private var jobsOfAllClasses: [Int]
    /// Where each class's jobs start in `jobsOfAllClasses`, plus the end of the last.
    private var classJobsStart: [Int]
    /// Tasks to start (positive) or stop (negative) (S).
    var start: [Int]
    /// Waiting tasks not yet allotted (Wr).
    var remaining: [Int]
    var unknownClassJobs = 0
    var ignoredJobs = 0

    init(_ input: SchedulingInput) {
        let names = ClassLoadPercents.descendingOrder(input.classLoadPercents)
        let targets = ClassLoadPercents.targets(workers: input.healthyWorkers, percents: input.classLoadPercents)
        self.names = names
        percent = names.map { input.classLoadPercents[$0]! }
        target = names.map { targets[$0]! }
        running = Array(repeating: 0, count: names.count)
        waiting = Array(repeating: 0, count: names.count)
        // The jobs are sorted by class by counting: each job's class and each class's job count
        // (at index + 1) are noted here, then every job is placed at its class's next slot.
        var classOfJob = [Int?](repeating: nil, count: input.jobs.count)
        var classJobsStart = [Int](repeating: 0, count: names.count + 1)
        let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        // Requestor → its class's index (nil: none) and whether a pattern matched it; each
        // requestor is classified once. Jobs are read in place rather than copied.
        var classOfRequestor: [String: (index: Int, matched: Bool)?] = [:]
        for jobIndex in input.jobs.indices {
            let requestor = input.jobs[jobIndex].requestor
            let classified: (index: Int, matched: Bool)?
            if let known = classOfRequestor[requestor] {
                classified = known
            } else {
                classified = input.requestorToClass.classify(requestor, percents: input.classLoadPercents).flatMap { found in
                    position[found.className].map { ($0, found.matched) }
                }
                classOfRequestor[requestor] = classified
            }
            guard let (index, matched) = classified else { continue }
            if !matched { unknownClassJobs += 1 }
            // A 0 % class never runs, and its running tasks count nowhere.
            guard percent[index] > 0 else {
                ignoredJobs += 1
                continue
            }
            running[index] += input.jobs[jobIndex].running.count
            waiting[index] += input.jobs[jobIndex].waitingCount
            classOfJob[jobIndex] = index
            classJobsStart[index + 1] += 1
        }
        for index in names.indices { classJobsStart[index + 1] += classJobsStart[index] }
        self.classJobsStart = classJobsStart
        var nextSlot = classJobsStart
        jobsOfAllClasses = [Int](repeating: 0, count: classJobsStart[names.count])
        for (jobIndex, index) in classOfJob.enumerated() {
            guard let index else { continue }
            jobsOfAllClasses[nextSlot[index]] = jobIndex
            nextSlot[index] += 1
        }
        start = Array(repeating: 0, count: names.count)
        remaining = waiting
    }

    /// The class's jobs as indices into the input's jobs, in arrival order.
    func jobs(of index: Int) -> ArraySlice<Int> {
        jobsOfAllClasses[classJobsStart[index]..<classJobsStart[index + 1]]
    }

    /// The most jobs any class has.
    var largestClassJobCount: Int {
        names.indices.reduce(0) { max($0, classJobsStart[$1 + 1] - classJobsStart[$1]) }
    }

    var anyRemaining: Bool { remaining.contains { $0 > 0 } }

    /// spread = max(0, max d) − min(0, min d) over classes that are over target or have waiting
    /// tasks, with d = p − floor(R × 100 / W); 0 with fewer than two such classes.
    func spread(workers: Int) -> Int {
        guard workers > 0 else { return 0 }
        var considered: [Int] = []
        for index in names.indices {
            let deficit = percent[index] - running[index] * 100 / workers
            if deficit < 0 || waiting[index] > 0 { considered.append(deficit) }
        }
        guard considered.count >= 2 else { return 0 }
        return max(0, considered.max()!) - min(0, considered.min()!)
    }

    // MARK: allocate

    /// Scoot's allocation primitive: walk the classes in order, giving each
    /// min(Wr, ceil(n × q / 100)) with the product in 32-bit float, cutting the last so the
    /// total never exceeds n. Returns the number allotted.
    @discardableResult
    mutating func allocate(_ n: Int, shares: [Int]) -> Int {
        var total = 0
        for index in names.indices {
            let wanted = Int((Float(n) * Float(shares[index]) / 100).rounded(.up))
            var k = min(remaining[index], wanted)
            if total + k > n { k = n - total }
            if k <= 0 { continue }
            start[index] += k
            remaining[index] -= k
            total += k
        }
        return total
    }

    // MARK: Step 2: entitlement, then loans

    mutating func planNormal(free initialFree: Int) {
        var free = initialFree
        guard free > 0 else { return }
        for _ in names.indices {
            var entitlement = [Int](repeating: 0, count: names.count)
            for index in names.indices where running[index] + start[index] <= target[index] && remaining[index] > 0 {
                entitlement[index] = target[index] - (running[index] + start[index])
            }
            let total = entitlement.reduce(0, +)
            if total == 0 { break }
            var shares = entitlement.map { $0 * 100 / total }
            // The largest class takes the rounding remainder, even with no entitlement of its own.
            shares[0] = 100 - shares.dropFirst().reduce(0, +)
            free -= allocate(min(free, total), shares: shares)
            if !anyRemaining || free <= 0 { return }
        }
        for _ in names.indices {
            guard free > 0, anyRemaining else { return }
            let onLoan = names.indices.map { max(0, running[$0] - target[$0]) }
            guard let shares = loanShares(pool: onLoan.reduce(0, +) + free, alreadyLoaned: onLoan) else { return }
            let allotted = allocate(free, shares: shares)
            if allotted == 0 { return }
            free -= allotted
        }
    }

    /// Loan percents: each class with waiting tasks is due floor(p / P × pool) workers in all;
    /// what it should additionally get is that minus what it already has on loan. When the pool
    /// is too small for anyone to be due a whole worker, Scoot divides 0 by 0 and lends garbage;
    /// we fall back to the percents of the classes that wait, the largest taking the rounding
    /// remainder, so free workers are never left idle while tasks wait. `nil` when nobody waits.
    func loanShares(pool: Int, alreadyLoaned: [Int]) -> [Int]? {
        let waitingPercent = names.indices.filter { remaining[$0] > 0 }.reduce(0) { $0 + percent[$1] }
        guard waitingPercent > 0 else { return nil }
        var additional = [Int](repeating: 0, count: names.count)
        for index in names.indices where remaining[index] > 0 {
            let share = Int((Double(percent[index]) / Double(waitingPercent) * Double(pool)).rounded(.down))
            additional[index] = max(0, share - alreadyLoaned[index])
        }
        let total = additional.reduce(0, +)
        guard total > 0 else { return waitingPercentShares(waitingPercent) }
        return additional.map { Int(Double($0) / Double(total) * 100) }
    }

    /// The percents of the classes with waiting tasks, scaled to 100; the first of them in walk
    /// order takes the rounding remainder.
    private func waitingPercentShares(_ waitingPercent: Int) -> [Int] {
        let waitingClasses = names.indices.filter { remaining[$0] > 0 }
        var shares = [Int](repeating: 0, count: names.count)
        for index in waitingClasses.dropFirst() { shares[index] = percent[index] * 100 / waitingPercent }
        shares[waitingClasses[0]] = 100 - shares.reduce(0, +)
        return shares
    }

    // MARK: Step 3: rebalance

    /// Brings every class back to its target: over-target classes get a negative start (tasks to
    /// stop), others are filled up to their target; workers left over are lent once by percent.
    mutating func planRebalance(workers: Int) {
        for index in names.indices {
            if running[index] > target[index] {
                start[index] = target[index] - running[index]
            } else if running[index] + waiting[index] < target[index] {
                start[index] = waiting[index]
            } else {
                start[index] = target[index] - running[index]
            }
        }
        let total = names.indices.reduce(0) { $0 + running[$1] + start[$1] }
        guard total < workers else { return }
        // Waiting counts are not reduced by the first assignment here (as in Scoot), and every
        // class's current loan counts as 0 because over-target classes are being brought back.
        remaining = waiting
        guard let shares = loanShares(pool: workers - total, alreadyLoaned: Array(repeating: 0, count: names.count)) else { return }
        allocate(workers - total, shares: shares)
    }
}
