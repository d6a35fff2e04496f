import Glibc

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29) and `…_addclosefrom_np` (2.34), which
/// Swift's Glibc module does not import; looked up once in the C library at run time.
enum SpawnFileActionExtensions {
    private typealias AddChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static let addChangeDirectoryFunction = dlsym(nil, "posix_spawn_file_actions_addchdir_np")
        .map { unsafeBitCast($0, to: AddChangeDirectory.self) }
    private static let addCloseFromFunction = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Makes the child change to `directory` before it runs the command.
    static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ directory: String) throws(LaunchFailure) {
        guard let add = addChangeDirectoryFunction else {
            throw LaunchFailure("this C library cannot set a spawned process's working directory (glibc 2.29 or later needed)")
        }
        let result = add(&actions, directory)
        guard result == 0 else { throw LaunchFailure("cannot use directory \(directory): \(systemErrorText(result))") }
    }

    /// Makes the child close every descriptor from `lowest` up, so that descriptors the server
    /// opened without close-on-exec do not leak into commands. Skipped on C libraries without it.
    static func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
        _ = addCloseFromFunction?(&actions, lowest)
    }
}
