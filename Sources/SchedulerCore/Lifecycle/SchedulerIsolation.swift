/// The executor behind the `Scheduler` actor: one it was given (an event loop in `serve`), or,
/// when none was, the default executor of an empty actor, which makes the scheduler behave as an
/// ordinary actor (Swift offers no other way to name a default actor's executor).
struct SchedulerIsolation: Sendable {
    /// The executor of an actor that holds nothing: it only lends its default executor.
    private actor DefaultExecutorOwner {}

    /// Keeps the executor alive: the unowned reference below does not.
    private let owner: any Sendable
    /// The executor the scheduler's jobs run on.
    let unownedExecutor: UnownedSerialExecutor

    init(_ executor: (any SerialExecutor)?) {
        if let executor {
            owner = executor
            unownedExecutor = executor.asUnownedSerialExecutor()
        } else {
            let actor = DefaultExecutorOwner()
            owner = actor
            unownedExecutor = actor.unownedExecutor
        }
    }
}
