import Testing
@testable import TUIKit

@Suite struct DisplayWidthTests {
    @Test func widths() {
        #expect(DisplayWidth.width(of: "a" as Character) == 1)
        #expect(DisplayWidth.width(of: "é" as Character) == 1)
        #expect(DisplayWidth.width(of: "e\u{301}" as Character) == 1)
        #expect(DisplayWidth.width(of: "\u{301}" as Character) == 0)
        #expect(DisplayWidth.width(of: "\u{200B}" as Character) == 0)
        #expect(DisplayWidth.width(of: "漢" as Character) == 2)
        #expect(DisplayWidth.width(of: "한" as Character) == 2)
        #expect(DisplayWidth.width(of: "Ａ" as Character) == 2)
        #expect(DisplayWidth.width(of: "🚀" as Character) == 2)
        #expect(DisplayWidth.width(of: "👍🏽" as Character) == 2)
        #expect(DisplayWidth.width(of: "❤️" as Character) == 2)
        #expect(DisplayWidth.width(of: "🇫🇷" as Character) == 2)
        #expect(DisplayWidth.width(of: "─" as Character) == 1)
        #expect(DisplayWidth.width(of: "漢字 ok") == 7)
    }

    @Test func truncation() {
        #expect(TextTruncation.truncate("scheduler", toWidth: 20) == "scheduler")
        #expect(TextTruncation.truncate("scheduler", toWidth: 5) == "sche…")
        #expect(TextTruncation.truncate("漢字漢字", toWidth: 4) == "漢…")
        #expect(TextTruncation.truncate("abc", toWidth: 0) == "")
    }
}
