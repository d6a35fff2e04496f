import Foundation

/// Files named by CLI flags, read before anything is sent so a bad path changes nothing.
public enum InputFile {
    /// The text of `path` (`-` is stdin), or a usage error naming `flag` and the path.
    public static func read(_ path: String, flag: String) throws(CLIFailure) -> String {
        let data: Data?
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: path)
        }
        guard let data else {
            let reason = FileManager.default.fileExists(atPath: path) ? "it cannot be read (permissions?)" : "no such file"
            throw .usage("\(flag) \(path): \(reason); check the path")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .usage("\(flag) \(path): not UTF-8 text; save the file as UTF-8 JSON") }
        return text
    }
}
