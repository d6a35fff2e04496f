import Testing
@testable import Thrift

@Suite("Unframed message boundaries")
struct MessageScannerTests {
    private func scan(_ scanner: inout ThriftMessageScanner, _ bytes: [UInt8]) throws -> Int? {
        try bytes.withUnsafeBytes { try scanner.scan($0) }
    }

    @Test func findsTheEndOfAMessageFedOneByteAtATime() throws {
        let message = callMessage("GetStatus", Sample(id: 1, name: "job", values: Array(0..<50)))
        var scanner = ThriftMessageScanner()
        for length in 0..<message.count {
            #expect(try scan(&scanner, Array(message[0..<length])) == nil)
        }
        #expect(try scan(&scanner, message) == message.count)
    }

    @Test func stopsAtTheFirstOfTwoMessages() throws {
        let first = callMessage("A", Sample(name: "one"))
        let second = callMessage("B", sequenceID: 2, Sample(name: "two"))
        var scanner = ThriftMessageScanner()
        #expect(try scan(&scanner, first + second) == first.count)
        #expect(try scan(&scanner, second) == second.count)
    }

    @Test func acceptsOldStyleHeaders() throws {
        var writer = ThriftBinaryWriter()
        writer.writeUnversionedMessageHeader(ThriftMessageHeader(name: "GetStatus", type: .call, sequenceID: 9))
        Sample(name: "x", values: [5]).write(to: &writer)
        var scanner = ThriftMessageScanner()
        #expect(try scan(&scanner, writer.bytes + [1, 2, 3]) == writer.bytes.count)
    }

    @Test func nestedContainersAndMapsAreWalked() throws {
        var writer = ThriftBinaryWriter()
        writer.writeMessageHeader(ThriftMessageHeader(name: "M", type: .call, sequenceID: 1))
        writer.writeFieldHeader(.map, id: 1)
        writer.writeMapHeader(keyType: .string, valueType: .list, count: 2)
        for key in ["a", "b"] {
            writer.writeString(key)
            writer.writeListHeader(.struct, count: 1)
            Sample(name: key, values: [1]).write(to: &writer)
        }
        writer.writeFieldHeader(.set, id: 2)
        writer.writeSetHeader(.double, count: 2)
        writer.writeDouble(1)
        writer.writeDouble(2)
        writer.writeFieldStop()
        var scanner = ThriftMessageScanner()
        for length in stride(from: 0, to: writer.bytes.count, by: 3) {
            #expect(try scan(&scanner, Array(writer.bytes[0..<length])) == nil)
        }
        #expect(try scan(&scanner, writer.bytes) == writer.bytes.count)
    }

    @Test func hugeLengthsFailBeforeWaitingForTheirBytes() {
        var scanner = ThriftMessageScanner()
        // A string field claiming 2^31-1 bytes.
        let header = callMessage("X", Sample(name: "")).prefix(13)
        let message = Array(header) + bytes(hex: "0b0001 7fffffff")
        #expect(throws: ThriftProtocolError.self) { try scan(&scanner, message) }
        var small = ThriftMessageScanner(limits: ThriftLimits(maxMessageSize: 64))
        let big = Array(header) + bytes(hex: "0b0001 00000100")
        #expect(throws: ThriftProtocolError.sizeLimitExceeded(what: "message size", size: 13 + 7 + 256, limit: 64)) {
            try scan(&small, big)
        }
    }

    @Test func garbageIsRejectedAtOnce() {
        var scanner = ThriftMessageScanner()
        #expect(throws: ThriftProtocolError.badVersion(0xdead_0000)) { try scan(&scanner, bytes(hex: "deadbeef")) }
        scanner.reset()
        #expect(throws: ThriftProtocolError.invalidType(0x42)) {
            try scan(&scanner, Array(callMessage("X", Sample(name: "")).prefix(13)) + [0x42])
        }
    }

    @Test func depthIsLimited() {
        var message = Array(callMessage("X", Sample(name: "")).prefix(13))
        for _ in 0..<70 { message += [12, 0, 1] }
        var scanner = ThriftMessageScanner()
        #expect(throws: ThriftProtocolError.depthLimitExceeded(limit: 64)) { try scan(&scanner, message) }
    }
}
