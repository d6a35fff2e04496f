/// Emits an IDL enum as a Swift enum that never fails to decode: numbers the IDL does not list
/// become `.unrecognized(n)` and encode back to the same number. As a `ThriftEnum` it can key a
/// `ThriftMap` (sorted by wire number).
struct EnumEmitter {
    let enumeration: EnumDefinition

    func emit(into code: inout CodeWriter) {
        let typeName = SwiftNames.escaped(enumeration.name)
        let cases = enumeration.values.map { (value: $0, swiftCase: SwiftNames.escaped(SwiftNames.enumCaseName($0.name))) }
        code.doc(enumeration.doc.isEmpty ? ["The Thrift enum `\(enumeration.name)`."] : enumeration.doc)
        code.block("public enum \(typeName): ThriftEnum, Sendable, Hashable, CustomStringConvertible") { code in
            for (value, swiftCase) in cases {
                code.doc(value.doc.isEmpty ? ["`\(value.name)` (\(value.value))."] : value.doc)
                code.line("case \(swiftCase)")
            }
            code.doc(["A number this build does not know; kept so that it is shown and sent back unchanged."])
            code.line("case unrecognized(Int32)")
            code.line()

            code.doc(["Creates a value from its wire number; numbers the IDL does not list become `.unrecognized`."])
            code.block("public init(rawValue: Int32)") { code in
                code.line("switch rawValue {")
                for (value, swiftCase) in cases { code.line("case \(value.value): self = .\(swiftCase)") }
                code.line("default: self = .unrecognized(rawValue)")
                code.line("}")
            }
            code.line()

            code.doc(["The wire number."])
            code.block("public var rawValue: Int32") { code in
                code.line("switch self {")
                for (value, swiftCase) in cases { code.line("case .\(swiftCase): return \(value.value)") }
                code.line("case .unrecognized(let rawValue): return rawValue")
                code.line("}")
            }
            code.line()

            code.doc(["The name in the IDL, such as `\(enumeration.values.first?.name ?? "VALUE")`; the number for unrecognized values."])
            code.block("public var name: String") { code in
                code.line("switch self {")
                for (value, swiftCase) in cases { code.line("case .\(swiftCase): return \(SwiftNames.stringLiteral(value.name))") }
                code.line("case .unrecognized(let rawValue): return String(rawValue)")
                code.line("}")
            }
            code.line()

            code.doc(["Looks a value up by its IDL name; `nil` for names the IDL does not list."])
            code.block("public init?(name: String)") { code in
                code.line("switch name {")
                for (value, swiftCase) in cases { code.line("case \(SwiftNames.stringLiteral(value.name)): self = .\(swiftCase)") }
                code.line("default: return nil")
                code.line("}")
            }
            code.line()

            code.doc(["Every value the IDL lists, in IDL order."])
            let knownCases = cases.map { ".\($0.swiftCase)" }
            let oneLine = "public static let knownCases: [\(typeName)] = [\(knownCases.joined(separator: ", "))]"
            if oneLine.count <= 110 {
                code.line(oneLine)
            } else {
                code.line("public static let knownCases: [\(typeName)] = [")
                code.indented { code in
                    for knownCase in knownCases { code.line("\(knownCase),") }
                }
                code.line("]")
            }
            code.line()
            code.line("public var description: String { name }")
        }
    }
}
