/// Rejects valid IDL whose names would not compile as the Swift this generator emits: names
/// that shadow the standard library or Thrift module types the generated code uses, members
/// that collide with generated ones, and names that collide only once converted to Swift style.
enum SwiftNamingRules {
    /// Types the generated code refers to by name; an IDL definition must not shadow them.
    static let reservedTypeNames: Set<String> = [
        "Any", "AnyObject", "Array", "Bool", "CustomStringConvertible", "Dictionary", "Double", "Equatable",
        "Error", "Hashable", "Int", "Int8", "Int16", "Int32", "Int64", "Never", "Optional", "Sendable", "Set",
        "String", "Swift", "Thrift", "TApplicationException", "ThriftBinaryReader", "ThriftBinaryWriter",
        "ThriftCaller", "ThriftEnum", "ThriftLimits", "ThriftMap", "ThriftOrderedKey", "ThriftProcessor",
        "ThriftProcessorResult", "ThriftProtocolError", "ThriftServerCall", "ThriftSet", "ThriftStruct", "ThriftType",
        "UInt8",
    ]

    /// Members every generated struct has besides its fields.
    static let structMemberNames: Set<String> = ["customMirror", "hashValue", "memberwise", "thriftEncodedSize"]

    /// Members every generated enum declares besides its cases.
    static let enumMemberNames: Set<String> = ["description", "hashValue", "knownCases", "name", "rawValue", "unrecognized"]

    /// The suffixes of the four declarations generated for each service.
    static let serviceTypeSuffixes = ["Handler", "Messages", "Processor", "Client"]

    static func check(_ checked: CheckedDocument) throws(IDLError) {
        var typeNames: [String: SourceLocation] = [:]
        for definition in checked.document.definitions {
            try checkTypeName(definition.name, at: definition.location)
            typeNames[definition.name] = definition.location
        }
        for case .service(let service) in checked.document.definitions {
            for suffix in serviceTypeSuffixes {
                let generated = service.name + suffix
                if let other = typeNames[generated] {
                    throw IDLError("service '\(service.name)' generates '\(generated)', which clashes with the name defined at \(other)", at: service.location)
                }
                typeNames[generated] = service.location
            }
        }
        let allTypeNames = Set(typeNames.keys).union(reservedTypeNames)
        for definition in checked.document.definitions {
            switch definition {
            case .enumeration(let enumeration):
                try checkEnumCases(enumeration)
            case .structure(let structure):
                let reserved: Set<String> = structure.kind == .exception ? structMemberNames.union(["description"]) : structMemberNames
                try checkFieldNames(structure.fields, reservedMembers: reserved, typeNames: allTypeNames)
            case .service(let service):
                try checkService(service, checked, typeNames: allTypeNames)
            }
        }
    }

    private static func checkTypeName(_ name: String, at location: SourceLocation) throws(IDLError) {
        if SwiftNames.unusable.contains(name) || reservedTypeNames.contains(name) {
            throw IDLError("'\(name)' cannot name a type in the generated Swift: it would shadow a type the generated code uses", at: location)
        }
    }

    private static func checkEnumCases(_ enumeration: EnumDefinition) throws(IDLError) {
        var caseNames: [String: String] = [:]
        for value in enumeration.values {
            let caseName = SwiftNames.enumCaseName(value.name)
            if SwiftNames.unusable.contains(caseName) || enumMemberNames.contains(caseName) {
                throw IDLError("enum value '\(value.name)' would become the Swift case '\(caseName)', which clashes with a generated member", at: value.location)
            }
            if let other = caseNames[caseName] {
                throw IDLError("enum values '\(other)' and '\(value.name)' both become the Swift case '\(caseName)'", at: value.location)
            }
            caseNames[caseName] = value.name
        }
    }

    private static func checkFieldNames(_ fields: [Field], reservedMembers: Set<String>, typeNames: Set<String>) throws(IDLError) {
        for field in fields {
            if SwiftNames.unusable.contains(field.name) || reservedMembers.contains(field.name) {
                throw IDLError("field name '\(field.name)' clashes with a member of the generated Swift type", at: field.location)
            }
            if typeNames.contains(field.name) {
                throw IDLError("field name '\(field.name)' is also a type name, which the generated Swift cannot tell apart", at: field.location)
            }
        }
    }

    private static func checkService(_ service: ServiceDefinition, _ checked: CheckedDocument, typeNames: Set<String>) throws(IDLError) {
        var methodNames: [String: String] = [:]
        for ancestor in checked.inheritanceChain(of: service) {
            for method in ancestor.methods {
                let swiftName = SwiftNames.methodName(method.name)
                if SwiftNames.unusable.contains(swiftName) {
                    throw IDLError("method name '\(method.name)' cannot be a Swift function name", at: method.location)
                }
                if let other = methodNames[swiftName] {
                    throw IDLError("methods '\(other)' and '\(method.name)' both become the Swift function '\(swiftName)'", at: method.location)
                }
                methodNames[swiftName] = method.name
            }
        }
        for method in service.methods {
            try checkFieldNames(method.arguments, reservedMembers: structMemberNames, typeNames: typeNames)
            try checkFieldNames(method.exceptions, reservedMembers: structMemberNames, typeNames: typeNames)
        }
    }
}
