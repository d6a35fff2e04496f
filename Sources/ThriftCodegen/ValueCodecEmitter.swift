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
            let sorted = types.isOrdered(element)
            emitReadSequence(element, containerType: type, kind: "Set", builder: sorted, depth: depth, into: &code, store: store) { container, value in
                sorted ? "\(container).append(\(value))" : "\(container).insert(\(value))"
            }
        case .map(let key, let value):
            emitReadMap(key: key, value: value, mapType: type, depth: depth, into: &code, store: store)
        default:
            code.line(store(types.readExpression(type)))
        }
    }

    /// A list, or a set: a `ThriftSet` (`builder`) collects its elements and sorts them once.
    private func emitReadSequence(
        _ element: TypeReference, containerType: TypeReference, kind: String, builder: Bool = false, depth: Int,
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
            if builder {
                code.line("var \(container) = \(types.swiftType(containerType)).Builder(capacity: \(header).count)")
            } else {
                code.line("var \(container): \(types.swiftType(containerType)) = []")
                code.line("\(container).reserveCapacity(\(header).count)")
            }
            code.block("for _ in 0..<\(header).count") { code in
                emitRead(element, depth: depth + 1, into: &code) { add(container, $0) }
            }
            code.line(store(builder ? "\(container).build()" : container))
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
            // A ThriftMap's builder sorts once, and only entries that arrive out of order.
            let ordered = types.isOrdered(key)
            if ordered {
                code.line("var \(map) = \(types.swiftType(mapType)).Builder(capacity: \(header).count)")
            } else {
                code.line("var \(map): \(types.swiftType(mapType)) = [:]")
                code.line("\(map).reserveCapacity(\(header).count)")
            }
            code.block("for _ in 0..<\(header).count") { code in
                code.line("let \(keyName) = \(types.readExpression(key))")
                emitRead(value, depth: depth + 1, into: &code) { ordered ? "\(map).append(\(keyName), \($0))" : "\(map)[\(keyName)] = \($0)" }
            }
            code.line(store(ordered ? "\(map).build()" : map))
        }
        code.line("reader.leaveNesting()")
    }

    // MARK: Encoding

    /// Writes `value` of `type`. Sets and maps are written in their own order: ascending for the
    /// sorted `ThriftSet` and `ThriftMap` (so equal values encode to the same bytes), iteration
    /// order for a `Set` or `Dictionary` of structs or containers, which have no order.
    func emitWrite(_ type: TypeReference, value: String, depth: Int, into code: inout CodeWriter) {
        switch type {
        case .list(let element), .set(let element):
            let kind = if case .list = type { "List" } else { "Set" }
            code.line("writer.write\(kind)Header(\(types.wireType(element)), count: \(value).count)")
            let item = local("element", depth: depth)
            code.block("for \(item) in \(value)") { code in
                emitWrite(element, value: item, depth: depth + 1, into: &code)
            }
        case .map(let key, let mapValue):
            code.line("writer.writeMapHeader(keyType: \(types.wireType(key)), valueType: \(types.wireType(mapValue)), count: \(value).count)")
            guard types.isOrdered(key) else {
                let keyName = local("key", depth: depth), valueName = local("value", depth: depth)
                code.block("for (\(keyName), \(valueName)) in \(value)") { code in
                    emitWrite(key, value: keyName, depth: depth + 1, into: &code)
                    emitWrite(mapValue, value: valueName, depth: depth + 1, into: &code)
                }
                return
            }
            // A ThriftMap's entries where they are stored, by index: no tuple is built per entry.
            let keys = local("keys", depth: depth), values = local("values", depth: depth), index = local("index", depth: depth)
            code.closure("\(value).withUnsafeEntries", parameters: "\(keys), \(values)") { code in
                code.block("for \(index) in \(keys).indices") { code in
                    emitWrite(key, value: "\(keys)[\(index)]", depth: depth + 1, into: &code)
                    emitWrite(mapValue, value: "\(values)[\(index)]", depth: depth + 1, into: &code)
                }
            }
        default:
            code.line(types.writeStatement(type, value: value))
        }
    }

    // MARK: Size

    /// Adds to `size` the bytes `emitWrite` writes for `value` of `type`: one `size += …` when
    /// the size is an expression, loops over the elements of containers whose size varies.
    func emitSize(_ type: TypeReference, value: String, size: String, depth: Int, into code: inout CodeWriter) {
        if let expression = sizeExpression(type, value: value) {
            code.line("\(size) += \(expression)")
            return
        }
        switch type {
        case .list(let element), .set(let element):
            code.line("\(size) += 5")
            let item = local("element", depth: depth)
            code.block("for \(item) in \(value)") { code in
                emitSize(element, value: item, size: size, depth: depth + 1, into: &code)
            }
        case .map(let key, let mapValue) where types.isOrdered(key):
            // One pass over the ThriftMap's entries where they are stored, as in `emitWrite`.
            code.line("\(size) += 6")
            let parts = [(key, local("keys", depth: depth)), (mapValue, local("values", depth: depth))]
            for (partType, _) in parts {
                if let fixed = types.fixedSize(partType) { code.line("\(size) += \(value).count * \(fixed)") }
            }
            let index = local("index", depth: depth)
            let parameters = parts.map { types.fixedSize($0.0) == nil ? $0.1 : "_" }.joined(separator: ", ")
            code.closure("\(value).withUnsafeEntries", parameters: parameters) { code in
                code.block("for \(index) in \(parts.first { types.fixedSize($0.0) == nil }!.1).indices") { code in
                    for (partType, name) in parts where types.fixedSize(partType) == nil {
                        emitSize(partType, value: "\(name)[\(index)]", size: size, depth: depth + 1, into: &code)
                    }
                }
            }
        case .map(let key, let mapValue):
            code.line("\(size) += 6")
            for (part, partType, name) in [("keys", key, "key"), ("values", mapValue, "value")] {
                if let fixed = types.fixedSize(partType) {
                    code.line("\(size) += \(value).count * \(fixed)")
                } else {
                    let item = local(name, depth: depth)
                    code.block("for \(item) in \(value).\(part)") { code in
                        emitSize(partType, value: item, size: size, depth: depth + 1, into: &code)
                    }
                }
            }
        default:
            preconditionFailure("every other type has a size expression")
        }
    }

    /// The encoded size of `value` as one expression, or `nil` for containers whose elements vary.
    func sizeExpression(_ type: TypeReference, value: String) -> String? {
        if let fixed = types.fixedSize(type) { return String(fixed) }
        switch type {
        case .string: return "4 + \(value).utf8.count"
        case .binary: return "4 + \(value).count"
        case .named: return "\(value).thriftEncodedSize"
        case .list(let element), .set(let element):
            return types.fixedSize(element).map { "5 + \(value).count * \($0)" }
        case .map(let key, let mapValue):
            guard let keySize = types.fixedSize(key), let valueSize = types.fixedSize(mapValue) else { return nil }
            return "6 + \(value).count * \(keySize + valueSize)"
        default:
            return nil
        }
    }
}
