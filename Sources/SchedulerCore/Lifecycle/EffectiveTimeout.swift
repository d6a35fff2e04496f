extension JobDefinition {
    /// The timeout sent to the worker for `task` (docs/scoot.md, "Timeouts"): the task's own if
    /// positive, else the job's default if set (any value), else — and also when that is exactly
    /// zero — the scheduler's default.
    func effectiveTimeout(of task: TaskDefinition, schedulerDefault: Duration) -> Duration {
        let requested = if let own = task.timeout, own > .zero { own } else { defaultTaskTimeout ?? .zero }
        return requested == .zero ? schedulerDefault : requested
    }
}
