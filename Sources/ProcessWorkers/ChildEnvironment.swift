/// The environment of a task's command: exactly the task's own variables, plus the server's
/// `PATH` when the task sets none, so that commands find the usual tools without inheriting
/// anything else from the server (credentials, `HOME`, locale), which keeps runs reproducible.
enum ChildEnvironment {
    /// The `NAME=value` entries for a task with `variables`, given the server's `PATH`.
    static func entries(for variables: [String: String], serverPath: String?) -> [String] {
        var environment = variables
        if environment["PATH"] == nil, let serverPath {
            environment["PATH"] = serverPath
        }
        return environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }
}
