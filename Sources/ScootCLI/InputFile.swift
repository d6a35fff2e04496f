import Foundation

/// Files named by CLI flags, read before anything is sent so a bad path changes nothing.
public enum InputFile {
    /// The text of `path` (`-` is stdin), or a usage error naming `flag` and the path.
    public static func read(_ path: String, flag: String) throws(CLIFailure) -> String {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            // A FileHandle, not FileManager.contents(atPath:): that returns nil for pipes and
            // devices, and `--job-def <(jq … )` passes a pipe.
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .usage("\(flag) \(path): no such file; check the path") }
            guard !isDirectory.boolValue else { throw .usage("\(flag) \(path): is a directory; give the file inside it") }
            guard let handle = FileHandle(forReadingAtPath: path) else { throw .usage("\(flag) \(path): it cannot be opened (permissions?); check the path") }
            defer { try? handle.close() }
            do {
                data = try handle.readToEnd() ?? Data()
            } catch {
                throw .usage("\(flag) \(path): reading failed: \(error.localizedDescription)")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .usage("\(flag) \(path): not UTF-8 text; save the file as UTF-8 JSON") }
        return text
    }
}
