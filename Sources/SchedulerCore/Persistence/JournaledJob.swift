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
    /// `definition` as the journal stores it (`encode`), made before the scheduler's actor was
    /// entered; nil to have the journal encode it.
    public var encodedDefinition: String?

    /// Creates a journaled job.
    public init(id: String, definition: JobDefinition, submittedAt: Date, encodedDefinition: String? = nil) {
        self.id = id
        self.definition = definition
        self.submittedAt = submittedAt
        self.encodedDefinition = encodedDefinition
    }

    /// A definition as the journal stores it: JSON.
    public static func encode(_ definition: JobDefinition) -> String? {
        (try? JSONEncoder().encode(definition)).map { String(decoding: $0, as: UTF8.self) }
    }
}
