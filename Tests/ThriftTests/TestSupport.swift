import Thrift

/// A small hand-written struct for codec tests: `{1: i32 id, 2: string name, 3: list<i64> values}`
/// with `name` required.
struct Sample: ThriftStruct, Hashable {
    var id: Int32 = 0
    var name: String
    var values: [Int64] = []

    init(id: Int32 = 0, name: String, values: [Int64] = []) {
        self.id = id
        self.name = name
        self.values = values
    }

    init(from reader: inout ThriftBinaryReader) throws {
        var id: Int32 = 0
        var name: String?
        var values: [Int64] = []
        while let field = try reader.readFieldHeader() {
            switch (field.id, field.type) {
            case (1, .i32): id = try reader.readI32()
            case (2, .string): name = try reader.readString()
            case (3, .list):
                let header = try reader.readListHeader()
                try reader.enterNesting()
                for _ in 0..<header.count { values.append(try reader.readI64()) }
                reader.leaveNesting()
            default: try reader.skip(field.type)
            }
        }
        guard let name else { throw ThriftProtocolError.missingRequiredField(structName: "Sample", fieldName: "name") }
        self.init(id: id, name: name, values: values)
    }

    func write(to writer: inout ThriftBinaryWriter) {
        writer.writeFieldHeader(.i32, id: 1)
        writer.writeI32(id)
        writer.writeFieldHeader(.string, id: 2)
        writer.writeString(name)
        writer.writeFieldHeader(.list, id: 3)
        writer.writeListHeader(.i64, count: values.count)
        for value in values { writer.writeI64(value) }
        writer.writeFieldStop()
    }
}

/// Hex helpers for readable byte assertions.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }.joined()
}

func bytes(hex: String) -> [UInt8] {
    let compact = hex.filter { !$0.isWhitespace }
    var result: [UInt8] = []
    var index = compact.startIndex
    while index < compact.endIndex {
        let next = compact.index(index, offsetBy: 2)
        result.append(UInt8(compact[index..<next], radix: 16)!)
        index = next
    }
    return result
}

/// Encodes a complete CALL message carrying `arguments`.
func callMessage<T: ThriftStruct>(_ name: String, sequenceID: Int32 = 1, _ arguments: T) -> [UInt8] {
    ThriftClientCall.encodeCall(method: name, sequenceID: sequenceID, arguments: arguments)
}
