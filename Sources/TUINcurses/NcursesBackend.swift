import CNcurses
import Glibc
import TUIKit

/// Why the ncurses backend could not start.
public enum NcursesError: Error, CustomStringConvertible, Equatable {
    /// `newterm` failed: unknown or unusable terminal type (TERM).
    case cannotOpenTerminal(type: String)
    /// A headless terminal's input or output file could not be opened.
    case cannotOpenFile(path: String)

    public var description: String {
        switch self {
        case .cannotOpenTerminal(let type): "cannot open the terminal (TERM=\(type.isEmpty ? "<unset>" : type))"
        case .cannotOpenFile(let path): "cannot open \(path)"
        }
    }
}

/// Which terminal the backend drives.
public enum NcursesTerminal: Sendable, Hashable {
    /// The process's own terminal: stdin/stdout and `$TERM`.
    case standard
    /// A terminal of type `type` writing to `output` and reading from `input` (e.g. `/dev/null`
    /// for headless tests), sized `width`×`height` when given.
    case headless(type: String, input: String, output: String, width: Int?, height: Int?)

    /// A headless xterm-256color on /dev/null.
    public static func headless(type: String = "xterm-256color", width: Int? = nil, height: Int? = nil) -> NcursesTerminal {
        .headless(type: type, input: "/dev/null", output: "/dev/null", width: width, height: height)
    }
}

/// The ncurses backend: the only code that talks to ncurses.
///
/// **Threading**: ncurses is global, non-thread-safe state. Create the backend, call every
/// method and shut it down on one and the same thread (the thread that runs the UI loop). It is
/// deliberately not `Sendable`. Only one backend may be live at a time.
///
/// Start-up: forces a UTF-8 locale (before `newterm`), cbreak, noecho, keypad, hidden cursor,
/// 25 ms escape delay; colours with `use_default_colors` (so `default` is the terminal's own),
/// the theme's 256-colour styles when the terminal has ≥ 256 colours, else its 8-colour
/// fallback; monochrome (attributes only) when `NO_COLOR` is set non-empty or the terminal has
/// no colours. Colour pairs are allocated lazily, one per distinct foreground/background.
public final class NcursesBackend: Backend {
    /// The colour depth in use.
    public let colorDepth: ColorDepth
    /// The theme in use (in monochrome: the given theme if it is colour-free, else the built-in mono).
    public private(set) var theme: Theme
    /// The codeset the locale ended up with (`UTF-8` unless no UTF-8 locale exists).
    public let codeset: String
    /// Whether the locale is UTF-8, so box drawing and other non-ASCII text display; when false
    /// the app should use its ASCII glyphs.
    public var supportsUnicode: Bool { codeset == "UTF-8" }

    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    private var files: [UnsafeMutablePointer<FILE>] = []
    private var isShutDown = false
    private let defaultColorsOK: Bool
    private let maxPairs: Int
    private var pairs: [PairKey: Int32] = [:]
    private var roleCache: [RoleKey: (attr: attr_t, pair: Int32)] = [:]
    private var wide: [wchar_t] = []

    private struct PairKey: Hashable {
        var foreground: Int32
        var background: Int32
    }

    private struct RoleKey: Hashable {
        var role: StyleRole
        var attributes: TextAttributes
    }

    /// Starts curses on `terminal`.
    /// - Parameters:
    ///   - theme: the colour theme (role → style).
    ///   - terminal: the real terminal (default) or a headless one for tests.
    ///   - colorDepth: forces a colour depth (tests); nil picks it from `NO_COLOR` and the terminal.
    ///   - environment: where `NO_COLOR` and `TERM` are read (default: the process environment).
    ///   - escapeDelayMs: how long ncurses waits after Esc for the rest of a key sequence.
    ///   - controlKeysAsInput: false (default): cbreak mode, Ctrl-C/Ctrl-Z/Ctrl-\ raise their
    ///     signals (ncurses restores the terminal on SIGINT/SIGTERM before exiting); true: raw
    ///     mode, they arrive as `.control("c")` etc. and the app decides.
    public init(
        theme: Theme = .builtinDefault,
        terminal: NcursesTerminal = .standard,
        colorDepth forcedDepth: ColorDepth? = nil,
        environment: [String: String]? = nil,
        escapeDelayMs: Int = 25,
        controlKeysAsInput: Bool = false
    ) throws {
        codeset = NcursesBackend.ensureUTF8Locale()
        let env = environment ?? NcursesBackend.processEnvironment()

        var opened: OpaquePointer?
        var openedFiles: [UnsafeMutablePointer<FILE>] = []
        switch terminal {
        case .standard:
            let type = env["TERM"] ?? ""
            opened = type.isEmpty ? nil : cn_newterm_std(type)
            if opened == nil { throw NcursesError.cannotOpenTerminal(type: type) }
        case .headless(let type, let input, let output, _, _):
            guard let outFile = fopen(output, "w") else { throw NcursesError.cannotOpenFile(path: output) }
            guard let inFile = fopen(input, "r") else {
                fclose(outFile)
                throw NcursesError.cannotOpenFile(path: input)
            }
            openedFiles = [outFile, inFile]
            opened = newterm(type, outFile, inFile)
            if opened == nil {
                openedFiles.forEach { fclose($0) }
                throw NcursesError.cannotOpenTerminal(type: type)
            }
        }
        screen = opened!
        files = openedFiles
        _ = set_term(screen)
        window = cn_stdscr()
        if case .headless(_, _, _, let width?, let height?) = terminal {
            _ = resizeterm(Int32(height), Int32(width))
            _ = flushinp()  // drop the KEY_RESIZE that resizeterm queues: the size is the initial one
        }

        _ = controlKeysAsInput ? raw() : cbreak()
        _ = noecho()
        _ = nonl()  // Enter arrives as \r; we map both \r and \n
        _ = keypad(window, true)
        _ = curs_set(0)
        // No typeahead checks while drawing: ncurses would poll the input and flush its output
        // every few lines (dozens of syscalls per frame); a frame is small enough to send whole.
        _ = typeahead(-1)
        _ = cn_set_escdelay(Int32(escapeDelayMs))

        let noColor = !(env["NO_COLOR"] ?? "").isEmpty
        var depth: ColorDepth = .monochrome
        var defaultsOK = false
        if !noColor && has_colors() {
            _ = start_color()
            defaultsOK = use_default_colors() == OK
            depth = cn_colors() >= 256 ? .indexed256 : (cn_colors() >= 8 ? .basic8 : .monochrome)
        }
        if let forcedDepth {
            if forcedDepth != .monochrome && !has_colors() {
                depth = .monochrome
            } else {
                if forcedDepth != .monochrome && depth == .monochrome {
                    _ = start_color()
                    defaultsOK = use_default_colors() == OK
                }
                depth = forcedDepth
            }
        }
        colorDepth = depth
        defaultColorsOK = defaultsOK
        maxPairs = depth == .monochrome ? 0 : Int(cn_color_pairs())
        self.theme = depth == .monochrome && !theme.isMonochrome ? .builtinMono : theme
        // ncurses flushes its output after every cursor move until the screen has been through
        // one endwin/refresh cycle (its "initial" state): a frame that changes one column would
        // go out as one write per row. One cycle at start leaves that state; from then on a
        // frame goes out in one write.
        _ = endwin()
        _ = doupdate()
    }

    deinit {
        shutdown()
    }

    /// Ends curses and restores the terminal (`endwin`), then frees the screen. Idempotent;
    /// called by deinit. Call it before printing to stdout after the UI. Afterwards the backend
    /// draws nothing, reports size 0×0 and no events.
    public func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        _ = set_term(screen)
        _ = endwin()
        delscreen(screen)
        files.forEach { fclose($0) }
        files = []

    }

    /// Switches themes; everything drawn afterwards uses it (the caller redraws).
    public func setTheme(_ newTheme: Theme) {
        theme = colorDepth == .monochrome && !newTheme.isMonochrome ? .builtinMono : newTheme
        roleCache = [:]
    }

    // MARK: - Backend

    public var size: (width: Int, height: Int) {
        isShutDown ? (0, 0) : (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    public func draw(_ changes: [CellChange]) {
        guard !isShutDown else { return }
        for change in changes where change.cell.width > 0 {
            let (attr, pair) = style(for: change.cell)
            wide.removeAll(keepingCapacity: true)
            for scalar in change.cell.grapheme.unicodeScalars {
                wide.append(wchar_t(bitPattern: scalar.value))
            }
            if wide.isEmpty { wide.append(32) }
            _ = cn_mvwadd_cell(window, Int32(change.y), Int32(change.x), wide, Int32(wide.count), attr, pair)
        }
    }

    public func flush() {
        guard !isShutDown else { return }
        _ = wnoutrefresh(window)
        _ = doupdate()
    }

    /// Writes the OSC 52 sequence straight to the terminal, beside what curses draws.
    public func copyToClipboard(_ text: String) {
        guard !isShutDown else { return }
        let output = files.first ?? cn_stdout()
        _ = fputs(Clipboard.osc52(text), output)
        _ = fflush(output)
    }

    public func clear() {
        guard !isShutDown else { return }
        _ = werase(window)
        _ = clearok(window, true)
    }

    /// A wake-up pipe: `makeWaker`'s function writes a byte, `nextEvent`'s `poll` sees it. It is
    /// never closed (two descriptors per backend): a waker called late, from a task finishing
    /// after shutdown, must not write into a descriptor number reused by another file.
    private let wakePipe: (read: Int32, write: Int32) = {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return (-1, -1) }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        return (descriptors[0], descriptors[1])
    }()

    public func makeWaker() -> (@Sendable () -> Void)? {
        let descriptor = wakePipe.write
        guard descriptor >= 0 else { return nil }
        return {
            var byte: UInt8 = 1
            _ = write(descriptor, &byte, 1)  // a full pipe already holds a wake-up
        }
    }

    /// The descriptor keys arrive on.
    private var inputDescriptor: Int32 { files.count > 1 ? fileno(files[1]) : 0 }

    /// Waits up to `timeoutMs` (negative: forever) for input or a wake-up. Returns nil on
    /// timeout, and also for input that decodes to no `Key` (mouse, unknown function keys, stray
    /// control bytes); `.wakeUp` when a waker was called. Keys curses already holds (the rest of
    /// a paste, a queued resize) come first, without waiting.
    public func nextEvent(timeoutMs: Int) -> TerminalEvent? {
        guard !isShutDown else { return nil }
        if let event = readKey() { return event }
        var descriptors = [pollfd(fd: inputDescriptor, events: Int16(POLLIN), revents: 0), pollfd(fd: wakePipe.read, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&descriptors, nfds_t(wakePipe.read >= 0 ? 2 : 1), Int32(clamping: timeoutMs))
        if ready < 0 { return errno == EINTR ? readKey() : nil }  // a signal (SIGWINCH) may have queued a resize
        if descriptors[1].revents & Int16(POLLIN) != 0 {
            var drain = [UInt8](repeating: 0, count: 64)
            while read(wakePipe.read, &drain, drain.count) > 0 {}
            return .wakeUp
        }
        guard ready > 0 else { return nil }
        return readKey()
    }

    /// One key curses has or can read without waiting (escape sequences still get the escape delay).
    private func readKey() -> TerminalEvent? {
        wtimeout(window, 0)
        var input: wint_t = 0
        let status = wget_wch(window, &input)
        if status == ERR { return nil }
        if status == cn_key_code_yes() {
            let code = Int32(bitPattern: input)
            if code == KEY_RESIZE {
                let (width, height) = size
                return .resize(width: width, height: height)
            }
            return NcursesBackend.decodeKeyCode(code).map(TerminalEvent.key)
        }
        return NcursesBackend.decodeCharacter(UInt32(input)).map(TerminalEvent.key)
    }

    // MARK: - Key decoding

    /// Decodes a curses function-key code (`wget_wch` returned KEY_CODE_YES).
    public static func decodeKeyCode(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME, KEY_A1, KEY_FIND: return .home
        case KEY_END, KEY_C1, KEY_SELECT, KEY_LL: return .end
        case KEY_ENTER: return .enter
        case KEY_BTAB: return .backTab
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        default:
            let f1 = cn_key_f(1)
            if code >= f1 && code <= cn_key_f(12) { return .function(Int(code - f1) + 1) }
            return nil
        }
    }

    /// Decodes a character from `wget_wch` (status OK).
    public static func decodeCharacter(_ value: UInt32) -> Key? {
        switch value {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 127, 8: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(value + 96)!))
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    // MARK: - Styles and colour pairs

    /// The curses attributes and colour pair a role (plus extra attributes) is drawn with.
    public func cursesStyle(for role: StyleRole, attributes: TextAttributes = []) -> (attributes: UInt32, pair: Int) {
        let (attr, pair) = style(for: Cell(role: role, attributes: attributes))
        return (UInt32(truncatingIfNeeded: attr), Int(pair))
    }

    /// The number of colour pairs allocated so far (0 in monochrome).
    public var allocatedPairCount: Int { pairs.count }

    /// The foreground and background of a colour pair (-1 = the terminal's default).
    public func pairColors(_ pair: Int) -> (foreground: Int, background: Int) {
        var fg: Int32 = 0, bg: Int32 = 0
        _ = cn_pair_content(Int32(pair), &fg, &bg)
        return (Int(fg), Int(bg))
    }

    private func style(for cell: Cell) -> (attr_t, Int32) {
        let key = RoleKey(role: cell.role, attributes: cell.attributes)
        if let cached = roleCache[key] { return cached }
        let roleStyle = theme.style(for: cell.role, depth: colorDepth)
        var attr = cursesAttributes(roleStyle.attributes.union(cell.attributes))
        var pair: Int32 = 0
        if colorDepth != .monochrome {
            pair = pairNumber(foreground: roleStyle.foreground, background: roleStyle.background)
            if pair < 0 {
                // Out of pairs: keep the role readable with reverse video where it had a background.
                pair = 0
                if roleStyle.background != .default { attr |= cn_a_reverse() }
            }
        }
        roleCache[key] = (attr, pair)
        return (attr, pair)
    }

    private func cursesAttributes(_ attributes: TextAttributes) -> attr_t {
        var attr = cn_a_normal()
        if attributes.contains(.bold) { attr |= cn_a_bold() }
        if attributes.contains(.dim) { attr |= cn_a_dim() }
        if attributes.contains(.reverse) { attr |= cn_a_reverse() }
        if attributes.contains(.underline) { attr |= cn_a_underline() }
        if attributes.contains(.italic) { attr |= cn_a_italic() }
        return attr
    }

    /// The pair for fg/bg, allocated on first use; 0 for default-on-default, -1 when out of pairs.
    private func pairNumber(foreground: TerminalColor, background: TerminalColor) -> Int32 {
        let key = PairKey(foreground: colorNumber(foreground, isForeground: true),
                          background: colorNumber(background, isForeground: false))
        if key.foreground == -1 && key.background == -1 { return 0 }
        if let pair = pairs[key] { return pair }
        let next = Int32(pairs.count + 1)
        guard Int(next) < maxPairs, init_extended_pair(next, key.foreground, key.background) == OK else { return -1 }
        pairs[key] = next
        return next
    }

    private func colorNumber(_ color: TerminalColor, isForeground: Bool) -> Int32 {
        switch color {
        case .default:
            return defaultColorsOK ? -1 : (isForeground ? Int32(COLOR_WHITE) : Int32(COLOR_BLACK))
        case .indexed(let index):
            let limit = colorDepth == .indexed256 ? min(256, Int(cn_colors())) : 8
            return Int(index) < limit ? Int32(index) : Int32(Theme.basicColor(color).index ?? 7)
        }
    }

    // MARK: - Reading the screen back (tests)

    /// The text of row `y` as curses holds it (wide characters once, trailing blanks kept).
    public func rowText(_ y: Int) -> String {
        let width = size.width
        var buffer = [wchar_t](repeating: 0, count: width + 1)
        let count = cn_mvwinnwstr(window, Int32(y), 0, &buffer, Int32(width))
        guard count != ERR else { return "" }
        var scalars = String.UnicodeScalarView()
        for value in buffer.prefix(while: { $0 != 0 }) {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: value)) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    /// The text, attributes and colour pair of the cell at (x, y) as curses holds it.
    public func cellAt(x: Int, y: Int) -> (text: String, attributes: TextAttributes, pair: Int)? {
        var buffer = [wchar_t](repeating: 0, count: 16)
        var attr: attr_t = 0
        var pair: Int32 = 0
        guard cn_mvwin_cell(window, Int32(y), Int32(x), &buffer, &attr, &pair) != ERR else { return nil }
        var scalars = String.UnicodeScalarView()
        for value in buffer.prefix(while: { $0 != 0 }) {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: value)) { scalars.append(scalar) }
        }
        var attributes: TextAttributes = []
        if attr & cn_a_bold() != 0 { attributes.insert(.bold) }
        if attr & cn_a_dim() != 0 { attributes.insert(.dim) }
        if attr & cn_a_reverse() != 0 { attributes.insert(.reverse) }
        if attr & cn_a_underline() != 0 { attributes.insert(.underline) }
        if attr & cn_a_italic() != 0 { attributes.insert(.italic) }
        return (String(scalars), attributes, Int(pair))
    }

    /// Resizes curses' idea of the terminal as a SIGWINCH would (tests): the next `nextEvent`
    /// returns `.resize`.
    func simulateResize(width: Int, height: Int) {
        _ = resizeterm(Int32(height), Int32(width))
    }

    // MARK: - Locale and environment

    /// Makes the C locale UTF-8 (needed before `newterm` for wide characters and UTF-8 box
    /// drawing): the environment's locale when it is UTF-8, else `C.UTF-8`. Returns the codeset.
    @discardableResult
    public static func ensureUTF8Locale() -> String {
        let ok = setlocale(LC_ALL, "") != nil
        var codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        if !ok || codeset != "UTF-8", setlocale(LC_ALL, "C.UTF-8") != nil {
            codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        }
        return codeset
    }

    static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        for name in ["TERM", "NO_COLOR"] {
            if let value = getenv(name) { result[name] = String(cString: value) }
        }
        return result
    }
}

extension TerminalColor {
    fileprivate var index: UInt8? {
        if case .indexed(let index) = self { return index }
        return nil
    }
}
