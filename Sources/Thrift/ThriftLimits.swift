/// Bounds applied to every decoded byte stream, so that a hostile or broken peer cannot make us
/// allocate or recurse without limit. Every check happens before the memory it guards is allocated.
public struct ThriftLimits: Sendable, Hashable {
    /// Largest complete message (or frame) accepted, in bytes.
    public var maxMessageSize: Int
    /// Largest string or binary value accepted, in bytes.
    public var maxStringLength: Int
    /// Largest element count accepted for one list, set or map.
    public var maxContainerElements: Int
    /// Deepest nesting of structs and containers accepted; the message's argument struct is depth 1.
    public var maxDepth: Int

    /// Creates limits; the defaults are the safe values documented in docs/wire.md.
    public init(
        maxMessageSize: Int = 16 * 1024 * 1024,
        maxStringLength: Int = 16 * 1024 * 1024,
        maxContainerElements: Int = 1_000_000,
        maxDepth: Int = 64
    ) {
        self.maxMessageSize = maxMessageSize
        self.maxStringLength = maxStringLength
        self.maxContainerElements = maxContainerElements
        self.maxDepth = maxDepth
    }

    /// 16 MiB messages and strings, one million container elements, nesting depth 64.
    public static let `default` = ThriftLimits()
}
