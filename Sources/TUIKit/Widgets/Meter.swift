/// A horizontal bar for a value against a maximum, with a target marker and a label.
///
/// ```
/// ██████████░░░░│░░░  12/20
/// ```
/// The filled part's role is `.meterOK`, `.meterWarn` or `.meterCrit`, chosen by the caller's
/// thresholds on the fill ratio; the rest is `.meterEmpty`; the target position shows `│` (`|` in
/// ASCII) in `.targetMarker`.
public struct Meter: Sendable, Hashable {
    public var value: Double
    public var maximum: Double
    /// Where the target marker goes (same unit as `value`); nil for none.
    public var target: Double?
    /// Ratios (value / maximum) at which the fill turns `.meterWarn` and `.meterCrit`.
    public var warnAt: Double
    public var criticalAt: Double
    /// Text drawn over the start of the bar (`.inside`) or after it (`.right`).
    public var label: String
    public var labelPlacement: LabelPlacement
    public var characters: BoxCharacters

    /// Where a meter's label goes.
    public enum LabelPlacement: Sendable, Hashable {
        /// Over the bar, from its left edge.
        case inside
        /// After the bar, separated by a space; the bar takes what the label leaves.
        case right
    }

    public init(
        value: Double, maximum: Double, target: Double? = nil, warnAt: Double = 0.8, criticalAt: Double = 0.95,
        label: String = "", labelPlacement: LabelPlacement = .right, characters: BoxCharacters = .unicode
    ) {
        self.value = value
        self.maximum = maximum
        self.target = target
        self.warnAt = warnAt
        self.criticalAt = criticalAt
        self.label = label
        self.labelPlacement = labelPlacement
        self.characters = characters
    }

    /// The fill ratio, clamped to 0…1 (0 when `maximum` is not positive).
    public var ratio: Double {
        guard maximum > 0 else { return 0 }
        return Swift.min(1, Swift.max(0, value / maximum))
    }

    /// The fill role for the current ratio.
    public var fillRole: StyleRole {
        let unclamped = maximum > 0 ? value / maximum : 0
        if unclamped >= criticalAt { return .meterCrit }
        if unclamped >= warnAt { return .meterWarn }
        return .meterOK
    }

    /// Draws the meter on the first row of `area`.
    public func render(into buffer: inout Buffer, area: Rect) {
        guard !area.isEmpty else { return }
        let labelWidth = label.isEmpty ? 0 : DisplayWidth.width(of: label)
        var barWidth = area.width
        if labelPlacement == .right, labelWidth > 0 {
            barWidth = Swift.max(0, area.width - labelWidth - 1)
        }
        let filled = Int((ratio * Double(barWidth)).rounded())
        let fill = String(characters.meterFill)
        let empty = String(characters.meterEmpty)
        for column in 0..<barWidth {
            let isFilled = column < filled
            buffer.write(isFilled ? fill : empty, x: area.x + column, y: area.y, role: isFilled ? fillRole : .meterEmpty)
        }
        if let target, maximum > 0, barWidth > 0 {
            let position = Swift.min(barWidth - 1, Int((Swift.min(1, Swift.max(0, target / maximum)) * Double(barWidth)).rounded(.down)))
            buffer.write(String(characters.targetMarker), x: area.x + position, y: area.y, role: .targetMarker)
        }
        switch labelPlacement {
        case .inside:
            buffer.write(TextTruncation.truncate(label, toWidth: area.width), x: area.x, y: area.y, role: .normal, attributes: .bold)
        case .right:
            if labelWidth > 0 {
                buffer.write(" " + label, x: area.x + barWidth, y: area.y, role: .normal, maxWidth: area.maxX - area.x - barWidth)
            }
        }
    }
}
