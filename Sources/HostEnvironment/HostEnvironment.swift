import Foundation

/// Who runs this process and where its files go: the one user identity and the one reading of
/// the XDG base directory rules that the console, the CLI, `serve` and `gateway` share.
public enum HostEnvironment {
    /// The user running this process: the password database's name for the uid (as Go's
    /// `user.Current()`, which scootcl uses), else `$USER`, else `$LOGNAME`, else `uid-N`.
    public static var userName: String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name, name.pointee != 0 { return String(cString: name) }
        let environment = ProcessInfo.processInfo.environment
        return [environment["USER"], environment["LOGNAME"]].compactMap { $0 }.first { !$0.isEmpty } ?? "uid-\(getuid())"
    }

    /// `$XDG_STATE_HOME/scoot-console`, else `$HOME/.local/state/scoot-console`: the audit log,
    /// the events journal, `serve`'s and `gateway`'s data.
    public static func stateDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        base("XDG_STATE_HOME", fallback: ".local/state", environment: environment) + "/scoot-console"
    }

    /// `$XDG_CONFIG_HOME/scoot-console`, else `$HOME/.config/scoot-console`: profiles.
    public static func configDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        base("XDG_CONFIG_HOME", fallback: ".config", environment: environment) + "/scoot-console"
    }

    /// The XDG rule: the variable when it is an absolute path (a relative one is invalid and
    /// ignored), else `$HOME/<fallback>`.
    static func base(_ variable: String, fallback: String, environment: [String: String]) -> String {
        if let value = environment[variable], value.hasPrefix("/") { return value }
        return home(environment) + "/" + fallback
    }

    /// `$HOME`, else the password database's home directory.
    public static func home(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = environment["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }
}
