/// Horizontal alignment of text in a column or area.
public enum Alignment: Sendable, Hashable {
    case left, center, right
}
