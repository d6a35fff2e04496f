import NIOCore
import SchedulerCore
import ScootAPI
import Thrift

/// `serve`'s processor, in front of the generated one: GetStatus and KillJob are answered with a
/// `JobStatusReply` written straight from the scheduler's snapshot of the job, and the reads
/// (GetStatus of a job of at most `SchedulerService.largeJobTaskCount` tasks, the scheduler
/// status and the rebalance settings) are answered at once, on the event loop the scheduler
/// runs on, without a task or a hop (`processWithoutWaiting`). Every answer is the generated
/// processor's; every other call goes to it.
public struct ServeProcessor: ThriftProcessor {
    /// The processor that answers the other calls.
    public let wrapped: any ThriftProcessor
    /// The service whose scheduler the answers come from.
    public let service: SchedulerService
    /// The event loop the scheduler runs on (its executor); nil: reads are never answered at once.
    private let schedulerLoop: (any EventLoop)?
    private let limits: ThriftLimits

    /// Answers `service`'s statuses and kills, and, on `schedulerLoop`, its reads; passes the rest
    /// to `wrapped`.
    public init(wrapping wrapped: any ThriftProcessor, service: SchedulerService, schedulerLoop: (any EventLoop)? = nil, limits: ThriftLimits = .default) {
        self.wrapped = wrapped
        self.service = service
        self.schedulerLoop = schedulerLoop
        self.limits = limits
    }

    public func process(_ message: [UInt8]) async -> ThriftProcessorResult {
        guard case .success(let incoming) = ThriftServerCall.parse(message, limits: limits) else { return await wrapped.process(message) }
        switch incoming.header.name {
        case "GetStatus":
            return await ThriftServerCall.handle(incoming, arguments: CloudScootMessages.GetStatusArguments.self) { args in
                await Self.reply(await service.statusSnapshot(jobId: args.jobId))
            }
        case "KillJob":
            return await ThriftServerCall.handle(incoming, arguments: CloudScootMessages.KillJobArguments.self) { args in
                do {
                    return await Self.reply(try await service.killSnapshot(jobId: args.jobId))
                } catch let error as InvalidRequest {
                    return JobStatusReply(exception: CloudScootMessages.KillJobResult(ir: error))
                } catch let error as ScootServerError {
                    return JobStatusReply(exception: CloudScootMessages.KillJobResult(err: error))
                }
            }
        default:
            return await wrapped.process(message)
        }
    }

    public func processWithoutWaiting(_ message: [UInt8]) -> ThriftProcessorResult? {
        guard let schedulerLoop, schedulerLoop.inEventLoop,
            case .success(let incoming) = ThriftServerCall.parse(message, limits: limits)
        else { return nil }
        let service = service
        return service.scheduler.assumeIsolated { scheduler in
            switch incoming.header.name {
            case "GetStatus":
                return ThriftServerCall.handleWithoutWaiting(incoming, arguments: CloudScootMessages.GetStatusArguments.self) { args in
                    service.smallJobStatusSnapshot(jobId: args.jobId, on: scheduler).map(JobStatusReply.init)
                }
            case "GetSchedulerStatus":
                return ThriftServerCall.handleWithoutWaiting(incoming, arguments: CloudScootMessages.GetSchedulerStatusArguments.self) { _ in
                    CloudScootMessages.GetSchedulerStatusResult(success: SchedulerService.schedulerStatus(of: scheduler))
                }
            case "GetClassLoadPercents":
                return ThriftServerCall.handleWithoutWaiting(incoming, arguments: CloudScootMessages.GetClassLoadPercentsArguments.self) { _ in
                    CloudScootMessages.GetClassLoadPercentsResult(success: SchedulerService.classLoadPercents(of: scheduler))
                }
            case "GetRequestorToClassMap":
                return ThriftServerCall.handleWithoutWaiting(incoming, arguments: CloudScootMessages.GetRequestorToClassMapArguments.self) { _ in
                    CloudScootMessages.GetRequestorToClassMapResult(success: SchedulerService.requestorToClassMap(of: scheduler))
                }
            case "GetRebalanceMinimumDuration":
                return ThriftServerCall.handleWithoutWaiting(
                    incoming, arguments: CloudScootMessages.GetRebalanceMinimumDurationArguments.self
                ) { _ in
                    CloudScootMessages.GetRebalanceMinimumDurationResult(success: SchedulerService.rebalanceMinimumDuration(of: scheduler))
                }
            case "GetRebalanceThreshold":
                return ThriftServerCall.handleWithoutWaiting(incoming, arguments: CloudScootMessages.GetRebalanceThresholdArguments.self) { _ in
                    CloudScootMessages.GetRebalanceThresholdResult(success: SchedulerService.rebalanceThreshold(of: scheduler))
                }
            default:
                return nil
            }
        }
    }

    /// The reply, sized where the call runs for a small job and on the global executor for a
    /// large one (the connection's event loop, which the scheduler shares, is not held up).
    private static func reply(_ snapshot: JobStatusSnapshot) async -> JobStatusReply {
        guard snapshot.taskCount > SchedulerService.largeJobTaskCount else { return JobStatusReply(snapshot) }
        return await withTaskExecutorPreference(globalConcurrentExecutor) { JobStatusReply(snapshot) }
    }
}
