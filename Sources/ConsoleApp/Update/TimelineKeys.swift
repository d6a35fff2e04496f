import TUIKit

/// The Tasks pane's timeline keys: `T` toggles it; `←`/`→` (`h`/`l`) move the time cursor one
/// column, `]`/`[` zoom in and out around it, `0` fits the whole job. The task cursor is the
/// table's (`j`/`k` and the rest move it in both views).
enum TimelineKeys {
    static func handle(_ state: inout ConsoleState, _ command: KeyCommand) {
        if command == .toggleTimeline {
            state.taskTimeline.shown.toggle()
            // The timeline shows fewer rows than the table: keep the cursor's row on screen.
            state.scrollToSelection(in: .tasks)
            return
        }
        guard state.taskTimeline.shown else {
            ConsoleUpdate.flash(&state, "the time cursor and the zoom work in the timeline: T shows it", error: true)
            return
        }
        guard let timeline = state.taskTimelineModel else {
            ConsoleUpdate.flash(&state, "no timeline yet: the tasks of the job are not loaded", error: true)
            return
        }
        let width = TaskTimelineLayout.barWidth(screenWidth: state.screen.width)
        var (cursorMs, zoom) = state.taskTimeline.position(for: timeline.jobID)
        let window = timeline.window(zoom: zoom, cursorMs: cursorMs)
        let step = window.millisecondsPerColumn(width: width)
        switch command {
        case .timeEarlier:
            cursorMs = max(timeline.span.lowerBound, window.cursorMs - step)
        case .timeLater:
            // Past the end the cursor follows the latest time again.
            let later = window.cursorMs + step
            cursorMs = later >= timeline.span.upperBound ? nil : later
        case .zoomIn:
            guard timeline.canZoom(beyond: zoom, width: width) else {
                ConsoleUpdate.flash(&state, "zoomed in as far as it goes (one column for \(durationText(milliseconds: step)))", error: false)
                return
            }
            cursorMs = window.cursorMs == timeline.span.upperBound ? nil : window.cursorMs
            zoom += 1
        case .zoomOut:
            guard zoom > 0 else { ConsoleUpdate.flash(&state, "the whole job is shown", error: false); return }
            zoom -= 1
        case .zoomFit:
            zoom = 0
        default:
            return
        }
        state.taskTimeline.jobID = timeline.jobID
        state.taskTimeline.cursorMs = cursorMs
        state.taskTimeline.zoom = zoom
    }
}
