import Testing
@testable import Thrift

@Suite("Hostile input is rejected before allocation")
struct HostileInputTests {
    @Test func twoGibibyteStringLengthIsRejected() {
        // 0x80000000 is negative as an i32; 0x7fffffff is just under 2 GiB.
        #expect(throws: ThriftProtocolError.negativeSize(Int64(Int32.min))) {
            try ThriftBinaryReader.withReader(bytes(hex: "80000000")) { _ = try $0.readString() }
        }
        #expect(throws: ThriftProtocolError.sizeLimitExceeded(what: "string length", size: 0x7fff_ffff, limit: 16 * 1024 * 1024)) {
            try ThriftBinaryReader.withReader(bytes(hex: "7fffffff")) { _ = try $0.readString() }
        }
    }

    @Test func stringLongerThanTheInputIsTruncated() {
        #expect(throws: ThriftProtocolError.truncated(offset: 4, needed: 98)) {
            try ThriftBinaryReader.withReader(bytes(hex: "00000064 6162")) { _ = try $0.readString() }
        }
    }

    @Test func containerCountsAreBounded() {
        // A list claiming a million i64s in a few bytes fails before anything reserves space.
        #expect(throws: ThriftProtocolError.truncated(offset: 5, needed: 8_000_000)) {
            try ThriftBinaryReader.withReader(bytes(hex: "0a 000f4240")) { _ = try $0.readListHeader() }
        }
        #expect(throws: ThriftProtocolError.negativeSize(-1)) {
            try ThriftBinaryReader.withReader(bytes(hex: "0b0b ffffffff")) { _ = try $0.readMapHeader() }
        }
        let limits = ThriftLimits(maxContainerElements: 2)
        #expect(throws: ThriftProtocolError.sizeLimitExceeded(what: "container size", size: 3, limit: 2)) {
            try ThriftBinaryReader.withReader(bytes(hex: "03 00000003 010203"), limits: limits) { _ = try $0.readListHeader() }
        }
    }

    @Test func invalidTypeBytesAreRejected() {
        #expect(throws: ThriftProtocolError.invalidType(7)) {
            try ThriftBinaryReader.withReader(bytes(hex: "07 0001")) { reader in
                while let field = try reader.readFieldHeader() { try reader.skip(field.type) }
            }
        }
        #expect(throws: ThriftProtocolError.invalidType(1)) {
            try ThriftBinaryReader.withReader(bytes(hex: "01 00000001")) { _ = try $0.readListHeader() }
        }
    }

    @Test func deepNestingStopsAtTheLimit() {
        // 100 nested structs, each field 1: struct.
        var input: [UInt8] = []
        for _ in 0..<100 { input += [12, 0, 1] }
        input += Array(repeating: 0, count: 101)
        #expect(throws: ThriftProtocolError.depthLimitExceeded(limit: 64)) {
            try ThriftBinaryReader.withReader(input) { try $0.skip(.struct) }
        }
        var deepLists: [UInt8] = []
        for _ in 0..<100 { deepLists += [15, 0, 0, 0, 1] }
        #expect(throws: ThriftProtocolError.depthLimitExceeded(limit: 64)) {
            try ThriftBinaryReader.withReader(deepLists) { try $0.skip(.list) }
        }
    }

    @Test func everyPrefixOfAValidMessageIsTruncatedNotACrash() throws {
        let full = callMessage("RunJob", Sample(id: 3, name: "prefix", values: [1, 2, 3]))
        for length in 0..<full.count {
            let prefix = Array(full[0..<length])
            #expect(throws: ThriftProtocolError.self) {
                try ThriftBinaryReader.withReader(prefix) { reader in
                    _ = try reader.readMessageHeader()
                    _ = try reader.readStruct(Sample.self)
                }
            }
        }
    }
}
