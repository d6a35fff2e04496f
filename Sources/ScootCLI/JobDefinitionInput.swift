import ScootAPI

/// What `run-job` submits: a command line (one task, `task1`, as scootcl) or a job-definition
/// file in scootcl's JSON format, plus the flags that fill in what the file leaves empty.
public struct JobDefinitionInput: Sendable, Hashable {
    /// A `--job-def` file: where it came from (for messages) and its text.
    public struct File: Sendable, Hashable {
        /// The path as given.
        public var path: String
        /// The file's text.
        public var contents: String

        /// A file read from `path`.
        public init(path: String, contents: String) {
            self.path = path
            self.contents = contents
        }
    }

    /// The positional command line; empty when a file is given.
    public var argv: [String]
    /// The `--job-def` file, if given.
    public var file: File?
    /// `--snapshot-id`: the task's snapshot; with a file, the snapshot of tasks that name none.
    public var snapshotID: String?
    /// `--tag`; with a file, used when the file's `Tag` is empty.
    public var tag: String?
    /// `--requestor`; with a file, used when the file's `Requestor` is empty.
    public var requestor: String?
    /// `--priority`; with a file, used when the file's `Priority` is 0.
    public var priority: Int32?

    /// An input from the parsed flags.
    public init(
        argv: [String], file: File? = nil, snapshotID: String? = nil, tag: String? = nil, requestor: String? = nil,
        priority: Int32? = nil
    ) {
        self.argv = argv
        self.file = file
        self.snapshotID = snapshotID
        self.tag = tag
        self.requestor = requestor
        self.priority = priority
    }

    /// The job to send, or a usage error naming what is wrong with the input.
    public func jobDefinition() throws(CLIFailure) -> JobDefinition {
        switch (argv.isEmpty, file) {
        case (false, .some):
            throw .usage("You must provide either args or a job definition: give a command line or --job-def FILE, not both")
        case (true, .none):
            throw .usage("nothing to run: give a command line (e.g. run-job -- echo hello) or --job-def FILE")
        case (false, .none):
            let task = TaskDefinition(command: Command(argv: argv), snapshotId: snapshotID ?? "", taskId: "task1")
            return JobDefinition(tasks: [task], priority: priority, tag: tag ?? "", requestor: requestor)
        case (true, .some(let file)):
            var job = try JobDefinitionFile.parse(file.contents, path: file.path)
            if job.tag?.isEmpty ?? true, let tag { job.tag = tag }
            if job.requestor?.isEmpty ?? true, let requestor { job.requestor = requestor }
            if job.priority ?? 0 == 0, let priority { job.priority = priority }
            if let snapshotID {
                for index in job.tasks.indices where job.tasks[index].snapshotId?.isEmpty ?? true {
                    job.tasks[index].snapshotId = snapshotID
                }
            }
            return job
        }
    }
}
