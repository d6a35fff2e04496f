import TestSupport
import ConsoleApp
import ScootAPI
import TUIKit
import Testing
import Thrift
import SchedulerCore

/// Bad user input in the console's forms and command line, as key sequences through
/// `ConsoleUpdate`: every input is refused with a message saying what is wrong, and nothing is sent.
@Suite("Bad user input in the console")
struct ConsoleBadInputTests {
    /// A console connected to a small cluster, as the user sees it before typing.
    static func connectedState() -> ConsoleState {
        var state = ConsoleState(endpoint: "127.0.0.1:9090")
        let effects = ConsoleUpdate.update(&state, .tick(now: .zero))
        guard case .poll(let id, _, _, _) = effects.first else { return state }
        let snapshot = ClusterSnapshot(
            jobs: [], workers: [WorkerInfo(id: "local-0", state: .idle, lastSnapshotId: "", tasksRun: 0)], load: nil,
            schedulerStatus: SchedulerStatus(currentTasks: 0, maxTasks: -1),
            settings: .init(classLoadPercents: ["land": 60, "diff": 40], requestorToClassMap: ["land.*": "land"], rebalanceThreshold: 0, rebalanceMinimumDuration: 4))
        _ = ConsoleUpdate.update(&state, .pollFinished(id: id, result: .success(snapshot)))
        return state
    }

    /// Whole numbers that are not, or not in range: fixed cases plus seeded corruptions of `30`.
    static func badIntegers(minimum: Int32) -> [String] {
        var inputs = [
            "", " ", "\t", "abc", "1.5", "1e3", "0x10", "--1", "+-1", "1-", "30%", "30 40", "3 0", "NaN", "inf", "∞",
            "2147483648", "99999999999999999999", "-2147483649", String(repeating: "9", count: 2000), String(repeating: "x", count: 2000),
            "½", "٣", "३०", "３０", "①", "🙂", "30🙂", "\u{202E}30", "3\u{0301}0", "\u{200B}30", "30\u{0}", "\u{7}", "\u{1B}[A", "\u{7F}",
            String(minimum - 1), String(Int64(Int32.min) - 1),
        ]
        var random = SplitMix64(seed: UInt64(bitPattern: Int64(minimum)) &+ 41)
        for _ in 0..<300 {
            var text = Array("30")
            // Not first: a leading combining mark would merge with the space before the number.
            text.insert(badCharacters.randomElement(using: &random)!, at: Int.random(in: 1...text.count, using: &random))
            inputs.append(String(text))
        }
        return inputs
    }

    /// Characters that are never part of a number: letters, punctuation, other scripts' digits,
    /// emoji, combining marks, controls (no whitespace, no sign, no ASCII digit).
    static let badCharacters: [Character] = {
        var characters: [Character] = Array("abcxyzXYZ.,;:!?=/\\()[]{}<>_*&^%$#@~`'\"|")
        characters += ["½", "٣", "३", "３", "①", "∞", "é", "ß", "中", "🙂", "👍🏽", "\u{0301}", "\u{200B}", "\u{202E}", "\u{FEFF}"]
        characters += (0..<32).map { Character(Unicode.Scalar(UInt8($0))) }.filter { !$0.isWhitespace }
        characters.append("\u{7F}")
        return characters
    }()

    static let badPercents: [String] = {
        var inputs = [
            "", ",", ",,,", "land", "land=", "=40", "land=abc", "land=-5", "land=0", "land=0,diff=0", "land=40,land=20", "land==40",
            "land=40=", "land=1.5", "land=９", "land=99999999999", "land 40", "land=40;diff=25", "land=40,diff", "land=40,=25",
            "land:40", "land=\u{0}", String(repeating: "land=40,", count: 300) + "x",
        ]
        var random = SplitMix64(seed: 7)
        for _ in 0..<200 {
            var text = Array("land=40,diff=25")
            let digitPositions = [5, 6, 13, 14]
            text.insert(badCharacters.filter { $0 != "," && $0 != "=" }.randomElement(using: &random)!, at: digitPositions.randomElement(using: &random)!)
            inputs.append(String(text))
        }
        return inputs
    }()

    static let badRequestorMaps: [String] = {
        var inputs = ["", ",", "noequals", "=land", "land.*=", "(=land", "[=land", "*=land", "a(b=land", "\\=land", "(?<=x=land", "x{2,1}=land", "+=land"]
        for depth in 1...40 { inputs.append(String(repeating: "(", count: depth) + "x=land") }
        for depth in 1...40 { inputs.append("x" + String(repeating: "[", count: depth) + "=land") }
        return inputs
    }()

    /// Command lines that do not parse.
    static let badCommands: [String] = {
        var inputs = [
            "", " ", "kill", "offline", "offline a b", "reinstate", "reinstate a b", "track", "untrack", "maxtasks", "maxtasks 1 2",
            "threshold", "duration", "percents", "map", "frobnicate", "kil j1", "🙂", "\u{1B}", String(repeating: "z", count: 2000),
        ]
        inputs += badIntegers(minimum: 0).prefix(60).filter { !$0.isEmpty }.map { "threshold \($0)" }
        inputs += badIntegers(minimum: -1).prefix(60).filter { !$0.isEmpty }.map { "maxtasks \($0)" }
        // The whole-table forms (a leading `=`) refuse what the forms refuse.
        inputs += badPercents.prefix(30).map { "percents =\($0)" }
        inputs += badRequestorMaps.prefix(20).map { "map =\($0)" }
        // Changes to some entries refuse names that do not exist, naming the ones that do.
        inputs += [
            "percents nosuchclass=10", "percents -nosuch", "percents +land=5", "percents land=1,-land", "percents -", "percents land=x",
            "map ci-.*=nosuchclass", "map -", "percents land=0,diff=0",
        ]
        return inputs
    }()

    /// Words the refusal may use: each says what is wrong or what is expected.
    static let explanatoryWords = [
        "e.g.", "below", "is not", "negative", "twice", "zero", "no percents", "no mapping", "REGEX=CLASS", "try :help", "needs",
        "unknown", "to remove", "exists already",
    ]

    static func keys(typing text: String) -> [Key] { text.map { .character($0) } }

    /// Opens `form` with its key, clears it, types `text`, presses enter.
    static func tryForm(_ formKey: Character, _ form: ConsoleState.Form, _ text: String) -> (effects: [ConsoleEffect], overlay: ConsoleState.Overlay?) {
        var state = connectedState()
        var effects = ConsoleUpdate.update(&state, .key(.character(formKey)))
        for key in [.control("u")] + keys(typing: text) + [.enter] { effects += ConsoleUpdate.update(&state, .key(key)) }
        return (effects, state.overlay)
    }

    @Test(arguments: [
        (Character("m"), ConsoleState.Form.maxTasks, Int32(-1)),
        (Character("t"), ConsoleState.Form.threshold, Int32(0)),
        (Character("d"), ConsoleState.Form.duration, Int32(0)),
    ])
    func numberFormsRefuseEveryBadNumber(formKey: Character, form: ConsoleState.Form, minimum: Int32) async {
        await Self.expectRefused(formKey, form, Self.badIntegers(minimum: minimum))
    }

    @Test func percentsAndRequestorMapFormsRefuseBadInput() async {
        await Self.expectRefused("p", .percents, Self.badPercents)
        await Self.expectRefused("M", .requestorMap, Self.badRequestorMaps)
    }

    /// Types each input into the form opened by `formKey` and expects an explained refusal with
    /// nothing sent.
    private static func expectRefused(_ formKey: Character, _ form: ConsoleState.Form, _ inputs: [String]) async {
        for (tried, text) in inputs.enumerated() {
            // Gives the pool back now and then: thousands of inputs would hold one of its threads.
            if tried % 100 == 0 { await Task.yield() }
            let (effects, overlay) = tryForm(formKey, form, text)
            #expect(effects.isEmpty, "\(form) '\(text.debugDescription)': nothing may be sent")
            guard case .form(form, TextInput(text), let error?) = overlay else {
                Issue.record("\(form) '\(text.debugDescription)': expected the form with an error, got \(String(describing: overlay))")
                continue
            }
            #expect(explanatoryWords.contains { error.contains($0) }, "\(form) '\(text.debugDescription)': unclear message \(error)")
        }
        Reliability.figure("console \(form) form: \(inputs.count) bad inputs tried")
    }

    @Test func theCommandLineRefusesBadCommands() {
        let inputs = Self.badCommands
        for text in inputs {
            var state = Self.connectedState()
            var effects = ConsoleUpdate.update(&state, .key(.character(":")))
            for key in Self.keys(typing: text) + [.enter] { effects += ConsoleUpdate.update(&state, .key(key)) }
            #expect(effects.isEmpty, "':\(text.debugDescription)': nothing may be sent")
            guard case .commandLine(TextInput(text), let error?) = state.overlay else {
                Issue.record("':\(text.debugDescription)': expected the command line with an error, got \(String(describing: state.overlay))")
                continue
            }
            #expect(Self.explanatoryWords.contains { error.contains($0) }, "':\(text.debugDescription)': unclear message \(error)")
        }
        Reliability.figure("console command line: \(inputs.count) bad commands tried")
    }

    @Test func keysThatAreNotTextChangeNothing() {
        // Control keys, function keys and arrows in a form neither type nor send anything.
        let noise: [Key] = [.control("a"), .control("c"), .control("z"), .function(1), .function(12), .up, .down, .home, .end, .pageUp, .tab, .backTab]
        var state = Self.connectedState()
        var effects = ConsoleUpdate.update(&state, .key(.character("t")))
        for key in [.control("u")] + noise + Self.keys(typing: "x") + noise + [.enter] { effects += ConsoleUpdate.update(&state, .key(key)) }
        #expect(effects.isEmpty)
        guard case .form(.threshold, "x", .some) = state.overlay else {
            Issue.record("expected the threshold form with text 'x' and an error, got \(String(describing: state.overlay))")
            return
        }
        Reliability.figure("console form: \(noise.count * 2) non-text keys tried")
    }

    @Test(.serialized, arguments: ["no-such-job", "0f0e0d0c-aaaa-4bbb-8ccc-123456789abc", "jöb-ünïcode-🙂", String(repeating: "k", count: 1000)])
    func killOfAnUnknownJobShowsTheServersAnswerVerbatim(id: String) async {
        let source = ThriftDataSource(caller: ThriftLoopbackCaller(processor: CloudScootProcessor(handler: InMemoryCloudScoot())))
        // :kill ID, enter, move to Kill, enter; the job is not in the list, so the dialog warns
        // and enter once more sends it: the runtime shows the answer.
        let keys: [Key] = [.character(":")] + Self.keys(typing: "kill \(id)") + [.enter, .tab, .enter, .enter]
        let console = ConsoleHarness(source: source, state: ConsoleState(endpoint: "test"), keys: keys, afterFirstPoll: true)
        let answer = "Internal error processing KillJob: cannot kill Job Id \(id), not found."
        // Up to 60 s: the kill runs as a task on the cooperative pool, which the full parallel run
        // can keep busy for tens of seconds on two cores. The flash history, not the flash line:
        // a flash shown for a few seconds can be gone before a test starved as long looks.
        let shown = { (state: ConsoleState) in state.flashHistory.messages.first { $0.text.contains(answer) } }
        #expect(await console.waitFor(60) { shown($0) != nil }, "flashes: \(console.state.flashHistory.messages.map(\.text))")
        #expect(shown(console.state)?.isError == true)
        await console.stop()
    }
}
