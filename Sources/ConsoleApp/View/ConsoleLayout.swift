import TUIKit

/// Where things go on a screen of a given size: the one layout that drawing (`ConsoleView`,
/// `OverlayView`) and the cursor's paging and scrolling (`ConsoleUpdate`) both use.
public enum ConsoleLayout {
    /// Below this size the console asks for a larger terminal.
    public static let minimumSize = (width: 60, height: 16)
    /// Below this size the compact layout drops the tab bar and the key hints.
    public static let compactBelow = (width: 100, height: 30)

    /// Whether a screen gets the compact layout.
    static func isCompact(_ area: Rect) -> Bool { area.width < compactBelow.width || area.height < compactBelow.height }

    /// The screen's rows: header, tabs (not compact), the pane's frame, flash line, hints (not compact).
    static func rows(_ area: Rect) -> [Rect] {
        Layout.vertical(isCompact(area) ? [.length(2), .fill(1), .length(1)] : [.length(2), .length(1), .fill(1), .length(1), .length(1)]).split(area)
    }

    /// The pane's frame on the screen.
    static func paneFrame(_ area: Rect) -> Rect { rows(area)[isCompact(area) ? 1 : 2] }

    /// Inside the pane's frame.
    static func paneInner(_ area: Rect) -> Rect { paneFrame(area).inset(by: 1) }

    /// The rows of a pane's table that hold data (under its header, and under the summary line
    /// of the Audit and Events panes).
    static func visibleRows(of pane: Pane, screen: (width: Int, height: Int)) -> Int {
        let inner = paneInner(Rect(width: screen.width, height: screen.height))
        let above = switch pane {
        case .audit, .events, .classes: 2
        default: 1
        }
        return max(1, inner.height - above)
    }

    /// The frame of a scrollable overlay (help, output, details).
    static func viewerFrame(_ area: Rect) -> Rect { area.inset(by: 2) }

    /// The text area inside a viewer's frame.
    static func viewerInner(_ area: Rect) -> Rect { viewerFrame(area).inset(by: 1) }

    /// The wrapped rows of `viewer` at `screen` and how many show at once.
    static func viewerRows(_ viewer: ConsoleState.Viewer, screen: (width: Int, height: Int)) -> (rows: [ViewportLine], height: Int) {
        let inner = viewerInner(Rect(width: screen.width, height: screen.height))
        let height = max(1, inner.height - (viewer.search == nil ? 0 : 1))
        return (Viewport.rows(viewer.lines, width: Viewport.textWidth(in: inner.width)), height)
    }
}
