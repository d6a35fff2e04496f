/// Emits the statements that decode and encode one value inside a generated `init(from:)` or
/// `write(to:)`, recursing into containers. Each nesting level gets its own local names
/// (`header`, `header1`, …), chosen so that they never shadow the struct's own names.
struct ValueCodecEmitter {
    let types: SwiftTypeMapper
    /// Names already in use where the statements go; helper locals avoid them.
    let taken: Set<String>

    private func local(_ base: String, depth: Int) -> String {
        SwiftNames.fresh(depth == 0 ? base : "\(base)\(depth)", avoiding: taken)
    }

    // MARK: Decoding

    /// Reads a value of `type` and passes the expression holding it to `store`, which returns
    /// the statement that keeps it. A container whose element types do not match the IDL is
    /// skipped, and `store` is not run for it.
    func emitRead(_ type: TypeReference, depth: Int, into code: inout CodeWriter, store: (String) -> String) {
        switch type {
        case .list(let element):
            emitReadSequence(element, containerType: type, kind: "List", depth: depth, into: &code, store: store) { container, value in
                "\(container).append(\(value))"
            }
        case .set(let element):
            emitReadSequence(element, containerType: type, kind: "Set", depth: depth, into: &code, store: store) { container, value in
                "\(container).insert(\(value))"
            }
        case .map(let key, let value):
            emitReadMap(key: key, value: value, mapType: type, depth: depth, into: &code, store: store)
        default:
            code.line(store(types.readExpression(type)))
        }
    }

    private func emitReadSequence(
        _ element: TypeReference, containerType: TypeReference, kind: String, depth: Int,
        into code: inout CodeWriter, store: (String) -> String, add: (String, String) -> String
    ) {
        let header = local("header", depth: depth)
        let container = local(kind.lowercased(), depth: depth)
        code.line("let \(header) = try reader.read\(kind)Header()")
        code.line("try reader.enterNesting()")
        code.ifElse("\(header).count > 0 && \(header).elementType != \(types.wireType(element))") { code in
            code.block("for _ in 0..<\(header).count") { code in
                code.line("try reader.skip(\(header).elementType)")
            }
        } else: { code in
            code.line("var \(container): \(types.swiftType(containerType)) = []")
            code.line("\(container).reserveCapacity(\(header).count)")
            code.block("for _ in 0..<\(header).count") { code in
                emitRead(element, depth: depth + 1, into: &code) { add(container, $0) }
            }
            code.line(store(container))
        }
        code.line("reader.leaveNesting()")
    }

    private func emitReadMap(
        key: TypeReference, value: TypeReference, mapType: TypeReference, depth: Int,
        into code: inout CodeWriter, store: (String) -> String
    ) {
        let header = local("header", depth: depth)
        let map = local("map", depth: depth)
        let keyName = local("key", depth: depth)
        code.line("let \(header) = try reader.readMapHeader()")
        code.line("try reader.enterNesting()")
        let mismatch = "\(header).keyType != \(types.wireType(key)) || \(header).valueType != \(types.wireType(value))"
        code.ifElse("\(header).count > 0 && (\(mismatch))") { code in
            code.block("for _ in 0..<\(header).count") { code in
                code.line("try reader.skip(\(header).keyType)")
                code.line("try reader.skip(\(header).valueType)")
            }
        } else: { code in
            code.line("var \(map): \(types.swiftType(mapType)) = [:]")
            code.line("\(map).reserveCapacity(\(header).count)")
            code.block("for _ in 0..<\(header).count") { code in
                code.line("let \(keyName) = \(types.readExpression(key))")
                emitRead(value, depth: depth + 1, into: &code) { "\(map)[\(keyName)] = \($0)" }
            }
            code.line(store(map))
        }
        code.line("reader.leaveNesting()")
    }

    // MARK: Encoding

    /// Writes `value` of `type`. When the writer asks for it (`sortsCollections`, the default),
    /// sets and maps whose elements or keys have an order are written sorted, so that equal
    /// values always encode to the same bytes; otherwise in iteration order, which is faster.
    func emitWrite(_ type: TypeReference, value: String, depth: Int, into code: inout CodeWriter) {
        switch type {
        case .list(let element):
            code.line("writer.writeListHeader(\(types.wireType(element)), count: \(value).count)")
            let item = local("element", depth: depth)
            code.block("for \(item) in \(value)") { code in
                emitWrite(element, value: item, depth: depth + 1, into: &code)
            }
        case .set(let element):
            code.line("writer.writeSetHeader(\(types.wireType(element)), count: \(value).count)")
            let item = local("element", depth: depth)
            let sequence = sorted(value, by: element, keyPath: "").map { "(writer.sortsCollections ? \($0) : Array(\(value)))" } ?? value
            code.block("for \(item) in \(sequence)") { code in
                emitWrite(element, value: item, depth: depth + 1, into: &code)
            }
        case .map(let key, let mapValue):
            code.line("writer.writeMapHeader(keyType: \(types.wireType(key)), valueType: \(types.wireType(mapValue)), count: \(value).count)")
            let keyName = local("key", depth: depth)
            let valueName = local("value", depth: depth)
            let index = local("index", depth: depth)
            let writeEntry = { (code: inout CodeWriter) in
                emitWrite(key, value: keyName, depth: depth + 1, into: &code)
                emitWrite(mapValue, value: valueName, depth: depth + 1, into: &code)
            }
            if let ordering = types.ordering(key, lhs: "\(value)[$0].key", rhs: "\(value)[$1].key") {
                // Sorting indices, not (key, value) pairs, keeps large values from being moved.
                let indices = "(writer.sortsCollections ? \(value).indices.sorted(by: { \(ordering) }) : Array(\(value).indices))"
                code.block("for \(index) in \(indices)") { code in
                    code.line("let (\(keyName), \(valueName)) = \(value)[\(index)]")
                    writeEntry(&code)
                }
            } else {
                code.block("for (\(keyName), \(valueName)) in \(value)", writeEntry)
            }
        default:
            code.line(types.writeStatement(type, value: value))
        }
    }

    /// `sequence` sorted by its elements (or their `keyPath`) of type `type`, or unchanged when
    /// such values have no order.
    private func sorted(_ sequence: String, by type: TypeReference, keyPath: String) -> String? {
        if keyPath.isEmpty && types.isComparable(type) { return "\(sequence).sorted()" }
        guard let ordering = types.ordering(type, lhs: "$0\(keyPath)", rhs: "$1\(keyPath)") else { return nil }
        return "\(sequence).sorted(by: { \(ordering) })"
    }
}
