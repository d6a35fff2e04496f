import TUIKit
import Testing
@testable import ConsoleApp

@Suite("Settings form input")
struct FormInputTests {
    /// Found by the reliability suite: a combining mark typed first joined the space between the
    /// command and the value, vanished with it, and `30` was accepted.
    @Test func aCombiningMarkTypedFirstIsNotSwallowed() {
        var state = connectedState()
        press(&state, .character("t"), .control("u"), .character("\u{301}"), .character("3"), .character("0"), .enter)
        guard case .form(.threshold, _, let error?) = state.overlay else {
            Issue.record("expected the form with an error, got \(String(describing: state.overlay))")
            return
        }
        #expect(error.contains("is not a whole number"))
    }

    @Test func aPlainNumberStillGoesToTheConfirmation() {
        var state = connectedState()
        press(&state, .character("t"), .control("u"), .character("3"), .character("0"), .enter)
        #expect(state.overlay == .confirm(.setRebalanceThreshold(30), confirmFocused: false))
    }
}
