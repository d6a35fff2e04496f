import Testing
@testable import TUIKit

@Suite struct WidgetTests {
    @Test func paragraphWrapsAndTruncates() {
        var buffer = Buffer(area: Rect(width: 10, height: 3))
        Paragraph("the quick brown fox jumps over the lazy dog").render(into: &buffer, area: buffer.area)
        #expect(buffer.lines() == ["the quick ", "brown fox ", "jumps ove…"])
        #expect(Paragraph("abcdefghijkl\nx y").lines(width: 5) == ["abcde", "fghij", "kl", "x y"])
        #expect(Paragraph("abcdefghijkl", wraps: false).lines(width: 5) == ["abcd…"])
    }

    @Test func tabsNumberAndHighlight() {
        var buffer = Buffer(area: Rect(width: 30, height: 1))
        Tabs(titles: ["Jobs", "Tasks", "Workers"], selected: 1).render(into: &buffer, area: buffer.area)
        #expect(buffer.lines() == ["1 Jobs  2 Tasks  3 Workers    "])
        #expect(buffer[8, 0]?.role == .selection)
        #expect(buffer[0, 0]?.role == .keyName)
        var narrow = Buffer(area: Rect(width: 20, height: 1))
        Tabs(titles: ["Jobs", "Tasks", "Workers"], selected: 0).render(into: &narrow, area: narrow.area)
        #expect(narrow.lines() == ["1 Jobs  2 Tasks     "])
    }

    @Test func keyHintsDropWhatDoesNotFit() {
        var buffer = Buffer(area: Rect(width: 20, height: 1))
        let bar = KeyHintBar(hints: [
            .init(key: "q", description: "quit"), .init(key: "/", description: "filter"),
            .init(key: "?", description: "help"), .init(key: ":", description: "command"),
        ])
        #expect(bar.render(into: &buffer, area: buffer.area) == 2)
        #expect(buffer.lines() == ["q quit  / filter    "])
        #expect(buffer[0, 0]?.role == .keyName)
        #expect(buffer[2, 0]?.role == .keyHint)
    }

    @Test func flashLine() {
        var buffer = Buffer(area: Rect(width: 10, height: 1))
        FlashLine("server: job not found", kind: .error).render(into: &buffer, area: buffer.area)
        #expect(buffer.lines() == ["server: j…"])
        #expect(buffer[0, 0]?.role == .flashError)
        #expect(FlashLine("killed").role == .flashInfo)
    }

    @Test func dialogIsCentered() {
        var buffer = Buffer(area: Rect(width: 40, height: 9))
        let frame = Dialog(title: "Kill job?", message: ["Kill job 42 (land)?"], buttons: ["Cancel", "Kill"], borderRole: .danger)
            .render(into: &buffer, area: buffer.area)
        #expect(frame == Rect(x: 8, y: 2, width: 24, height: 5))
        let pad = String(repeating: " ", count: 8)
        let blank = String(repeating: " ", count: 40)
        #expect(buffer.lines() == [
            blank, blank,
            pad + "┌ Kill job? ───────────┐" + pad,
            pad + "│ Kill job 42 (land)?  │" + pad,
            pad + "│                      │" + pad,
            pad + "│ [ Cancel ]  [ Kill ] │" + pad,
            pad + "└──────────────────────┘" + pad,
            blank, blank,
        ])
        #expect(buffer[10, 5]?.role == .buttonFocused)
        #expect(buffer[22, 5]?.role == .button)
        #expect(buffer[8, 2]?.role == .danger)
    }

    @Test func textFieldWithCursorAndError() {
        var buffer = Buffer(area: Rect(width: 20, height: 2))
        let cursor = TextField(label: "Threshold:", text: "30x", error: "not a number").render(into: &buffer, area: buffer.area)
        #expect(buffer.lines() == ["Threshold: 30x      ", "not a number        "])
        #expect(cursor?.x == 14 && cursor?.y == 0)
        #expect(buffer[14, 0]?.attributes == .reverse)
        #expect(buffer[11, 0]?.role == .inputField)
        #expect(buffer[0, 1]?.role == .inputError)
    }

    @Test func textFieldScrollsToCursor() {
        var buffer = Buffer(area: Rect(width: 11, height: 1))
        TextField(label: "id", text: "abcdefghijkl").render(into: &buffer, area: buffer.area)
        #expect(buffer.lines() == ["id fghijkl "])
        var start = Buffer(area: Rect(width: 11, height: 1))
        TextField(label: "id", text: "abcdefghijkl", cursor: 0).render(into: &start, area: start.area)
        #expect(start.lines() == ["id abcdefgh"])
        #expect(start[3, 0]?.attributes == .reverse)
    }
}
