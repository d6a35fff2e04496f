import ConsoleApp
import Foundation
import TUIKit
import Testing
@testable import FlightRecorder

/// A console run recorded and replayed draws the same screens: every pane, at every poll, at
/// two terminal sizes. Only the header's first line (the time bar instead of the connection),
/// the flash line and the key hints (a replay's own) may differ.
@Suite("Replay draws what the live console drew")
struct ReplayScreensTests {
    static let panes: [Pane] = [.jobs, .workers, .classes, .settings, .events]

    /// Each pane's rows but the first, the flash line and the hints.
    static func screens(_ state: ConsoleState, width: Int, height: Int) -> [Pane: [String]] {
        var state = state
        var screens: [Pane: [String]] = [:]
        for pane in panes {
            state.pane = pane
            var buffer = Buffer(area: Rect(width: width, height: height))
            ConsoleView.render(state, into: &buffer)
            screens[pane] = Array(buffer.lines()[1..<(height - 2)])
        }
        return screens
    }

    @Test(arguments: [(120, 40), (80, 24)])
    func everyPaneAtEveryPoll(width: Int, height: Int) async throws {
        let run = RecordedRun(seed: 15, polls: 120)
        defer { try? FileManager.default.removeItem(atPath: run.directory) }
        let utc = TimeZone(identifier: "UTC")!

        var live = ConsoleState(endpoint: "recorded")
        live.timeZone = utc
        _ = ConsoleUpdate.update(&live, .resize(width: width, height: height))
        var liveScreens: [[Pane: [String]]] = []
        for snapshot in run.polls {
            await Task.yield()
            _ = ConsoleUpdate.update(&live, .pollFinished(id: live.pollRequestID, result: .success(snapshot)))
            liveScreens.append(Self.screens(live, width: width, height: height))
        }

        // The comparison means something only if the screens hold the cluster and move with it.
        #expect(Set(liveScreens.map { $0[.jobs]! }).count > 20 && Set(liveScreens.map { $0[.events]! }).count > 5)
        #expect(live.rows.jobs.count > 10 && liveScreens.last![.jobs]!.filter { $0.contains("job-") }.count >= 10)

        let reader = try RecordingReader(path: run.directory)
        var replay = ConsoleState(endpoint: "recorded", readOnly: true)
        replay.timeZone = utc
        replay.replay = ReplayState(span: try #require(reader.span), marks: reader.marks, position: run.polls[0].observedAt)
        _ = ConsoleUpdate.update(&replay, .resize(width: width, height: height))
        for (index, snapshot) in run.polls.enumerated() {
            await Task.yield()
            let frame = try #require(try reader.frame(at: snapshot.observedAt))
            _ = ConsoleUpdate.update(&replay, .replayFrame(frame))
            let replayed = Self.screens(replay, width: width, height: height)
            for pane in Self.panes where replayed[pane] != liveScreens[index][pane] {
                let diff = zip(liveScreens[index][pane]!, replayed[pane]!).enumerated().filter { $0.element.0 != $0.element.1 }
                    .prefix(3).map { "row \($0.offset + 1):\n  live:   \($0.element.0)\n  replay: \($0.element.1)" }
                Issue.record("poll \(index), \(pane.title) at \(width)×\(height) differs:\n\(diff.joined(separator: "\n"))")
                return
            }
        }
    }
}
