/// A recursive-descent parser for the Thrift IDL subset: `namespace` (ignored), `enum`,
/// `struct`, `exception` and `service` (with `extends`). Stops at the first syntax error.
public struct Parser {
    private let tokens: [Token]
    private var position = 0
    /// The line of the last consumed token, to find comments trailing an item.
    private var lastConsumedLine = 0

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses `source`; `fileName` prefixes the locations of errors.
    public static func parse(_ source: String, fileName: String) throws(IDLError) -> IDLDocument {
        var lexer = Lexer(source: source, fileName: fileName)
        var parser = Parser(tokens: try lexer.tokenize())
        return IDLDocument(fileName: fileName, definitions: try parser.parseDefinitions())
    }

    // MARK: Definitions

    private mutating func parseDefinitions() throws(IDLError) -> [Definition] {
        var definitions: [Definition] = []
        while current.kind != .endOfFile {
            let doc = current.docLines
            switch current.kind {
            case .identifier("namespace"):
                try skipNamespace()
            case .identifier("enum"):
                definitions.append(.enumeration(try parseEnum(doc: doc)))
            case .identifier("struct"):
                definitions.append(.structure(try parseStruct(kind: .struct, doc: doc)))
            case .identifier("exception"):
                definitions.append(.structure(try parseStruct(kind: .exception, doc: doc)))
            case .identifier("service"):
                definitions.append(.service(try parseService(doc: doc)))
            default:
                throw unexpected("'enum', 'struct', 'exception' or 'service'")
            }
        }
        return definitions
    }

    /// `namespace <language or *> <name>`: target-language package names, irrelevant to Swift.
    private mutating func skipNamespace() throws(IDLError) {
        advance()
        if !consume("*") { _ = try expectIdentifier("a namespace scope") }
        _ = try expectIdentifier("a namespace name")
    }

    private mutating func parseEnum(doc: [String]) throws(IDLError) -> EnumDefinition {
        advance()
        let (name, location) = try expectName("an enum name")
        try expect("{")
        var values: [EnumValue] = []
        var nextValue: Int64 = 0
        while !consume("}") {
            guard case .identifier = current.kind else { throw unexpected("'}'") }
            let leadingDoc = current.docLines
            let (valueName, valueLocation) = try expectName("an enum value name")
            if consume("=") {
                let numberLocation = current.location
                guard case .integer(let number) = current.kind else { throw unexpected("an integer") }
                advance()
                guard Int32(exactly: number) != nil else {
                    throw IDLError("enum value \(number) does not fit in i32", at: numberLocation)
                }
                nextValue = number
            } else if Int32(exactly: nextValue) == nil {
                throw IDLError("implicit enum value \(nextValue) does not fit in i32", at: valueLocation)
            }
            skipSeparator()
            values.append(EnumValue(
                name: valueName, value: Int32(nextValue), doc: docOrTrailing(leadingDoc), location: valueLocation))
            nextValue += 1
        }
        return EnumDefinition(name: name, values: values, doc: doc, location: location)
    }

    private mutating func parseStruct(kind: StructDefinition.Kind, doc: [String]) throws(IDLError) -> StructDefinition {
        advance()
        let (name, location) = try expectName(kind == .struct ? "a struct name" : "an exception name")
        try expect("{")
        let fields = try parseFields(closedBy: "}")
        return StructDefinition(kind: kind, name: name, fields: fields, doc: doc, location: location)
    }

    private mutating func parseService(doc: [String]) throws(IDLError) -> ServiceDefinition {
        advance()
        let (name, location) = try expectName("a service name")
        var parent: ServiceReference?
        if case .identifier("extends") = current.kind {
            advance()
            let (parentName, parentLocation) = try expectName("the name of the extended service")
            parent = ServiceReference(name: parentName, location: parentLocation)
        }
        try expect("{")
        var methods: [Method] = []
        while !consume("}") {
            methods.append(try parseMethod())
        }
        return ServiceDefinition(name: name, parent: parent, methods: methods, doc: doc, location: location)
    }

    private mutating func parseMethod() throws(IDLError) -> Method {
        let doc = current.docLines
        if case .identifier("oneway") = current.kind {
            throw IDLError("oneway methods are not supported", at: current.location)
        }
        let returnType: TypeReference?
        if case .identifier("void") = current.kind {
            advance()
            returnType = nil
        } else {
            returnType = try parseType(expecting: "a return type or '}'")
        }
        let (name, location) = try expectName("a method name")
        try expect("(")
        let arguments = try parseFields(closedBy: ")")
        var exceptions: [Field] = []
        if case .identifier("throws") = current.kind {
            advance()
            try expect("(")
            exceptions = try parseFields(closedBy: ")")
        }
        skipSeparator()
        return Method(
            name: name, returnType: returnType, arguments: arguments, exceptions: exceptions,
            doc: doc, location: location)
    }

    // MARK: Fields and types

    /// Parses `id: [required|optional] type name [= value]` entries up to and including `closer`.
    private mutating func parseFields(closedBy closer: Character) throws(IDLError) -> [Field] {
        var fields: [Field] = []
        while !consume(closer) {
            guard case .integer(let number) = current.kind else { throw unexpected("'\(closer)'") }
            let leadingDoc = current.docLines
            guard let id = Int16(exactly: number), id > 0 else {
                throw IDLError("field id \(number) is outside 1...32767", at: current.location)
            }
            advance()
            try expect(":")
            var requiredness = Requiredness.default
            if case .identifier("required") = current.kind {
                requiredness = .required
                advance()
            } else if case .identifier("optional") = current.kind {
                requiredness = .optional
                advance()
            }
            let type = try parseType(expecting: "a type")
            let (name, location) = try expectName("a field name")
            var defaultValue: DefaultValue?
            if consume("=") {
                defaultValue = try parseConstant()
            }
            skipSeparator()
            fields.append(Field(
                id: id, name: name, requiredness: requiredness, type: type, defaultValue: defaultValue,
                doc: docOrTrailing(leadingDoc), location: location))
        }
        return fields
    }

    private mutating func parseType(expecting description: String) throws(IDLError) -> TypeReference {
        let location = current.location
        guard case .identifier(let word) = current.kind else { throw unexpected(description) }
        advance()
        switch word {
        case "bool": return .bool
        case "byte", "i8": return .byte
        case "i16": return .i16
        case "i32": return .i32
        case "i64": return .i64
        case "double": return .double
        case "string": return .string
        case "binary": return .binary
        case "list":
            try expect("<")
            let element = try parseType(expecting: "an element type")
            try expect(">")
            return .list(element)
        case "set":
            try expect("<")
            let element = try parseType(expecting: "an element type")
            try expect(">")
            return .set(element)
        case "map":
            try expect("<")
            let key = try parseType(expecting: "a key type")
            try expect(",")
            let value = try parseType(expecting: "a value type")
            try expect(">")
            return .map(key: key, value: value)
        default:
            return .named(word, location)
        }
    }

    private mutating func parseConstant() throws(IDLError) -> DefaultValue {
        let location = current.location
        let value: ConstantValue
        switch current.kind {
        case .integer(let number): value = .integer(number)
        case .double(let number): value = .double(number)
        case .string(let text): value = .string(text)
        case .identifier("true"): value = .bool(true)
        case .identifier("false"): value = .bool(false)
        case .identifier(let name): value = .identifier(name)
        case .symbol, .endOfFile: throw unexpected("a constant value")
        }
        advance()
        return DefaultValue(value: value, location: location)
    }

    // MARK: Tokens

    private var current: Token { tokens[position] }

    private mutating func advance() {
        lastConsumedLine = current.location.line
        if position < tokens.count - 1 { position += 1 }
    }

    private mutating func consume(_ symbol: Character) -> Bool {
        guard current.kind == .symbol(symbol) else { return false }
        advance()
        return true
    }

    private mutating func expect(_ symbol: Character) throws(IDLError) {
        guard consume(symbol) else { throw unexpected("'\(symbol)'") }
    }

    /// Consumes an identifier, dotted or not.
    private mutating func expectIdentifier(_ description: String) throws(IDLError) -> String {
        guard case .identifier(let name) = current.kind else { throw unexpected(description) }
        advance()
        return name
    }

    /// Consumes a plain (undotted) name and returns it with its location.
    private mutating func expectName(_ description: String) throws(IDLError) -> (String, SourceLocation) {
        let location = current.location
        let name = try expectIdentifier(description)
        guard !name.contains(".") else { throw IDLError("'\(name)' is not a valid name here", at: location) }
        return (name, location)
    }

    /// Items may be separated by `,`, `;` or nothing.
    private mutating func skipSeparator() {
        if !consume(",") { _ = consume(";") }
    }

    /// The leading doc if there is one, else a comment trailing the item on its last line.
    private func docOrTrailing(_ leadingDoc: [String]) -> [String] {
        leadingDoc.isEmpty ? current.trailingDocLines(afterCodeOnLine: lastConsumedLine) : leadingDoc
    }

    private func unexpected(_ expected: String) -> IDLError {
        IDLError("expected \(expected) but found \(current.quoted)", at: current.location)
    }
}
