import Foundation
import Testing
@testable import ConsoleApp

@Suite("Profiles")
struct ConsoleProfileTests {
    static let text = """
        # clusters
        [prod]
        connect      = scheduler.prod:9090   # the Thrift port
        label        = PROD
        read-only    = true
        theme        = high-contrast
        refresh      = 2
        metrics-addr = scheduler.prod:9091
        scoot-workers = w1.prod:9092,w2.prod:9092

        [staging]
        scoot-workers-file = /etc/scoot/staging-workers.txt
        connect = scheduler.staging:9090
        """

    @Test func everyKeyIsReadAndCommentsAndBlankLinesAreSkipped() throws {
        let profiles = try ConsoleProfile.parse(Self.text, file: "profiles")
        #expect(profiles.map(\.name) == ["prod", "staging"])
        let prod = try #require(profiles.first)
        #expect(prod.connect == "scheduler.prod:9090")
        #expect(prod.label == "PROD")
        #expect(prod.readOnly)
        #expect(prod.theme == "high-contrast")
        #expect(prod.refreshSeconds == 2)
        #expect(prod.metricsAddress == "scheduler.prod:9091")
        #expect(prod.scootWorkers == "w1.prod:9092,w2.prod:9092")
        #expect(profiles[1].scootWorkersFile == "/etc/scoot/staging-workers.txt")
        #expect(profiles[1].label == nil && !profiles[1].readOnly)
    }

    @Test(arguments: [
        ("conect = x:1", "profiles:2: unknown key 'conect'; a profile may set connect, label, read-only, theme, refresh, metrics-addr, track-file, scoot-workers, scoot-workers-file"),
        ("read-only = yes", "profiles:2: read-only: 'yes' is not true or false"),
        ("refresh = 0", "profiles:2: refresh: '0' is not a number of seconds from 0.1 to 60"),
        ("label", "profiles:2: 'label' is not KEY = VALUE"),
        ("[prod]", "profiles:2: profile [prod] is defined twice"),
        ("[oops", "profiles:2: '[oops' is not a [name] section header"),
    ])
    func mistakesNameTheFileTheLineAndTheKey(line: String, message: String) {
        #expect(throws: ConsoleProfile.Failure(description: message)) { try ConsoleProfile.parse("[prod]\n\(line)", file: "profiles") }
    }

    @Test func aKeyBeforeAnySectionIsAnError() {
        #expect(throws: ConsoleProfile.Failure(description: "p:1: 'connect' comes before any [name] section")) {
            try ConsoleProfile.parse("connect = a:1\n[x]", file: "p")
        }
    }

    @Test func loadingAMissingProfileListsTheOnesThereAre() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("profiles-\(UUID().uuidString)").path
        try Self.text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try ConsoleProfile.load(name: "staging", path: path).connect == "scheduler.staging:9090")
        #expect(throws: ConsoleProfile.Failure(description: "--profile dev: no [dev] section in \(path); it has prod, staging")) {
            try ConsoleProfile.load(name: "dev", path: path)
        }
    }

    @Test func theFileFollowsXDGAndTheOverride() {
        #expect(ConsoleProfile.defaultPath(environment: ["HOME": "/home/a"]) == "/home/a/.config/scoot-console/profiles")
        #expect(ConsoleProfile.defaultPath(environment: ["HOME": "/home/a", "XDG_CONFIG_HOME": "/cfg"]) == "/cfg/scoot-console/profiles")
        #expect(ConsoleProfile.defaultPath(environment: ["SCOOT_CONSOLE_PROFILES": "/tmp/p", "HOME": "/home/a"]) == "/tmp/p")
    }
}
