import Testing
@testable import Thrift

@Suite("TBinaryProtocol encoding")
struct BinaryCodecTests {
    @Test func baseTypesHaveApacheThriftBytes() {
        var writer = ThriftBinaryWriter()
        writer.writeBool(true)
        writer.writeBool(false)
        writer.writeByte(-2)
        writer.writeI16(0x1234)
        writer.writeI32(-1)
        writer.writeI64(0x0102_0304_0506_0708)
        writer.writeDouble(1.5)
        writer.writeString("hé")
        writer.writeBinary([0, 255])
        #expect(hex(writer.bytes) == "01" + "00" + "fe" + "1234" + "ffffffff" + "0102030405060708"
            + "3ff8000000000000" + "00000003" + "68c3a9" + "00000002" + "00ff")
    }

    @Test func baseTypesRoundTrip() throws {
        var writer = ThriftBinaryWriter()
        writer.writeBool(true)
        writer.writeByte(Int8.min)
        writer.writeI16(Int16.min)
        writer.writeI32(Int32.max)
        writer.writeI64(Int64.min)
        writer.writeDouble(-0.25)
        writer.writeString("scoot ✓")
        writer.writeBinary([1, 2, 3])
        try ThriftBinaryReader.withReader(writer.bytes) { (reader: inout ThriftBinaryReader) throws in
            #expect(try reader.readBool() == true)
            #expect(try reader.readByte() == Int8.min)
            #expect(try reader.readI16() == Int16.min)
            #expect(try reader.readI32() == Int32.max)
            #expect(try reader.readI64() == Int64.min)
            #expect(try reader.readDouble() == -0.25)
            #expect(try reader.readString() == "scoot ✓")
            #expect(try reader.readBinary() == [1, 2, 3])
            #expect(reader.remaining == 0)
        }
    }

    @Test func stringsOfEveryShortLengthKeepEveryByte() throws {
        // The inline copy has a path per length range; 0 to 100 bytes covers each and the one past.
        for length in 0...100 {
            let ascii = String((0..<length).map { Character(Unicode.Scalar(UInt8(33 + $0 % 90))) })
            let accented = String(repeating: "é", count: length / 2) + (length % 2 == 1 ? "x" : "")
            for text in [ascii, accented] {
                var writer = ThriftBinaryWriter(capacity: 1)
                writer.writeString(text)
                writer.writeI32(7)
                #expect(writer.bytes == [0, 0, 0, UInt8(text.utf8.count)] + Array(text.utf8) + [0, 0, 0, 7])
                try ThriftBinaryReader.withReader(writer.bytes) { (reader: inout ThriftBinaryReader) throws in
                    #expect(try reader.readString() == text)
                    #expect(try reader.readI32() == 7)
                }
            }
        }
    }

    @Test func invalidUTF8IsRepairedAsStringDecodingRepairsIt() throws {
        for length in [1, 2, 5, 15, 16, 17, 40] {
            for badAt in [0, length / 2, length - 1] {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                bytes[badAt] = 0xFF
                if length > 3 { bytes[length - 2] = 0xC3 }  // a lead byte without its continuation
                let framed = [0, 0, 0, UInt8(length)] + bytes
                let decoded = try ThriftBinaryReader.withReader(framed) { (reader: inout ThriftBinaryReader) throws in try reader.readString() }
                #expect(decoded == String(decoding: bytes, as: UTF8.self))
                #expect(Array(decoded.utf8) == Array(String(decoding: bytes, as: UTF8.self).utf8))
            }
        }
    }

    @Test func aFieldHeaderIsConsumedOnlyWhenItIsTheOneExpected() throws {
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.string, id: 2)
        writer.writeFieldStop()
        try ThriftBinaryReader.withReader(writer.bytes) { (reader: inout ThriftBinaryReader) throws in
            let wrongID = reader.readFieldHeader(ifNextIs: .string, id: 1)
            let wrongType = reader.readFieldHeader(ifNextIs: .i32, id: 2)
            #expect(!wrongID && !wrongType && reader.offset == 0)
            let expected = reader.readFieldHeader(ifNextIs: .string, id: 2)
            #expect(expected && reader.offset == 3)
            // Only the STOP byte is left: too short for a header, nothing is read.
            let stop = reader.readFieldHeader(ifNextIs: .stop, id: 0)
            #expect(!stop && reader.offset == 3)
            #expect(try reader.readFieldHeader() == nil)
        }
    }

    @Test func theBufferGrowsPastItsCapacityAndKeepsEveryByte() throws {
        var writer = ThriftBinaryWriter(capacity: 1)
        var expected: [UInt8] = []
        let long = String(repeating: "x", count: 1000)
        for round in 0..<300 {
            writer.writeI32(Int32(round))
            expected += [0, 0, UInt8(round >> 8), UInt8(round & 0xff)]
            writer.writeString(round % 100 == 0 ? long : "")
            expected += [0, 0, round % 100 == 0 ? 3 : 0, round % 100 == 0 ? 0xe8 : 0] + (round % 100 == 0 ? Array(long.utf8) : [])
            writer.writeRaw([UInt8(round & 0xff)])
            expected.append(UInt8(round & 0xff))
            writer.writeBinary([])
            expected += [0, 0, 0, 0]
        }
        #expect(writer.bytes == expected)
    }

    @Test(arguments: [0, 1, 7, 11, 100])
    func encodingIntoAnArrayOfAGivenSizeKeepsEveryByteWhateverTheSize(size: Int) {
        let bytes = ThriftBinaryWriter.encode(size: size) { writer in
            writer.writeI32(7)
            writer.writeString("abc")
        }
        #expect(hex(bytes) == "00000007" + "00000003" + "616263")
    }

    @Test func structFieldsAndContainersHaveApacheThriftBytes() {
        let sample = Sample(id: 7, name: "a", values: [1])
        #expect(hex(sample.thriftBytes()) ==
            "08" + "0001" + "00000007" + "0b" + "0002" + "00000001" + "61" + "0f" + "0003" + "0a" + "00000001" + "0000000000000001" + "00")
    }

    @Test func strictMessageHeaderIsVersioned() throws {
        var writer = ThriftBinaryWriter()
        writer.writeMessageHeader(ThriftMessageHeader(name: "GetStatus", type: .call, sequenceID: 5))
        #expect(hex(writer.bytes) == "80010001" + "00000009" + hex(Array("GetStatus".utf8)) + "00000005")
    }

    @Test(arguments: [ThriftMessageType.call, .reply, .exception, .oneway])
    func bothHeaderStylesAreRead(type: ThriftMessageType) throws {
        let header = ThriftMessageHeader(name: "RunJob", type: type, sequenceID: -3)
        var strict = ThriftBinaryWriter()
        strict.writeMessageHeader(header)
        var old = ThriftBinaryWriter()
        old.writeUnversionedMessageHeader(header)
        #expect(try ThriftBinaryReader.withReader(strict.bytes) { try $0.readMessageHeader() } == header)
        #expect(try ThriftBinaryReader.withReader(old.bytes) { try $0.readMessageHeader() } == header)
        #expect(throws: ThriftProtocolError.missingVersion) {
            try ThriftBinaryReader.withReader(old.bytes) { try $0.readMessageHeader(strict: true) }
        }
    }

    @Test func badVersionAndMessageTypeAreTypedErrors() {
        #expect(throws: ThriftProtocolError.badVersion(0x8002_0000)) {
            try ThriftBinaryReader.withReader(bytes(hex: "80020001 00000000 00000000")) { try $0.readMessageHeader() }
        }
        #expect(throws: ThriftProtocolError.invalidMessageType(9)) {
            try ThriftBinaryReader.withReader(bytes(hex: "80010009 00000000 00000000")) { try $0.readMessageHeader() }
        }
    }

    @Test func unknownFieldsOfEveryTypeAreSkipped() throws {
        var writer = ThriftBinaryWriter()
        writer.writeFieldHeader(.bool, id: 10); writer.writeBool(true)
        writer.writeFieldHeader(.byte, id: 11); writer.writeByte(1)
        writer.writeFieldHeader(.double, id: 12); writer.writeDouble(2)
        writer.writeFieldHeader(.i16, id: 13); writer.writeI16(3)
        writer.writeFieldHeader(.i64, id: 14); writer.writeI64(4)
        writer.writeFieldHeader(.string, id: 15); writer.writeString("skip me")
        writer.writeFieldHeader(.struct, id: 16); Sample(name: "inner", values: [1, 2]).write(to: &writer)
        writer.writeFieldHeader(.map, id: 17); writer.writeMapHeader(keyType: .string, valueType: .list, count: 1)
        writer.writeString("k"); writer.writeListHeader(.i32, count: 2); writer.writeI32(1); writer.writeI32(2)
        writer.writeFieldHeader(.set, id: 18); writer.writeSetHeader(.string, count: 1); writer.writeString("s")
        writer.writeFieldHeader(.i32, id: 2); writer.writeI32(99) // known id, wrong type: skipped too
        writer.writeFieldHeader(.string, id: 2); writer.writeString("kept")
        writer.writeFieldStop()
        #expect(try Sample(thriftBytes: writer.bytes) == Sample(name: "kept"))
    }

    @Test func missingRequiredFieldIsAnError() {
        #expect(throws: ThriftProtocolError.missingRequiredField(structName: "Sample", fieldName: "name")) {
            try Sample(thriftBytes: [0])
        }
    }

    @Test func applicationExceptionBytesAndKinds() throws {
        let exception = TApplicationException(.internalError, message: "x")
        #expect(hex(exception.thriftBytes()) == "0b0001" + "00000001" + "78" + "080002" + "00000006" + "00")
        #expect(try TApplicationException(thriftBytes: exception.thriftBytes()) == exception)
        let codes: [Int32: TApplicationException.Kind] = [
            0: .unknown, 1: .unknownMethod, 2: .invalidMessageType, 3: .wrongMethodName, 4: .badSequenceID,
            5: .missingResult, 6: .internalError, 7: .protocolError, 8: .invalidTransform, 9: .invalidProtocol,
            10: .unsupportedClientType, 42: .unrecognized(42),
        ]
        for (code, kind) in codes {
            #expect(TApplicationException.Kind(rawValue: code) == kind)
            #expect(kind.rawValue == code)
        }
    }
}
