import Testing
@testable import TUIKit

@Suite struct BufferTests {
    @Test func writesAndClipsWideGraphemes() {
        var buffer = Buffer(area: Rect(width: 6, height: 2))
        #expect(buffer.write("漢字ab", x: 0, y: 0) == 6)
        #expect(buffer[1, 0] == .continuation(role: .normal))
        // A wide grapheme that would straddle the right edge is not drawn.
        #expect(buffer.write("ab漢字", x: 1, y: 1) == 4)
        #expect(buffer.lines() == ["漢字ab", " ab漢 "])
    }

    @Test func clipsAtLeftAndMaxWidth() {
        var buffer = Buffer(area: Rect(x: 2, y: 1, width: 4, height: 1))
        buffer.write("abcdef", x: 0, y: 1)
        #expect(buffer.lines() == ["cdef"])
        buffer.write("xyz", x: 2, y: 1, maxWidth: 2)
        buffer.write("ignored", x: 2, y: 5)
        #expect(buffer.lines() == ["xyef"])
    }

    @Test func overwritingHalfAWideGraphemeBlanksTheOtherHalf() {
        var buffer = Buffer(area: Rect(width: 4, height: 1))
        buffer.write("漢字", x: 0, y: 0)
        buffer.write("a", x: 1, y: 0)
        buffer.write("b", x: 2, y: 0)
        #expect(buffer.lines() == [" ab "])
    }

    @Test func alignedWrites() {
        var buffer = Buffer(area: Rect(width: 5, height: 4))
        buffer.write("ab", x: 0, y: 0, width: 5, alignment: .right)
        buffer.write("ab", x: 0, y: 1, width: 5, alignment: .center)
        buffer.write("abcdefg", x: 0, y: 2, width: 5, alignment: .center)
        buffer.write("漢字漢", x: 0, y: 3, width: 5, alignment: .left)
        #expect(buffer.lines() == ["   ab", " ab  ", "abcd…", "漢字…"])
    }

    @Test func controlCharactersAreSkipped() {
        var buffer = Buffer(area: Rect(width: 5, height: 1))
        #expect(buffer.write("a\tb\u{7}c", x: 0, y: 0) == 3)
        #expect(buffer.write("é\u{1B}[", x: 3, y: 0) == 2)
        #expect(buffer.lines() == ["abcé["])
    }

    @Test func fillAndRoles() {
        var buffer = Buffer(area: Rect(width: 3, height: 2))
        buffer.fill(Rect(x: 1, y: 1, width: 5, height: 5), role: .selection)
        #expect(buffer[0, 1]?.role == .normal)
        #expect(buffer[2, 1]?.role == .selection)
        #expect(buffer[3, 1] == nil)
    }

    @Test func diffIsMinimal() {
        var first = Buffer(area: Rect(width: 10, height: 3))
        first.write("hello", x: 0, y: 0)
        var second = first
        #expect(second.diff(from: first).isEmpty)
        second.set(x: 4, y: 2, cell: Cell(grapheme: "x"))
        #expect(second.diff(from: first) == [CellChange(x: 4, y: 2, cell: Cell(grapheme: "x"))])
        #expect(second.diff(from: Buffer(area: Rect(width: 10, height: 2))).count == 30)
        #expect(second.diff(from: nil).count == 30)
    }
}

@Suite("Recording changes in place")
struct BufferRecordingTests {
    @Test func recordedChangesAreTheDiffOfTheUpdate() {
        var before = Buffer(area: Rect(width: 20, height: 4))
        before.write("hello 45s", x: 0, y: 1)
        before.fill(Rect(x: 0, y: 3, width: 20, height: 1), role: .header)
        var after = before
        after.startRecording()
        after.fill(Rect(x: 6, y: 1, width: 4, height: 1), with: .blank)
        after.write("46s", x: 6, y: 1)
        after.write("hello", x: 0, y: 1)  // the same text: no change
        after.setRole(.selection, in: Rect(x: 0, y: 3, width: 2, height: 1))
        after.write("漢", x: 10, y: 2)
        let recorded = after.recordedChanges()
        #expect(recorded == after.diff(from: before))
        #expect(!recorded.isEmpty)
        #expect(after.recordedChanges().isEmpty, "recording stops")
    }
}
