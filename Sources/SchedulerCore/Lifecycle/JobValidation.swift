/// Stage B of RunJob validation (`domain.ValidateJob`; docs/scoot.md, "RunJob validation and
/// admission", rules 5–7), with Scoot's texts. Stage A belongs to the IDL adapter
/// (`SchedulerError.nilJobDefinition` …); stage C needs the scheduler's state and runs in
/// `Scheduler.runJob`.
enum JobValidation {
    static func validate(_ job: JobDefinition) throws(SchedulerError) {
        guard !job.tasks.isEmpty else {
            throw .invalidRequest("invalid job. Must have at least 1 task; was empty")
        }
        for task in job.tasks {
            guard !task.taskID.isEmpty else { throw .invalidRequest("invalid task id \"\".") }
            guard !task.argv.isEmpty else {
                throw .invalidRequest("invalid task.Command.Argv. Must have at least one argument; was empty")
            }
        }
    }

    /// Rule 10: priority 0...2.
    static func validatePriority(_ priority: Int) throws(SchedulerError) {
        guard (0...2).contains(priority) else {
            throw .invalidRequest("invalid priority \(priority), must be between 0-2 inclusive")
        }
    }

    /// Rule 11: task ids unique inside the job; names the first repeated id.
    static func validateUniqueTaskIDs(_ job: JobDefinition) throws(SchedulerError) {
        var seen: Set<String> = []
        for task in job.tasks where !seen.insert(task.taskID).inserted {
            throw .invalidRequest("invalid dup taskID \(task.taskID)")
        }
    }

    /// `SetSchedulerStatus`: −1 (unlimited) or more.
    static func validateMaxTasks(_ maxTasks: Int) throws(SchedulerError) {
        guard maxTasks >= -1 else { throw .invalidRequest("invalid tasks limit:\(maxTasks). Must be >= -1.") }
    }
}
