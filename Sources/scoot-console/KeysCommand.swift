import ArgumentParser
import ConsoleApp

/// `scoot-console keys`: the console's key table and commands as Markdown (docs/keys.md).
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Print the console's keys and commands as Markdown (the source of docs/keys.md).")

    func run() {
        print(KeyTable.markdown(), terminator: "")
    }
}
