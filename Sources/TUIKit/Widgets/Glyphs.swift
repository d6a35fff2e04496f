/// The characters widgets draw with: UTF-8 box drawing and block elements, or an ASCII fallback
/// for terminals without UTF-8.
public struct BoxCharacters: Sendable, Hashable {
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    public var horizontal: Character
    public var vertical: Character
    /// The mark shown in a table's gutter for marked rows.
    public var mark: Character
    /// A meter's filled part.
    public var meterFill: Character
    /// A meter's empty part.
    public var meterEmpty: Character
    /// A meter's target marker.
    public var targetMarker: Character
    /// The sort indicators of a table header.
    public var ascending: Character
    public var descending: Character
    /// Sparkline levels, lowest to highest.
    public var sparkLevels: [Character]
    /// A timeline's bar of work (a task's attempt).
    public var barFill: Character
    /// A timeline's bar of waiting.
    public var waitFill: Character
    /// The end of a timeline bar that was tried again.
    public var retryMark: Character
    /// Where a timeline's time cursor stands, over its time axis.
    public var timeCursor: Character
    /// Whether this set is plain ASCII.
    public var isASCII: Bool

    /// UTF-8 box drawing: `┌─┐│└┘`, `●`, `█░`, `│`, `▲▼`, `▁…█`, `━·↻▼`.
    public static let unicode = BoxCharacters(
        topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘", horizontal: "─", vertical: "│",
        mark: "●", meterFill: "█", meterEmpty: "░", targetMarker: "│", ascending: "▲", descending: "▼",
        sparkLevels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], barFill: "━", waitFill: "·", retryMark: "↻", timeCursor: "▼",
        isASCII: false
    )

    /// Plain ASCII: `+-|`, `*`, `#.`, `|`, `^v`, `_.-=#`, `=.rv`.
    public static let ascii = BoxCharacters(
        topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+", horizontal: "-", vertical: "|",
        mark: "*", meterFill: "#", meterEmpty: ".", targetMarker: "|", ascending: "^", descending: "v",
        sparkLevels: ["_", ".", "-", "=", "#"], barFill: "=", waitFill: ".", retryMark: "r", timeCursor: "v", isASCII: true
    )
}
