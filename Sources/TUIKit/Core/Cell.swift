/// One terminal cell: the grapheme it shows, its display width, its role and extra attributes.
/// A wide grapheme (width 2) occupies its cell and a following `continuation` cell.
public struct Cell: Sendable, Hashable {
    /// The grapheme cluster shown; " " for blank; "" in the continuation cell of a wide grapheme.
    public var grapheme: String
    /// 1, or 2 for wide graphemes (CJK, most emoji); 0 for a continuation cell.
    public var width: UInt8
    /// The semantic style role.
    public var role: StyleRole
    /// Attributes added on top of the role's (e.g. bold for a sort column).
    public var attributes: TextAttributes

    public init(grapheme: String = " ", width: UInt8 = 1, role: StyleRole = .normal, attributes: TextAttributes = []) {
        self.grapheme = grapheme
        self.width = width
        self.role = role
        self.attributes = attributes
    }

    /// A blank cell in the normal role.
    public static let blank = Cell()
    /// The second half of a wide grapheme.
    public static func continuation(role: StyleRole) -> Cell { Cell(grapheme: "", width: 0, role: role) }
}
