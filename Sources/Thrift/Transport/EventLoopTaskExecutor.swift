import NIOCore

/// A task executor that runs jobs on one NIO event loop. A task that prefers it runs its
/// nonisolated code there, and so do the actors whose executor is that loop: work whose I/O lives
/// on the loop (a console's poll, a server connection's calls) runs start to finish on it instead
/// of waking a thread of the cooperative pool to start it and another to resume it after every
/// answer. Work that prefers it must never block (network I/O is NIO's; file reads need threads
/// of their own).
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    public let eventLoop: any EventLoop

    /// An executor of `eventLoop`'s jobs.
    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
