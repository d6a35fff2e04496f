import Glibc

/// Why a run could not start; its text becomes the FAILED run status's error.
struct LaunchFailure: Error, CustomStringConvertible {
    /// What went wrong, with the operating system's explanation.
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// The operating system's text for an `errno` value, e.g. "No such file or directory".
func systemErrorText(_ code: Int32) -> String {
    String(cString: strerror(code))
}
