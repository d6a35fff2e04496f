import Testing
@testable import TUIKit

@Suite struct LayoutTests {
    @Test func verticalSplit() {
        let parts = Layout.vertical([.length(1), .fill(1), .length(1)]).split(Rect(width: 80, height: 24))
        #expect(parts == [
            Rect(x: 0, y: 0, width: 80, height: 1),
            Rect(x: 0, y: 1, width: 80, height: 22),
            Rect(x: 0, y: 23, width: 80, height: 1),
        ])
    }

    @Test func horizontalSplitWithWeightsAndPercentages() {
        #expect(Layout.horizontal([.percentage(25), .fill(1), .fill(2)]).sizes(total: 100) == [25, 25, 50])
        #expect(Layout.horizontal([.fill(1), .fill(1), .fill(1)]).sizes(total: 10) == [4, 3, 3])
        #expect(Layout.horizontal([.min(10), .length(5)]).sizes(total: 30) == [25, 5])
        let parts = Layout.horizontal([.length(3), .fill(1)], spacing: 1).split(Rect(x: 2, y: 1, width: 10, height: 2))
        #expect(parts == [Rect(x: 2, y: 1, width: 3, height: 2), Rect(x: 6, y: 1, width: 6, height: 2)])
    }

    @Test func overflowShrinksLaterParts() {
        #expect(Layout.vertical([.length(5), .length(5), .fill(1)]).sizes(total: 7) == [5, 2, 0])
    }

    @Test func centering() {
        #expect(Rect(width: 80, height: 24).centered(width: 20, height: 5) == Rect(x: 30, y: 9, width: 20, height: 5))
        #expect(Rect(width: 10, height: 4).centered(width: 20, height: 5) == Rect(x: 0, y: 0, width: 10, height: 4))
    }
}
