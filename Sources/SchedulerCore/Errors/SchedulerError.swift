/// Why a scheduler operation was refused. The cases map one to one onto the IDL: `invalidRequest`
/// → `InvalidRequest(message)`, `canNotScheduleNow` → `CanNotScheduleNow(retryAfterMs)`, `notFound`
/// and `failed` → the plain errors Scoot reports as `TApplicationException(INTERNAL_ERROR)`.
/// Every message is Scoot's text where Scoot has one (docs/scoot.md, "The CloudScoot calls" and
/// "RunJob validation and admission").
public enum SchedulerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The request is invalid and will stay invalid if resent.
    case invalidRequest(String)
    /// An admission limit or the task throttle refuses the job now; it may be accepted later.
    case canNotScheduleNow(retryAfterMs: Int, reason: String)
    /// The job or worker named by the request is not where the operation needs it.
    case notFound(String)
    /// The operation is not allowed or has already happened.
    case failed(String)

    /// The message a client sees.
    public var description: String {
        switch self {
        case .invalidRequest(let message), .notFound(let message), .failed(let message): message
        case .canNotScheduleNow(_, let reason): reason
        }
    }
}

extension SchedulerError {
    /// Stage A of RunJob validation (Thrift → domain conversion): the job struct is null. The IDL
    /// adapter raises these; the domain types cannot be null.
    public static let nilJobDefinition = SchedulerError.invalidRequest("nil job definition")
    /// Stage A: a task entry is null.
    public static let nilTaskDefinition = SchedulerError.invalidRequest("nil task definition")
    /// Stage A: a task's command is null.
    public static let nilCommand = SchedulerError.invalidRequest("nil command")
    /// Stage A: a task's taskId is unset.
    public static let nilTaskID = SchedulerError.invalidRequest("nil taskId")
}
