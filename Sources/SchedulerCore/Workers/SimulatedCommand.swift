/// Reads the duration a simulated worker "runs" from a command: `sleep 2.5` (as `["sleep", "2.5"]`
/// or inside `sh -c` / `bash -c`, e.g. `["sh", "-c", "sleep 3"]`).
enum SimulatedCommand {
    /// The requested sleep, or nil when the command is not a plain sleep.
    static func sleepDuration(of argv: [String]) -> Duration? {
        if argv.count == 2, argv[0] == "sleep" { return seconds(argv[1]) }
        if argv.count == 3, ["sh", "bash", "/bin/sh", "/bin/bash"].contains(argv[0]), argv[1] == "-c" {
            let words = argv[2].split(whereSeparator: \.isWhitespace)
            if words.count == 2, words[0] == "sleep" { return seconds(String(words[1])) }
        }
        return nil
    }

    private static func seconds(_ text: String) -> Duration? {
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        return .milliseconds(Int64((value * 1000).rounded()))
    }
}
