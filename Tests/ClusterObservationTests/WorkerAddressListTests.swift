import ClusterObservation
import Testing
import Thrift

@Suite struct WorkerAddressListTests {
    @Test func commaSeparatedAddressesKeepTheSchedulersNames() throws {
        let addresses = try WorkerAddressList.parse(commaSeparated: "localhost:10101, localhost:10103,[::1]:9092")
        #expect(addresses.map(\.description) == ["localhost:10101", "localhost:10103", "[::1]:9092"])
    }

    @Test func aFileHasOneAddressALineWithComments() throws {
        let text = "# prod workers\nworker1:9092\n\n  worker2:9092  # rack 2\n"
        #expect(try WorkerAddressList.parse(fileText: text, name: "w.txt").map(\.description) == ["worker1:9092", "worker2:9092"])
    }

    @Test func badEntriesNameTheirLine() {
        #expect(throws: WorkerAddressList.Invalid.self) { try WorkerAddressList.parse(fileText: "ok:1\nnoport\n", name: "w.txt") }
        do {
            _ = try WorkerAddressList.parse(fileText: "ok:1\nnoport\n", name: "w.txt")
        } catch {
            #expect(error.description.hasPrefix("w.txt:2:"))
        }
        #expect(throws: WorkerAddressList.Invalid.self) { try WorkerAddressList.parse(commaSeparated: " , ") }
    }
}
