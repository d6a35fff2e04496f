import Foundation

/// A RunJob's definition with the work that needs no scheduler state already done, off the
/// scheduler's actor: the checks on the definition alone (their errors kept, to be thrown in
/// Scoot's order among the stateful checks), the job's id, the tag defaulted to it, and the
/// accepted definition's journal text.
struct PreparedJob: Sendable {
    let definition: JobDefinition
    /// Stage B's error, if any.
    let definitionError: SchedulerError?
    /// The priority's or the first repeated task id's error, if any (stage C's stateless part).
    let priorityOrTaskIDError: SchedulerError?
    let id: String
    /// The definition as accepted, unless the priority is inherited from another job.
    let accepted: JobDefinition
    /// `accepted` as the journal stores it; nil when the definition is refused anyway.
    let encodedAccepted: String?
    /// The definition's bytes of text (`JobDefinition.textByteCount`), counted off the actor.
    let textByteCount: Int

    init(_ definition: JobDefinition) {
        self.definition = definition
        definitionError = Self.error { () throws(SchedulerError) in try JobValidation.validate(definition) }
        priorityOrTaskIDError = Self.error { () throws(SchedulerError) in
            try JobValidation.validatePriority(definition.priority)
            try JobValidation.validateUniqueTaskIDs(definition)
        }
        textByteCount = definition.textByteCount
        id = UUID().uuidString.lowercased()
        var accepted = definition
        if accepted.tag.isEmpty { accepted.tag = id }
        self.accepted = accepted
        encodedAccepted = definitionError == nil && priorityOrTaskIDError == nil ? JournaledJob.encode(accepted) : nil
    }

    private static func error(_ check: () throws(SchedulerError) -> Void) -> SchedulerError? {
        do {
            try check()
            return nil
        } catch {
            return error
        }
    }
}
