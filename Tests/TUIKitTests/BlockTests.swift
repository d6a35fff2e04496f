import Testing
@testable import TUIKit

@Suite struct BlockTests {
    @Test func borderAndTitle() {
        var buffer = Buffer(area: Rect(width: 11, height: 3))
        let inner = Block(title: "Jobs", borderRole: .borderFocused).render(into: &buffer, area: buffer.area)
        #expect(inner == Rect(x: 1, y: 1, width: 9, height: 1))
        #expect(buffer.lines() == ["┌ Jobs ───┐", "│         │", "└─────────┘"])
        #expect(buffer[0, 0]?.role == .borderFocused)
        #expect(buffer[2, 0]?.role == .title)
    }

    @Test func longTitleIsTruncated() {
        var buffer = Buffer(area: Rect(width: 10, height: 2))
        Block(title: "Workers and tasks").render(into: &buffer, area: buffer.area)
        #expect(buffer.lines() == ["┌ Worke… ┐", "└────────┘"])
    }

    @Test func asciiFallback() {
        var buffer = Buffer(area: Rect(width: 8, height: 3))
        Block(title: "Jobs", characters: .ascii).render(into: &buffer, area: buffer.area)
        #expect(buffer.lines() == ["+ Jobs +", "|      |", "+------+"])
    }
}
