import ArgumentParser
import Foundation
import SchedulerCore
import ScootCLI

/// `scoot-console plan`: what the load-based algorithm would do with a given cluster state.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Run one step of Scoot's load-based scheduling algorithm on a cluster state given as JSON.",
        discussion: """
            Input: {"workers": 1000, "classLoadPercents": {"c0": 30, "c1": 25}, \
            "requestorToClassMap": {"requestorc0": "c0"}, "rebalanceThreshold": 0, \
            "rebalanceMinimumDurationMin": 4, "thresholdExceededForSeconds": 0, \
            "jobs": [{"id": "j1", "requestor": "requestorc0", "priority": 0, "running": 20, "waiting": 29}]}. \
            Omitted settings default to Scoot's. Prints per class the normalized percent, target, running, \
            waiting, tasks to start and to stop, the spread and whether it rebalances. \
            Exit code 2 when the input is not valid, with a message naming the field.
            """
    )

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, table
    }

    @Argument(help: "The cluster state file, or - for standard input.")
    var file: String = "-"

    @Option(help: "Output format: json or table.")
    var format: Format = .json

    func run() throws {
        do {
            let decision = LoadBasedScheduler.step(try readInput())
            print(format == .json ? ClusterPlanFile.json(decision) : ClusterPlanFile.table(decision))
        } catch let problem as InputProblem {
            FileHandle.standardError.write(Data("scoot-console plan: \(problem.message)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Why the input could not be used; the message names the file or the field.
    struct InputProblem: Error {
        var message: String
    }

    private func readInput() throws -> SchedulingInput {
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw InputProblem(message: "cannot read \(file): no such file or not readable")
            }
            data = contents
        }
        guard let text = String(validating: data, as: UTF8.self) else { throw InputProblem(message: "invalid cluster state: not UTF-8 text") }
        do {
            return try ClusterPlanFile.parse(text)
        } catch {
            throw InputProblem(message: "invalid cluster state: \(error)")
        }
    }
}

