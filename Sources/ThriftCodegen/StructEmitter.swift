/// Emits one `ThriftStruct`: the struct with its stored properties in IDL order, then an
/// extension with a memberwise init, the decoding `init(from:)`, `write(to:)`, the exact
/// `thriftEncodedSize`, a mirror of the fields, and for exceptions a `description`. The
/// initializers live in the extension and delegate to the compiler's memberwise one (see
/// `ThriftMemberwise`); the mirror leaves that helper property out of what `print` shows.
struct StructEmitter {
    let model: StructModel
    let types: SwiftTypeMapper

    private var propertyNames: Set<String> { Set(model.fields.map(\.name)) }

    /// The struct and its extension, one after the other.
    func emit(into code: inout CodeWriter) {
        emitDeclaration(into: &code)
        code.line()
        emitExtension(of: SwiftNames.escaped(model.name), into: &code)
    }

    /// The struct: its conformances and stored properties.
    func emitDeclaration(into code: inout CodeWriter) {
        let conformances = model.isException
            ? "ThriftStruct, Hashable, Sendable, Error, CustomStringConvertible"
            : "ThriftStruct, Hashable, Sendable"
        code.doc(model.doc)
        code.block("public struct \(SwiftNames.escaped(model.name)): \(conformances)") { code in
            for field in model.fields {
                code.doc(field.doc)
                code.line("public var \(SwiftNames.escaped(field.name)): \(propertyType(field))")
            }
            code.doc(["Keeps the compiler's memberwise initializer, which the initializers below use (`ThriftMemberwise`)."])
            code.line("private var memberwise: ThriftMemberwise")
        }
    }

    /// The extension of the struct, named `typeName` where it is written (`Messages.Name` for a
    /// service's message structs, declared inside their enum).
    func emitExtension(of typeName: String, into code: inout CodeWriter) {
        code.block("extension \(typeName): CustomReflectable") { code in
            emitMemberwiseInit(into: &code)
            code.line()
            emitDecodingInit(into: &code)
            code.line()
            emitWrite(into: &code)
            code.line()
            emitEncodedSize(into: &code)
            code.line()
            emitMirror(into: &code)
            if model.isException {
                code.line()
                emitDescription(into: &code)
            }
        }
    }

    /// `self.init(a: a, b: b, memberwise: ThriftMemberwise())`, the compiler's memberwise init
    /// given `values` (one per field, in order).
    private func emitDelegation(_ values: [String], into code: inout CodeWriter) {
        let arguments = zip(model.fields, values).map { "\(SwiftNames.argumentLabel($0.name)): \($1)" } + ["memberwise: ThriftMemberwise()"]
        let oneLine = "self.init(\(arguments.joined(separator: ", ")))"
        guard oneLine.count > 100 else {
            code.line(oneLine)
            return
        }
        code.line("self.init(")
        code.indented { code in
            for (index, argument) in arguments.enumerated() {
                code.line(index < arguments.count - 1 ? "\(argument)," : argument)
            }
        }
        code.line(")")
    }

    private func propertyType(_ field: FieldModel) -> String {
        types.swiftType(field.type) + (field.isOptional ? "?" : "")
    }

    // MARK: Memberwise init

    private func emitMemberwiseInit(into code: inout CodeWriter) {
        code.doc([model.fields.isEmpty ? "Creates a value." : "Creates a value from its fields."])
        let parameters = model.fields.map { field -> String in
            let declaration = "\(SwiftNames.escaped(field.name)): \(propertyType(field))"
            switch field.storage {
            case .required(let initDefault): return declaration + (initDefault.map { " = \($0)" } ?? "")
            case .optional(let initDefault): return declaration + " = \(initDefault ?? "nil")"
            case .defaulted(let value): return declaration + " = \(value)"
            }
        }
        guard !parameters.isEmpty else {
            code.block("public init()") { emitDelegation([], into: &$0) }
            return
        }
        let signature = "public init(\(parameters.joined(separator: ", ")))"
        if signature.count <= 100 {
            code.line("\(signature) {")
        } else {
            code.line("public init(")
            code.indented { code in
                for (index, parameter) in parameters.enumerated() {
                    code.line(index < parameters.count - 1 ? "\(parameter)," : parameter)
                }
            }
            code.line(") {")
        }
        code.indented { code in
            emitDelegation(model.fields.map { SwiftNames.escaped($0.name) }, into: &code)
        }
        code.line("}")
    }

    // MARK: Decoding

    private func emitDecodingInit(into code: inout CodeWriter) {
        let fixedNames: Set<String> = ["reader", "field"]
        var locals: [String] = []
        for field in model.fields {
            let taken = fixedNames.union(propertyNames.subtracting([field.name])).union(locals)
            locals.append(SwiftNames.fresh(field.name, avoiding: taken))
        }
        let codec = ValueCodecEmitter(types: types, taken: fixedNames.union(propertyNames).union(locals))
        let fields = Array(zip(model.fields, locals.map(SwiftNames.escaped)))

        code.block("public init(from reader: inout ThriftBinaryReader) throws") { code in
            for (field, local) in fields {
                switch field.storage {
                case .required, .optional: code.line("var \(local): \(types.swiftType(field.type))?")
                case .defaulted(let value): code.line("var \(local): \(types.swiftType(field.type)) = \(value)")
                }
            }
            // Fields usually arrive in IDL order: those before the first container are tried in
            // that order, without the loop's switch; the loop takes whatever follows, in any order.
            for (field, local) in fields.prefix(while: { !$0.0.type.isContainer }) {
                code.block("if reader.readFieldHeader(ifNextIs: \(types.wireType(field.type)), id: \(field.id))") { code in
                    codec.emitRead(field.type, depth: 0, into: &code) { "\(local) = \($0)" }
                }
            }
            code.block("while let field = try reader.readFieldHeader()") { code in
                guard !fields.isEmpty else {
                    code.line("try reader.skip(field.type)")
                    return
                }
                code.line("switch (field.id, field.type) {")
                for (field, local) in fields {
                    code.line("case (\(field.id), \(types.wireType(field.type))):")
                    code.indented { code in
                        codec.emitRead(field.type, depth: 0, into: &code) { "\(local) = \($0)" }
                    }
                }
                code.line("default:")
                code.indented { $0.line("try reader.skip(field.type)") }
                code.line("}")
            }
            for (field, local) in fields {
                guard case .required = field.storage else { continue }
                code.block("guard let \(local) else") { code in
                    code.line("throw ThriftProtocolError.missingRequiredField(structName: \(SwiftNames.stringLiteral(model.name)), fieldName: \(SwiftNames.stringLiteral(field.name)))")
                }
            }
            emitDelegation(fields.map(\.1), into: &code)
        }
    }

    // MARK: Encoding

    private func emitWrite(into code: inout CodeWriter) {
        let taken = propertyNames.union(["writer"])
        let codec = ValueCodecEmitter(types: types, taken: taken)
        code.block("public func write(to writer: inout ThriftBinaryWriter)") { code in
            for field in model.fields {
                let property = field.name == "writer" ? "self.writer" : SwiftNames.escaped(field.name)
                let header = "writer.writeFieldHeader(\(types.wireType(field.type)), id: \(field.id))"
                guard field.isOptional else {
                    code.line(header)
                    codec.emitWrite(field.type, value: property, depth: 0, into: &code)
                    continue
                }
                let binding = field.name == "writer" ? SwiftNames.fresh("writer", avoiding: taken) : property
                code.block(binding == property ? "if let \(binding)" : "if let \(binding) = \(property)") { code in
                    code.line(header)
                    codec.emitWrite(field.type, value: binding, depth: 0, into: &code)
                }
            }
            code.line("writer.writeFieldStop()")
        }
    }

    // MARK: Size

    /// The exact byte count `write(to:)` writes: field headers (3 bytes), values, STOP.
    private func emitEncodedSize(into code: inout CodeWriter) {
        guard !model.fields.isEmpty else {
            code.line("public var thriftEncodedSize: Int { 1 }")
            return
        }
        let size = SwiftNames.fresh("size", avoiding: propertyNames)
        let codec = ValueCodecEmitter(types: types, taken: propertyNames.union([size]))
        code.block("public var thriftEncodedSize: Int") { code in
            code.line("var \(size) = 1")
            for field in model.fields {
                let property = SwiftNames.escaped(field.name)
                let addField = { (code: inout CodeWriter) in
                    if let expression = codec.sizeExpression(field.type, value: property) {
                        code.line("\(size) += 3 + \(expression)")
                    } else {
                        code.line("\(size) += 3")
                        codec.emitSize(field.type, value: property, size: size, depth: 0, into: &code)
                    }
                }
                if field.isOptional {
                    let usesValue = types.fixedSize(field.type) == nil
                    code.block(usesValue ? "if let \(property)" : "if \(property) != nil", addField)
                } else {
                    addField(&code)
                }
            }
            code.line("return \(size)")
        }
    }

    // MARK: Mirror

    /// The fields in IDL order, as the default mirror would show them without `memberwise`.
    private func emitMirror(into code: inout CodeWriter) {
        code.doc(["The fields, as `print` and `dump` show them."])
        guard !model.fields.isEmpty else {
            code.line("public var customMirror: Mirror { Mirror(self, children: [:], displayStyle: .struct) }")
            return
        }
        let children = model.fields.map { "\(SwiftNames.stringLiteral($0.name)): \(SwiftNames.escaped($0.name)) as Any" }
        let oneLine = "Mirror(self, children: [\(children.joined(separator: ", "))], displayStyle: .struct)"
        code.block("public var customMirror: Mirror") { code in
            guard oneLine.count > 100 else {
                code.line(oneLine)
                return
            }
            code.line("Mirror(self, children: [")
            code.indented { code in
                for child in children { code.line("\(child),") }
            }
            code.line("], displayStyle: .struct)")
        }
    }

    // MARK: Description

    /// `InvalidRequest(message: "x")`: set fields only, values as `String(reflecting:)` shows them.
    private func emitDescription(into code: inout CodeWriter) {
        guard !model.fields.isEmpty else {
            code.line("public var description: String { \(SwiftNames.stringLiteral(model.name + "()")) }")
            return
        }
        let parts = SwiftNames.fresh("parts", avoiding: propertyNames)
        code.block("public var description: String") { code in
            code.line("var \(parts): [String] = []")
            for field in model.fields {
                let name = SwiftNames.escaped(field.name)
                let append = "\(parts).append(\"\(field.name): \\(String(reflecting: \(name)))\")"
                if field.isOptional {
                    code.line("if let \(name) { \(append) }")
                } else {
                    code.line(append)
                }
            }
            code.line("return \"\(model.name)(\\(\(parts).joined(separator: \", \")))\"")
        }
    }
}
