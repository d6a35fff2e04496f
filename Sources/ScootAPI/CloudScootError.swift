/// An error that reaches CloudScoot clients as `TApplicationException(INTERNAL_ERROR)` with the
/// text `Internal error processing <Method>: <message>`, as Scoot's plain Go errors do.
public struct CloudScootError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The text after `Internal error processing <Method>: `.
    public var message: String

    /// Creates an error with Scoot's wording.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
