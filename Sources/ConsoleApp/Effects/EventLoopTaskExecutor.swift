import NIOCore

/// A task executor that runs jobs on one NIO event loop: a poll whose client connection lives on
/// that loop runs start to finish there (its actors too, as a task's preferred executor), instead
/// of waking a thread of the cooperative pool to start it and another to resume it after every
/// answer. Poll work never blocks (network I/O is NIO's; file reads have threads of their own).
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
