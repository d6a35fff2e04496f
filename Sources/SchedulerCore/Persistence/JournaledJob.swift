import Foundation

/// An admitted job as the journal records it.
public struct JournaledJob: Sendable, Hashable {
    /// The job id given to the client.
    public var id: String
    /// The definition as accepted: tag defaulted to the id, priority possibly inherited. Its
    /// `tag`, `requestor` and `priority` are the job's.
    public var definition: JobDefinition
    /// When the job was admitted.
    public var submittedAt: Date

    /// Creates a journaled job.
    public init(id: String, definition: JobDefinition, submittedAt: Date) {
        self.id = id
        self.definition = definition
        self.submittedAt = submittedAt
    }
}
