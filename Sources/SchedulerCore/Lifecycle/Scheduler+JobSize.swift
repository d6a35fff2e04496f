extension Scheduler {
    /// The number of tasks of a known job, nil for an unknown or purged one: how much work its
    /// status is, which lets a server decide where to build it.
    public func taskCount(ofJob jobID: String) -> Int? {
        jobRecords[jobID]?.tasks.count
    }
}
