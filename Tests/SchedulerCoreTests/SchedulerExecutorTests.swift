import Dispatch
import Synchronization
import Testing
@testable import SchedulerCore

/// The scheduler runs on the executor it is given (an event loop in `serve`), or as any actor.
@Suite("Scheduler: the executor it runs on")
struct SchedulerExecutorTests {
    /// A serial executor on a Dispatch queue that counts the jobs it ran.
    final class CountingExecutor: SerialExecutor {
        let queue = DispatchQueue(label: "scheduler-executor-test")
        let jobs = Atomic<Int>(0)

        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            queue.async {
                self.jobs.add(1, ordering: .relaxed)
                job.runSynchronously(on: self.asUnownedSerialExecutor())
            }
        }
    }

    /// Whether the caller runs on `queue`: called isolated to the scheduler.
    private func runsOn(_ queue: DispatchQueue, _ scheduler: isolated Scheduler) -> Bool {
        let key = DispatchSpecificKey<Bool>()
        queue.setSpecific(key: key, value: true)
        defer { queue.setSpecific(key: key, value: nil) }
        return DispatchQueue.getSpecific(key: key) == true
    }

    @Test func aSchedulerGivenAnExecutorRunsOnIt() async throws {
        let executor = CountingExecutor()
        let clock = ManualClock()
        let workers = SimulatedWorkers(clock: clock, configuration: .init(workerCount: 2))
        let scheduler = Scheduler(clock: clock, backend: workers, executor: executor)
        #expect(await runsOn(executor.queue, scheduler))
        let id = try await scheduler.runJob(simpleJob(tasks: 3))
        await scheduler.step()
        #expect(await scheduler.status(of: id).taskStatus.count == 3)
        #expect(executor.jobs.load(ordering: .relaxed) > 0)
    }

    @Test func aSchedulerGivenNoExecutorRunsAsAnyActor() async throws {
        let cluster = SimulatedCluster(workers: 2)
        #expect(await !runsOn(CountingExecutor().queue, cluster.scheduler))
        let id = try await cluster.scheduler.runJob(simpleJob(tasks: 2))
        await cluster.scheduler.step()
        #expect(await cluster.scheduler.status(of: id).taskStatus.count == 2)
        #expect(await cluster.scheduler.statusSnapshot(of: id).taskCount == 2)
        #expect(await JobStatus(cluster.scheduler.statusSnapshot(of: id)) == cluster.scheduler.status(of: id))
        #expect(await JobStatus(cluster.scheduler.statusSnapshot(of: "no such job")) == JobStatus(id: "no such job", status: .notStarted))
    }
}
