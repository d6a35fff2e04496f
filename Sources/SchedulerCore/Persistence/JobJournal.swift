import Foundation

/// Where the scheduler writes what it must not lose, and what it reads back on start
/// (docs/scoot.md, "The saga log", "Settings persistence" and "Restart and job recovery"; the
/// fixes in docs/deviations.md).
///
/// The scheduler never calls a journal itself: a `JournalWriter` does, from a thread of its own,
/// one `commit` at a time, with the records in the order the scheduler made them.
public protocol JobJournal: Sendable {
    /// Everything the journal holds, for recovery; called once, when the scheduler starts.
    func load() throws -> JournalContents
    /// Writes `records`, in order, in one transaction: when it returns all of them are durable;
    /// when it throws, none of them was written.
    func commit(_ records: [JournalRecord]) throws
}
