import Foundation
import Testing
import SchedulerCore
@testable import ScootCLI

@Suite("plan: JSON cluster state in, decision out")
struct ClusterPlanTests {
    static let readmeExample = """
        {"workers": 1000,
         "classLoadPercents": {"c0": 30, "c1": 25, "c2": 20, "c3": 15, "c4": 10, "c5": 0},
         "requestorToClassMap": {"requestorc0": "c0", "requestorc1": "c1", "requestorc2": "c2",
                                 "requestorc3": "c3", "requestorc4": "c4", "requestorc5": "c5"},
         "jobs": [
          {"id": "j0", "requestor": "requestorc0", "running": 200, "waiting": 290},
          {"id": "j1", "requestor": "requestorc1", "running": 300, "waiting": 230},
          {"id": "j2", "requestor": "requestorc2", "running": 0, "waiting": 150},
          {"id": "j3", "requestor": "requestorc3", "running": 100, "waiting": 150},
          {"id": "j4", "requestor": "requestorc4", "running": 110, "waiting": 90},
          {"id": "j5", "requestor": "requestorc5", "running": 0, "waiting": 328}]}
        """

    @Test func reproducesTheReadmeExample() throws {
        let decision = LoadBasedScheduler.step(try ClusterPlanFile.parse(Self.readmeExample))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ClusterPlanFile.json(decision).utf8)) as? [String: Any])
        let classes = try #require(json["classes"] as? [String: [String: Int]])
        #expect(classes.mapValues { $0["start"] } == ["c0": 94, "c1": 0, "c2": 150, "c3": 46, "c4": 0, "c5": 0])
        #expect(classes["c0"] == ["percent": 30, "target": 300, "running": 200, "waiting": 290, "start": 94, "stop": 0])
        #expect(json["start"] as? Int == 290)
        #expect(json["stop"] as? Int == 0)
        #expect(json["rebalance"] as? Bool == false)
        #expect(json["spread"] as? Int == 25)
    }

    @Test func tableListsClassesByDescendingPercent() throws {
        let table = ClusterPlanFile.table(LoadBasedScheduler.step(try ClusterPlanFile.parse(Self.readmeExample)))
        let lines = table.split(separator: "\n").map(String.init)
        #expect(lines[0] == "class  percent  target  running  waiting  loaned  start  stop")
        #expect(lines[1] == "c0          30     300      200      290       0     94     0")
        #expect(lines.last == "spread 25  rebalance no  start 290  stop 0")
    }

    @Test func omittedSettingsAreScootsDefaultsAndPercentsAreNormalized() throws {
        let input = try ClusterPlanFile.parse(#"{"workers": 10, "jobs": [{"id": "j", "requestor": "land-bot", "waiting": 3}]}"#)
        #expect(input.classLoadPercents == ClassLoadPercents.scootDefaults)
        #expect(input.rebalanceThreshold == 0)
        #expect(input.rebalanceMinimumDuration == .seconds(240))
        let normalized = try ClusterPlanFile.parse(#"{"workers": 10, "classLoadPercents": {"a": 30, "b": 25, "c": 15, "d": 10, "e": 0}, "jobs": []}"#)
        #expect(normalized.classLoadPercents == ["a": 39, "b": 31, "c": 18, "d": 12, "e": 0])
    }

    @Test func thresholdExceededForSecondsStartsTheTimerInThePast() throws {
        let input = try ClusterPlanFile.parse(#"{"workers": 10, "rebalanceThreshold": 5, "thresholdExceededForSeconds": 300, "jobs": []}"#)
        #expect(input.now - input.thresholdExceededSince! == .seconds(300))
    }

    @Test(arguments: [
        (#"{"workers": "x", "jobs": []}"#, "workers: expected an integer, got a string"),
        (#"{"workers": true, "jobs": []}"#, "workers: expected an integer, got a boolean"),
        (#"{"workers": 2.5, "jobs": []}"#, "workers: expected an integer, got 2.5"),
        (#"{"workers": -1, "jobs": []}"#, "workers: must be 0 or more, got -1"),
        (#"{"workers": 5}"#, "jobs: missing; expected a list of jobs"),
        (#"{"workers": 5, "jobs": [], "extra": 1}"#, "extra: unknown field"),
        (#"{"workers": 5, "jobs": [{"id": "a", "running": -1}]}"#, "jobs[0].running: must be 0 or more, got -1"),
        (#"{"workers": 5, "jobs": [{"id": "a", "priority": 3}]}"#, "jobs[0].priority: must be 0, 1 or 2, got 3"),
        (#"{"workers": 5, "jobs": [{"running": 1}]}"#, "jobs[0].id: missing; expected a string"),
        (#"{"workers": 5, "jobs": [{"id": "a"}, {"id": "a"}]}"#, "jobs[1].id: duplicate job id 'a'"),
        (#"{"workers": 5, "jobs": [], "classLoadPercents": {"a": -3}}"#, "classLoadPercents: class a has a negative load percent -3"),
        (#"{"workers": 5, "jobs": [], "classLoadPercents": {"a": 0}}"#, "classLoadPercents: class load percents are all zero"),
        (#"{"workers": 5, "jobs": [], "requestorToClassMap": {"(": "land"}}"#, "requestorToClassMap: requestor pattern '(' is not a valid regular expression"),
        ("[1, 2]", "expected a JSON object at the top level"),
        ("{", "not valid JSON"),
    ])
    func badInputNamesTheField(json: String, message: String) {
        #expect {
            try ClusterPlanFile.parse(json)
        } throws: { error in
            "\(error)".hasPrefix(message) || "\(error)".contains(message)
        }
    }
}
